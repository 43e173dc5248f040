import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { UpdateApplicationCommand } from './update-application.command';
import { UpdateOAuthApplicationDto } from './update-application.dto';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class UpdateOAuthApplicationRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('oauth-application-update')
  @HttpCode(202)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; narrowed scopes are enforced on live tokens once it succeeds' })
  async update(@CurrentCaller() caller: Caller, @Body() body: UpdateOAuthApplicationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const changes = {
      name: body.name,
      redirectUris: body.redirectUri,
      scopes: body.scopes,
      accessTokenTtlSeconds: body.accessTokenTtl,
      refreshTokenTtlSeconds: body.refreshTokenTtl,
    };
    const { commandId } = await this.commandBus.execute(new UpdateApplicationCommand(body.applicationId, caller.profileId, actorOf(caller), changes, 'accepted'));
    return accepted(reply, commandId);
  }
}
