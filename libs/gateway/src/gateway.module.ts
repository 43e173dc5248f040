import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { schemaName } from '@platform/config';
import { HealthController, InfrastructureHealth, InfrastructureModule, type InfrastructureOptions } from '@platform/service-runtime';
import { CommandDispatcher } from './commands/command-dispatcher';
import { CommandStatusRepository } from './commands/command-status.repository';
import { CommandWaiter } from './commands/command-waiter';
import { PgNotifications } from './commands/pg-notifications';
import { RequestStatusRoute } from './commands/request-status.route';
import { GATEWAY_SCHEMA } from './gateway.options';
import { BruteForceLimits, ClientAttemptsGuard, RegistrationsGuard } from './http/brute-force';
import { CallerGuard } from './http/caller';
import { GrantStatusCache } from './http/grant-status-cache';
import { ProfileTokenVerifier } from './http/profile-auth';
import { AccessTokens } from './oauth/access-tokens';
import { ClientAuthentication } from './oauth/client-authentication';
import { TokenIssuer } from './oauth/token-issuer';
import { WellKnownRoutes } from './oauth/well-known.routes';
import { AuthorizationRequests } from './oauth-standard/authorize/authorization-requests';
import { AuthorizeRoutes } from './oauth-standard/authorize/authorize.routes';
import { StandardClientAuthentication } from './oauth-standard/client-credentials';
import { RevocationIntrospectionRoutes } from './oauth-standard/revocation-introspection.routes';
import { TokenRoute } from './oauth-standard/token.route';
import { OAppsRoutes } from './o-apps/o-apps.routes';
import { ApplicationConfigurationRoute } from './oauth-app/application-configuration.route';
import { ApplicationControlRoutes } from './oauth-app/application-control.routes';
import { ApplicationsRepository } from './oauth-app/applications.repository';
import { AuditTrail } from './oauth-app/audit-trail';
import { CallRecorder } from './oauth-app/call-recorder';
import { GrantsRepository } from './oauth-app/grants.repository';
import { RegisterOAuthApplicationRoute } from './oauth-app/register-oauth-application.route';
import { PrivicoreTokenRoutes } from './oauth-flow/privicore-token.routes';
import { RequestAuthorizationCodeRoute } from './oauth-flow/request-authorization-code.route';
import { CommandOutbox } from './commands/command-outbox';
import { CommandRunner } from './commands/command-runner';
import { SigningKeys } from './oauth/signing-keys';
import { ProfileTokenCache } from './http/profile-token-cache';
import { AuthorizationTokenRoutes } from './profile/authorization-tokens/authorization-token.routes';
import { RedeemTokenQrRoute } from './profile/authorization-tokens/redeem-token-qr.route';
import { TokenCommands } from './profile/authorization-tokens/token-commands';
import { ChangePasswordRoute } from './profile/change-password/change-password.route';
import { CredentialsRepository } from './profile/credentials.repository';
import { PasswordAttempts } from './profile/password-attempts';
import { CommandPush } from './push/command-push';
import { AuthenticateRoute } from './profile/authenticate/authenticate.route';
import { RegisterProfileRoute } from './profile/register-profile/register-profile.route';
import { RetrieveProfileIdRoute } from './profile/retrieve-profile-id/retrieve-profile-id.route';
import { GatewayProjections } from './read-models/gateway-projections';
import { ConsentsRepository } from './read-models/consents.repository';
import { BrowserSessions } from './http/browser-session/browser-sessions';
import { AccountConsoleHandler } from './use-cases/account-console/account-console.handler';
import { AccountRoutes } from './use-cases/account-console/account.routes';
import { OwnerApplicationActionHandler } from './use-cases/account-console/owner-application-action.handler';
import { ListAuthorizedApplicationsHandler } from './use-cases/list-authorized-applications/list-authorized-applications.handler';
import { ListAuthorizedApplicationsRoute } from './use-cases/list-authorized-applications/privicore.route';
import { RevokeAuthorizedApplicationRoute } from './use-cases/revoke-authorized-application/privicore.route';
import { RevokeAuthorizedApplicationHandler } from './use-cases/revoke-authorized-application/revoke-authorized-application.handler';

export const loggerModule = (level: string) =>
  LoggerModule.forRoot({
    pinoHttp: {
      level,
      autoLogging: level === 'debug' || level === 'trace',
      // Only method, URL and status are logged: headers and bodies carry tokens and passwords.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });

@Module({})
export class GatewayModule {
  static forRoot(infrastructure: InfrastructureOptions): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        InfrastructureModule.forRoot(infrastructure),
        TerminusModule,
        CqrsModule.forRoot(),
        loggerModule(infrastructure.config.logLevel),
      ],
      controllers: [
        HealthController,
        RequestStatusRoute,
        RegisterProfileRoute,
        AuthenticateRoute,
        RetrieveProfileIdRoute,
        ChangePasswordRoute,
        AuthorizationTokenRoutes,
        RedeemTokenQrRoute,
        RegisterOAuthApplicationRoute,
        ApplicationConfigurationRoute,
        ApplicationControlRoutes,
        RequestAuthorizationCodeRoute,
        PrivicoreTokenRoutes,
        WellKnownRoutes,
        AuthorizeRoutes,
        TokenRoute,
        RevocationIntrospectionRoutes,
        OAppsRoutes,
        ListAuthorizedApplicationsRoute,
        RevokeAuthorizedApplicationRoute,
        AccountRoutes,
      ],
      providers: [
        { provide: GATEWAY_SCHEMA, useValue: schemaName('gateway') },
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
        ApplicationsRepository,
        GrantsRepository,
        CallRecorder,
        AuditTrail,
        AuthorizationRequests,
        StandardClientAuthentication,
        ListAuthorizedApplicationsHandler,
        RevokeAuthorizedApplicationHandler,
        ConsentsRepository,
        BrowserSessions,
        AccountConsoleHandler,
        OwnerApplicationActionHandler,
      ],
    };
  }
}
