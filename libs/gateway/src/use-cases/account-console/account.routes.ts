import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandWaiter } from '../../commands/command-waiter';
import { BrowserSessions, csrfFor, csrfMatches } from '../../http/browser-session/browser-sessions';
import { SessionCookie } from '../../http/browser-session/session-cookie';
import { escape } from '../../oauth-standard/authorize/pages';
import { AuthorizePageErrorFilter } from '../../oauth-standard/authorize/authorize-error.filter';
import { html } from '../../oauth-standard/authorize/html-reply';
import { errorPage, loginPage } from '../../oauth-standard/authorize/pages';
import { PasswordAttempts } from '../../profile/password-attempts';
import { RevokeAuthorizedApplicationCommand } from '../revoke-authorized-application/revoke-authorized-application.command';
import { AccountConsoleQuery } from './account-console.query';
import { auditCsv, consolePage } from './account-pages';
import { AuditFilterDto } from './audit-filter';
import { OwnerApplicationActionCommand, type OwnerAction } from './owner-application-action.command';

class CsrfFormDto {
  @IsString() @MaxLength(128) csrf_token!: string;
}
class LoginFormDto extends CsrfFormDto {
  @IsString() @MaxLength(64) username!: string;
  @IsString() @MaxLength(128) password!: string;
}
class ApplicationActionDto extends CsrfFormDto {
  @IsString() @MaxLength(64) applicationId!: string;
  @IsIn(['rotate-secret', 'retire-previous-secret', 'revoke', 'delete']) action!: OwnerAction;
}
class GrantRevokeDto extends CsrfFormDto {
  @IsString() @MaxLength(64) grantId!: string;
  @IsOptional() @IsString() @MaxLength(64) applicationId?: string;
}

const expired = 'This form has expired. Open your account page again.';

/**
 * `GET /account`: the profile's console, signed in through the same browser session (and password
 * budget) as `/oauth/authorize`. Each form dispatches the command the API's handlers run.
 */
@ApiExcludeController()
@Controller('account')
@UseFilters(AuthorizePageErrorFilter)
export class AccountRoutes {
  private readonly cookie: SessionCookie;

  constructor(
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    private readonly sessions: BrowserSessions,
    private readonly passwords: PasswordAttempts,
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly waiter: CommandWaiter,
  ) {
    this.cookie = new SessionCookie(config.issuer);
  }

  @Get()
  async page(@Query() filter: AuditFilterDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cookie = this.cookie.read(request);
    const session = await this.sessions.find(cookie);
    if (!cookie || !session?.profileId) {
      const anonymous = session ? { cookie: cookie!, csrf: csrfFor(cookie!) } : await this.sessions.anonymous();
      this.cookie.set(reply, anonymous.cookie);
      return html(reply, 200, loginPage({ applicationName: 'your account', requestId: 'account', csrf: anonymous.csrf, action: '/account/login' }));
    }
    return this.render(reply, cookie, session.profileId, session.username ?? '', filter);
  }

  @Post('login')
  async login(@Body() form: LoginFormDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cookie = this.cookie.read(request);
    if (!csrfMatches(cookie, form.csrf_token) || !(await this.sessions.find(cookie))) return html(reply, 400, errorPage(expired));
    const check = await this.passwords.signIn(request.ip, form.username, form.password);
    if (check.outcome !== 'accepted') {
      const throttled = check.outcome === 'throttled';
      if (throttled) void reply.header('Retry-After', String(check.retryAfterSeconds));
      const error = throttled ? `Too many attempts; try again in ${check.retryAfterSeconds} seconds.` : 'Wrong username or password.';
      const page = loginPage({ applicationName: 'your account', requestId: 'account', csrf: form.csrf_token, username: form.username, error, action: '/account/login' });
      return html(reply, throttled ? 429 : 401, page);
    }
    const session = await this.sessions.signedIn(check.profile.profileId, check.profile.username, cookie);
    this.cookie.set(reply, session.cookie);
    return void reply.redirect('/account', 303);
  }

  @Post('sign-out')
  async signOut(@Body() form: CsrfFormDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cookie = this.cookie.read(request);
    if (cookie && csrfMatches(cookie, form.csrf_token)) await this.sessions.end(cookie);
    this.cookie.clear(reply);
    return void reply.redirect('/account', 303);
  }

  @Post('applications')
  async application(@Body() form: ApplicationActionDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const signedIn = await this.signedIn(request, form.csrf_token);
    if (!signedIn) return html(reply, 400, errorPage(expired));
    const outcome = await this.commandBus.execute(new OwnerApplicationActionCommand(form.action, form.applicationId, signedIn.profileId, { profileId: signedIn.profileId }));
    if (!outcome.clientSecret) return void reply.redirect('/account', 303);
    const notice = `The new client secret, shown only this once: <code id="new-secret">${escape(outcome.clientSecret)}</code>`;
    return this.render(reply, signedIn.cookie, signedIn.profileId, signedIn.username, {}, notice);
  }

  @Post('authorized')
  async revokeGrant(@Body() form: GrantRevokeDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const signedIn = await this.signedIn(request, form.csrf_token);
    if (!signedIn) return html(reply, 400, errorPage(expired));
    const commandId = await this.commandBus.execute(new RevokeAuthorizedApplicationCommand(signedIn.profileId, { grantId: form.grantId }, { profileId: signedIn.profileId }));
    await this.waiter.waitForTerminal(commandId);
    return void reply.redirect('/account', 303);
  }

  @Get('audit.csv')
  async csv(@Query() filter: AuditFilterDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const cookie = this.cookie.read(request);
    const session = await this.sessions.find(cookie);
    if (!session?.profileId) return void reply.redirect('/account', 303);
    const view = await this.queryBus.execute(new AccountConsoleQuery(session.profileId, filter));
    return void reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="audit.csv"')
      .header('Cache-Control', 'no-store')
      .send(auditCsv(view.audit));
  }

  private async signedIn(request: FastifyRequest, csrf: string) {
    const cookie = this.cookie.read(request);
    const session = await this.sessions.find(cookie);
    if (!cookie || !session?.profileId || !csrfMatches(cookie, csrf)) return undefined;
    return { cookie, profileId: session.profileId, username: session.username ?? '' };
  }

  private async render(reply: FastifyReply, cookie: string, profileId: string, username: string, filter: AuditFilterDto, notice?: string) {
    const view = await this.queryBus.execute(new AccountConsoleQuery(profileId, filter));
    return html(reply, 200, consolePage({ username, csrf: csrfFor(cookie), view, filter, notice }));
  }
}
