import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { RetirePreviousSecretCommand } from './retire-previous-secret.command';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class RetirePreviousSecretRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('oauth-application-retire-secret')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; the previous secret is refused once it succeeds' })
  async retire(@CurrentCaller() caller: Caller, @Body() body: ApplicationIdDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { commandId } = await this.commandBus.execute(new RetirePreviousSecretCommand(body.applicationId, caller.profileId, actorOf(caller), 'accepted'));
    return accepted(reply, commandId);
  }
}
