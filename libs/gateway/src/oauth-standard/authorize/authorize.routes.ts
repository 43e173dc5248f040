import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformConfig } from '@platform/config';
import { grantStreamId, isKnownScope, type RequestAuthorizationCode, scopeSatisfies } from '@platform/contracts';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandRunner } from '../../commands/command-runner';
import { ProfileTokenVerifier, sha256 } from '../../http/profile-auth';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { scopeList } from '../../oauth-app/redirect-uri';
import { PasswordAttempts } from '../../profile/password-attempts';
import { grantApplicationOf } from '../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { type AuthorizationParams, AuthorizationRequests } from './authorization-requests';
import { LoginCookie } from './login-cookie';
import { AuthorizePageErrorFilter } from './authorize-error.filter';
import { html } from './html-reply';
import { consentPage, errorPage, loginPage } from './pages';
import { BrowserSessions } from '../../http/browser-session/browser-sessions';
import { SessionCookie } from '../../http/browser-session/session-cookie';
import { ConsentsRepository } from '../../read-models/consents.repository';

export class AuthorizeQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) response_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) redirect_uri?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) scope?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) code_challenge?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) code_challenge_method?: string;
  @ApiPropertyOptional({ description: '`consent` shows the consent page even for scopes already consented to' }) @IsOptional() @IsString() @MaxLength(64) prompt?: string;
}

export class LoginFormDto {
  @IsString() @MaxLength(64) request_id!: string;
  @IsString() @MaxLength(128) csrf_token!: string;
  @IsString() @MaxLength(64) username!: string;
  @IsString() @MaxLength(128) password!: string;
}

export class ConsentFormDto {
  @IsString() @MaxLength(64) request_id!: string;
  @IsString() @MaxLength(128) csrf_token!: string;
  @IsString() @MaxLength(16) decision!: string;
}

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

class AuthorizeProblem {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {}
}

/**
 * RFC 6749 §4.1 with PKCE (RFC 7636). An API caller consents by its `X-DPT-AUTHORIZATION` header;
 * a browser gets a login page, then a consent page. Nothing redirects to the client before the
 * resource owner has authenticated (RFC 9700 §4.11.2): until then every error is our own 400 page.
 * Every authorization response carries `iss` (RFC 9207).
 */
@ApiTags('oauth')
@Controller('oauth/authorize')
@UseFilters(AuthorizePageErrorFilter)
export class AuthorizeRoutes {
  private readonly loginCookie: LoginCookie;
  private readonly sessionCookie: SessionCookie;

  constructor(
    private readonly passwords: PasswordAttempts,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly applications: ApplicationsRepository,
    private readonly profileTokens: ProfileTokenVerifier,
    private readonly requests: AuthorizationRequests,
    private readonly commands: CommandRunner,
    private readonly sessions: BrowserSessions,
    private readonly consents: ConsentsRepository,
  ) {
    this.loginCookie = new LoginCookie(config.issuer);
    this.sessionCookie = new SessionCookie(config.issuer);
  }

  @Get()
  @ApiFoundResponse({ description: 'Redirect to redirect_uri with code and state, or an RFC 6749 error; a login page for a browser' })
  async authorize(@Query() query: AuthorizeQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const application = query.client_id ? await this.applications.byClientId(query.client_id) : undefined;
    if (!application || application.status !== 'active') return html(reply, 400, errorPage('Unknown client.'));
    const redirectUri = query.redirect_uri ?? (application.redirectUris.length === 1 ? application.redirectUris[0] : undefined);
    if (!redirectUri || !application.redirectUris.includes(redirectUri)) return html(reply, 400, errorPage('The redirect URI is not registered for this client.'));

    let profileId: string | undefined;
    let username: string | undefined;
    const byHeader = request.headers['x-dpt-authorization'] !== undefined;
    if (byHeader) {
      const principal = await this.profileTokens.fromRequest(request);
      if (!principal) return void reply.status(401).send({ error: 'unauthorized', message: 'A valid X-DPT-AUTHORIZATION token is required.' });
      profileId = principal.profileId;
    } else {
      const session = await this.sessions.find(this.sessionCookie.read(request));
      profileId = session?.profileId ?? undefined;
      username = session?.username ?? undefined;
    }
    const checked = this.check(query, application);
    if (checked instanceof AuthorizeProblem) {
      if (!profileId) return html(reply, 400, errorPage(`The application sent an invalid request (${checked.error}): ${checked.description}`));
      return this.redirectTo(reply, redirectUri, { error: checked.error, error_description: checked.description, state: query.state });
    }
    const forceConsent = query.prompt?.split(' ').includes('consent') ?? false;
    const params: AuthorizationParams = { clientId: application.clientId, redirectUri, scopes: checked, state: query.state, codeChallenge: query.code_challenge, forceConsent };
    if (profileId) {
      // The header is itself the consent (DESIGN §7) unless prompt=consent asks for the page.
      if ((byHeader && !forceConsent) || (await this.remembered(application, params, profileId))) return this.approve(reply, application, params, profileId);
      const pending = await this.requests.open(params, { profileId, username: username ?? profileId });
      this.loginCookie.set(reply, pending.cookie);
      const page = consentPage({ applicationName: application.name, scopes: params.scopes, requestId: pending.id, csrf: pending.csrf, username: username ?? profileId });
      return html(reply, 200, page, redirectUri);
    }

    const pending = await this.requests.open(params);
    this.loginCookie.set(reply, pending.cookie);
    return html(reply, 200, loginPage({ applicationName: application.name, requestId: pending.id, csrf: pending.csrf }));
  }

