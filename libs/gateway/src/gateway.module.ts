import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { schemaName } from '@platform/config';
import { loggerParams, MetricsController } from '@platform/observability';
import { HealthController, InfrastructureHealth, InfrastructureModule, type InfrastructureOptions } from '@platform/service-runtime';
import { CommandDispatcher } from './commands/command-dispatcher';
import { CommandStatusRepository } from './commands/command-status.repository';
import { CommandWaiter } from './commands/command-waiter';
import { PgNotifications } from './commands/pg-notifications';
import { GATEWAY_SCHEMA } from './gateway.options';
import { GatewayDataSourceLifecycle, gatewayDataSourceProvider } from './database/gateway-data-source';
import { BruteForceLimits, ClientAttemptsGuard, RegistrationsGuard } from './http/brute-force';
import { CallerGuard } from './http/caller';
import { IdempotencyRecords } from './http/idempotency/idempotency-records';
import { IdempotencyInterceptor } from './http/idempotency/idempotency.interceptor';
import { withIdempotentWrites } from './http/idempotency/idempotent-routes';
import { GrantStatusCache } from './http/grant-status-cache';
import { ProfileTokenVerifier } from './http/profile-auth';
import { AccessTokens } from './oauth/access-tokens';
import { ClientAuthentication } from './oauth/client-authentication';
import { TokenIssuer } from './oauth/token-issuer';
import { TokenLocator } from './oauth/token-locator';
import { GrantCommands } from './oauth/grant-commands';
import { InlineApplied } from './read-models/inline-applied';
import { WellKnownRoutes } from './oauth/well-known.routes';
import { AuthorizationRequests } from './oauth-standard/authorize/authorization-requests';
import { AuthorizeRoutes } from './oauth-standard/authorize/authorize.routes';
import { StandardClientAuthentication } from './oauth/standard-client-authentication';
import { ApplicationControlRoutes } from './oauth-app/application-control.routes';
import { ApplicationsRepository } from './oauth-app/applications.repository';
import { CallRecorder } from './oauth-app/call-recorder';
import { GrantsRepository } from './oauth-app/grants.repository';
import { CommandOutbox } from './commands/command-outbox';
import { CommandRunner } from './commands/command-runner';
import { SigningKeys } from './oauth/signing-keys';
import { ProfileTokenCache } from './http/profile-token-cache';
import { TokenCommands } from './profile/token-commands';
import { CredentialsRepository } from './profile/credentials.repository';
import { PasswordAttempts } from './profile/password-attempts';
import { CommandPush } from './push/command-push';
import { GatewayProjections } from './read-models/gateway-projections';
import { USE_CASE_HANDLERS, USE_CASE_ROUTES } from './use-cases';
import { BrowserSessions } from './http/browser-session/browser-sessions';
import { ConsentsRepository } from './read-models/consents.repository';

/** The access log is written by `observeHttp` (bootstrap), one line per request. */
export const loggerModule = (level: string, destination?: NodeJS.WritableStream) => LoggerModule.forRoot(loggerParams(level, destination));

@Module({})
export class GatewayModule {
  static forRoot(infrastructure: InfrastructureOptions): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        InfrastructureModule.forRoot(infrastructure),
        TerminusModule,
        CqrsModule.forRoot(),
        loggerModule(infrastructure.config.logLevel, infrastructure.logDestination),
      ],
      controllers: withIdempotentWrites([HealthController, MetricsController, ApplicationControlRoutes, WellKnownRoutes, AuthorizeRoutes, ...USE_CASE_ROUTES]),
      providers: [
        { provide: GATEWAY_SCHEMA, useValue: schemaName('gateway') },
        gatewayDataSourceProvider,
        GatewayDataSourceLifecycle,
        InfrastructureHealth,
        CommandStatusRepository,
        CommandOutbox,
        CommandDispatcher,
        PgNotifications,
        CommandWaiter,
        TokenCommands,
        CredentialsRepository,
        ProfileTokenCache,
        BruteForceLimits,
        ClientAttemptsGuard,
        RegistrationsGuard,
        PasswordAttempts,
        CommandPush,
        GatewayProjections,
        ProfileTokenVerifier,
        CallerGuard,
        GrantStatusCache,
        SigningKeys,
        AccessTokens,
        CommandRunner,
        ClientAuthentication,
        TokenIssuer,
        TokenLocator,
        GrantCommands,
        InlineApplied,
        ApplicationsRepository,
        GrantsRepository,
        CallRecorder,
        AuthorizationRequests,
        StandardClientAuthentication,
        ...USE_CASE_HANDLERS,
        IdempotencyRecords,
        IdempotencyInterceptor,
        ConsentsRepository,
        BrowserSessions,
      ],
    };
  }
}
