import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { RevokeApplicationCommand } from './revoke-application.command';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class RevokeApplicationRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('oauth-application-revoke')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; every token of the application is refused once it succeeds' })
  async revoke(@CurrentCaller() caller: Caller, @Body() body: ApplicationIdDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return accepted(reply, await this.commandBus.execute(new RevokeApplicationCommand(body.applicationId, caller.profileId, actorOf(caller))));
  }
}
