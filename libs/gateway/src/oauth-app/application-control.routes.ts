import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CLIENT_SECRET_GRACE_SECONDS, oauthApplicationStreamId, type RotateClientSecret } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { accepted } from '../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../http/caller';
import { ApplicationsRepository } from './applications.repository';
import { RotateSecretDto } from '../use-cases/rotate-secret/rotate-secret.dto';

/** Rotate: the owner replaces its application's secret (revoke, usage and audit are use cases of their own). */
@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ApplicationControlRoutes {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
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
}
