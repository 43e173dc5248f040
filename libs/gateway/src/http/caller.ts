import { type CanActivate, createParamDecorator, type ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, scopeSatisfies, scopesWithin } from '@platform/contracts';
import { AccessTokens, type AccessTokenClaims } from '../oauth/access-tokens';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import { authorizationCredentials } from './authorization-header';
import { ApiError, unauthorized } from './errors';
import { GrantStatusCache } from './grant-status-cache';
import { ProfileTokenVerifier } from './profile-auth';
import type { ProfilePrincipal } from './profile-token-cache';

export type Caller =
  | ({ kind: 'profile' } & ProfilePrincipal)
  | { kind: 'application'; profileId: string; applicationId: string; clientId: string; grantId: string; scopes: string[] };

export interface AccessRequirement {
  /** The scope an application token needs here; without it, only the profile's own token is accepted. */
  scope?: string;
}

const ACCESS = Symbol('access');
/** Opens a route to application tokens (`Authorization: Bearer`) that hold `scope`. */
export const Access = (requirement: AccessRequirement) => SetMetadata(ACCESS, requirement);

export interface ApplicationCall {
  applicationId: string;
  grantId: string;
  clientId: string;
}

export type CallerRequest = FastifyRequest & { caller?: Caller; principal?: ProfilePrincipal; applicationCall?: ApplicationCall };

const forbidden = (message: string) => new ApiError(HttpStatus.FORBIDDEN, ErrorCodes.forbidden, message);

/** RFC 6750 §3: a route that takes a Bearer token says so on every 401, and why when a token was given. */
const bearerChallenge = (context: ExecutionContext, error?: { code: string; description: string }) =>
  void context
    .switchToHttp()
    .getResponse<FastifyReply>()
    .header('WWW-Authenticate', `Bearer realm="gateway"${error ? `, error="${error.code}", error_description="${error.description}"` : ''}`);

/**
 * Who is calling: the profile (its `X-DPT-AUTHORIZATION` token can do everything the profile may do)
 * or an application acting for its profile within its scopes (`Authorization: Bearer <access token>`).
 * A client_credentials token acts as the application itself, so it is refused where a profile's data is touched.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly profileTokens: ProfileTokenVerifier,
    private readonly accessTokens: AccessTokens,
    private readonly grants: GrantStatusCache,
    private readonly applications: ApplicationsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const requirement = this.reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (request.headers['x-dpt-authorization'] !== undefined) {
      const principal = await this.profileTokens.fromRequest(request);
      if (!principal) {
        bearerChallenge(context);
        throw unauthorized();
      }
      request.principal = principal;
      request.caller = { kind: 'profile', ...principal };
      return true;
    }
    const token = authorizationCredentials(request, 'bearer');
    if (!token) {
      bearerChallenge(context);
      throw unauthorized('An X-DPT-AUTHORIZATION token or an application Bearer token is required.');
    }
    const claims = await this.accessTokens.verify(token);
    if (!claims || !(await this.grants.isUsable(claims.grantId))) {
      const description = 'The access token is invalid, expired or revoked.';
      bearerChallenge(context, { code: 'invalid_token', description });
      throw unauthorized(description);
    }
    request.applicationCall = { applicationId: claims.applicationId, grantId: claims.grantId, clientId: claims.clientId };
    // A token never acts beyond its application's current scopes: narrowing them narrows live tokens at once.
    const application = await this.applications.byId(claims.applicationId);
    claims.scopes = scopesWithin(claims.scopes, application?.scopes ?? []);
    this.authorize(claims, requirement);
    request.caller = {
      kind: 'application',
      profileId: claims.profileId!,
      applicationId: claims.applicationId,
      clientId: claims.clientId,
      grantId: claims.grantId,
      scopes: claims.scopes,
    };
    return true;
  }

  private authorize(claims: AccessTokenClaims, requirement: AccessRequirement | undefined): void {
    if (!requirement?.scope) throw forbidden("Only the profile's own authorization token may do this.");
    if (claims.profileId === null) throw forbidden('A client_credentials token acts as the application, not for a profile.');
    if (!scopeSatisfies(claims.scopes, requirement.scope)) throw forbidden(`The access token lacks the scope ${requirement.scope}.`);
  }
}

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<CallerRequest>().caller!,
);

/** The actor a command records: the profile, and the application when one acts for it. */
export const actorOf = (caller: Caller) => ({ profileId: caller.profileId, ...(caller.kind === 'application' ? { applicationId: caller.applicationId } : {}) });
