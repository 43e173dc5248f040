import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { CLIENT_SECRET_GRACE_SECONDS, oauthApplicationStreamId, type RevokeOAuthApplication, type RotateClientSecret } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { accepted } from '../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../http/caller';
import { isoWithOffset } from '../http/time';
import { ApplicationIdDto } from './application-id.dto';
import { ApplicationsRepository } from './applications.repository';
import { AuditTrail } from './audit-trail';
import { CallRecorder } from './call-recorder';
import { RotateSecretDto } from '../use-cases/rotate-secret/rotate-secret.dto';

export class AuditQueryDto extends ApplicationIdDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

/** Rotate, revoke, usage and audit: the owner's controls over its applications. */
@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ApplicationControlRoutes {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly calls: CallRecorder,
    private readonly audit: AuditTrail,
  ) {}

  @Post('oauth-application-rotate-secret')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; the new secret is readable once through the configuration route, the previous one authenticates for `graceSeconds`' })
  async rotate(@CurrentCaller() caller: Caller, @Body() body: RotateSecretDto, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.applications.owned(body.applicationId, caller.profileId);
    const graceSeconds = body.graceSeconds ?? CLIENT_SECRET_GRACE_SECONDS.default;
    const command: RotateClientSecret = { type: 'RotateClientSecret', applicationId: body.applicationId, profileId: caller.profileId, graceSeconds };
    const commandId = await this.dispatcher.dispatch({ context: 'oauth-app', streamId: oauthApplicationStreamId(body.applicationId), command, actor: actorOf(caller) });
    return accepted(reply, commandId);
  }

  @Post('oauth-application-revoke')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; every token of the application is refused once it succeeds' })
  async revoke(@CurrentCaller() caller: Caller, @Body() body: ApplicationIdDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const command: RevokeOAuthApplication = { type: 'RevokeOAuthApplication', applicationId: body.applicationId, profileId: caller.profileId };
    const commandId = await this.dispatcher.dispatch({ context: 'oauth-app', streamId: oauthApplicationStreamId(body.applicationId), command, actor: actorOf(caller) });
    return accepted(reply, commandId);
  }

  @Get('oauth-application-usage')
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: '`{"applicationId","tokensIssued","tokensRefreshed","tokensRevoked","callsMade","lastUsedAt"}`' })
  async usage(@CurrentCaller() caller: Caller, @Query() query: ApplicationIdDto) {
    const application = await this.applications.owned(query.applicationId, caller.profileId);
    await this.calls.flush();
    const { rows } = await this.pool.query(
      `SELECT u.tokens_issued, u.tokens_refreshed, u.tokens_revoked,
              (SELECT count(*)::int FROM "${this.schema}".application_calls c WHERE c.application_id = $1) AS calls_made,
              (SELECT max(at) FROM "${this.schema}".application_calls c WHERE c.application_id = $1) AS last_used_at
         FROM (SELECT $1::text AS application_id) a LEFT JOIN "${this.schema}".application_usage u USING (application_id)`,
      [application.applicationId],
    );
    const row = rows[0];
    return {
      applicationId: application.applicationId,
      tokensIssued: row.tokens_issued ?? 0,
      tokensRefreshed: row.tokens_refreshed ?? 0,
      tokensRevoked: row.tokens_revoked ?? 0,
      callsMade: row.calls_made,
      lastUsedAt: row.last_used_at ? isoWithOffset(row.last_used_at) : null,
    };
  }

  @Get('oauth-application-audit')
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: '`{"items":[…],"nextCursor"}`: calls made with its tokens and changes to it, oldest first' })
  async auditTrail(@CurrentCaller() caller: Caller, @Query() query: AuditQueryDto) {
    const application = await this.applications.owned(query.applicationId, caller.profileId);
    await this.calls.flush();
    return this.audit.page(application.applicationId, query.cursor);
  }
}
