import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { oauthApplicationStreamId, type RotateClientSecret } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { accepted } from '../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../http/caller';
import { ApplicationIdDto } from './application-id.dto';

/** Rotate: the owner replaces its application's secret (the other controls are use cases of their own). */
@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ApplicationControlRoutes {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  @Post('oauth-application-rotate-secret')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; the new secret is readable once through the configuration route' })
  async rotate(@CurrentCaller() caller: Caller, @Body() body: ApplicationIdDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const command: RotateClientSecret = { type: 'RotateClientSecret', applicationId: body.applicationId, profileId: caller.profileId };
    const commandId = await this.dispatcher.dispatch({ context: 'oauth-app', streamId: oauthApplicationStreamId(body.applicationId), command, actor: actorOf(caller) });
    return accepted(reply, commandId);
  }
}
