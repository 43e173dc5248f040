import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { RegisterApplicationCommand } from './register-application.command';
import { RegisterOAuthApplicationDto } from './register-application.dto';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
export class RegisterOAuthApplicationRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('oauth-application-register')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`: the command id is the applicationId' })
  async register(@CurrentCaller() caller: Caller, @Body() body: RegisterOAuthApplicationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const registration = {
      name: body.name,
      clientType: body.clientType,
      redirectUris: body.redirectUri,
      scopes: body.scopes,
      accessTokenTtlSeconds: body.accessTokenTtl,
      refreshTokenTtlSeconds: body.refreshTokenTtl,
    };
    const { applicationId } = await this.commandBus.execute(new RegisterApplicationCommand(caller.profileId, actorOf(caller), registration, 'accepted'));
    return accepted(reply, applicationId);
  }
}