  @Post('login')
  @ApiExcludeEndpoint()
  async login(@Body() form: LoginFormDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cookie = this.loginCookie.read(request);
    const pending = await this.requests.find(form.request_id, cookie, form.csrf_token);
    const application = pending && (await this.applications.byClientId(pending.params.clientId));
    if (!pending || !application || !cookie) return html(reply, 400, errorPage('This sign-in form has expired. Start again from the application.'));
    const check = await this.passwords.signIn(request.ip, form.username, form.password);
    if (check.outcome !== 'accepted') {
      const throttled = check.outcome === 'throttled';
      if (throttled) void reply.header('Retry-After', String(check.retryAfterSeconds));
      const error = throttled ? `Too many attempts; try again in ${check.retryAfterSeconds} seconds.` : 'Wrong username or password.';
      return html(reply, throttled ? 429 : 401, loginPage({ applicationName: application.name, requestId: pending.id, csrf: form.csrf_token, username: form.username, error }));
    }
    const { profile } = check;
    const session = await this.requests.authenticated(pending.id, cookie, profile.profileId, profile.username);
    if (!session) return html(reply, 400, errorPage('This sign-in form has expired. Start again from the application.'));
    const browserSession = await this.sessions.signedIn(profile.profileId, profile.username, this.sessionCookie.read(request));
    if ((await this.remembered(application, pending.params, profile.profileId)) && (await this.requests.consume(pending.id))) {
      this.loginCookie.clear(reply);
      this.sessionCookie.set(reply, browserSession.cookie);
      return this.approve(reply, application, pending.params, profile.profileId);
    }
    // The request's own cookie first: clients that read one Set-Cookie see the one this page needs.
    this.loginCookie.set(reply, session.cookie);
    this.sessionCookie.set(reply, browserSession.cookie);
    const page = consentPage({ applicationName: application.name, scopes: pending.params.scopes, requestId: pending.id, csrf: session.csrf, username: profile.username });
    return html(reply, 200, page, pending.params.redirectUri);
  }

  @Post('consent')
  @ApiExcludeEndpoint()
  async consent(@Body() form: ConsentFormDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pending = await this.requests.find(form.request_id, this.loginCookie.read(request), form.csrf_token);
    const application = pending && (await this.applications.byClientId(pending.params.clientId));
    if (!pending?.profileId || !application || !(await this.requests.consume(pending.id))) {
      return html(reply, 400, errorPage('This consent form has expired or was already used. Start again from the application.'));
    }
    this.loginCookie.clear(reply);
    if (form.decision !== 'approve') {
      return this.redirectTo(reply, pending.params.redirectUri, { error: 'access_denied', error_description: 'The profile denied the request.', state: pending.params.state });
    }
    return this.approve(reply, application, pending.params, pending.profileId);
  }

  /** Consent is remembered for scopes the profile already granted this application, unless prompt=consent. */
  private async remembered(application: OAuthApplicationRow, params: AuthorizationParams, profileId: string): Promise<boolean> {
    return !params.forceConsent && (await this.consents.covers(profileId, application.applicationId, params.scopes));
  }

  private check(query: AuthorizeQueryDto, application: OAuthApplicationRow): string[] | AuthorizeProblem {
    if (query.response_type !== 'code') return new AuthorizeProblem('unsupported_response_type', 'Only response_type=code is supported.');
    if (query.code_challenge_method !== undefined && query.code_challenge_method !== 'S256') {
      return new AuthorizeProblem('invalid_request', 'Only the S256 code_challenge_method is supported.');
    }
    if (query.code_challenge !== undefined && (query.code_challenge_method !== 'S256' || !PKCE_CHALLENGE.test(query.code_challenge))) {
      return new AuthorizeProblem('invalid_request', 'code_challenge must be an S256 challenge (43-128 characters) with code_challenge_method=S256.');
    }
    if (application.clientType === 'public' && !query.code_challenge) return new AuthorizeProblem('invalid_request', 'PKCE (S256) is required for public clients.');
    const requested = (scopeList({ value: query.scope ?? '' }) as string[]) ?? [];
    if (!requested.every((scope) => isKnownScope(scope) && scopeSatisfies(application.scopes, scope))) return new AuthorizeProblem('invalid_scope', 'The requested scope exceeds the application’s.');
    return requested.length > 0 ? requested : application.scopes;
  }

  private async approve(reply: FastifyReply, application: OAuthApplicationRow, params: AuthorizationParams, profileId: string) {
    const code = randomBytes(32).toString('base64url');
    const grantId = uuidv7();
    const command: RequestAuthorizationCode = {
      type: 'RequestAuthorizationCode',
      grantId,
      profileId,
      application: grantApplicationOf(application),
      nonceHash: sha256(randomBytes(16).toString('base64url')),
      scopes: params.scopes,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      codeHash: sha256(code),
    };
    const outcome = await this.commands.run({ context: 'token', streamId: grantStreamId(grantId), command, actor: { profileId } });
    if (outcome.status !== 'succeeded') {
      return this.redirectTo(reply, params.redirectUri, { error: 'server_error', error_description: outcome.reason ?? 'The code could not be issued.', state: params.state });
    }
    return this.redirectTo(reply, params.redirectUri, { code, state: params.state });
  }

  /** Only once the resource owner has authenticated; `iss` per RFC 9207. */
  private redirectTo(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>) {
    const url = new URL(redirectUri);
    for (const [key, value] of Object.entries({ ...params, iss: this.config.issuer })) if (value !== undefined) url.searchParams.set(key, value);
    void reply.header('Cache-Control', 'no-store').redirect(url.toString(), 302);
  }
}
