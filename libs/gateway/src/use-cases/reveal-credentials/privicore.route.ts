import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { isoWithOffset } from '../../http/time';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { RevealCredentialsCommand } from './reveal-credentials.command';

/** Only the profile's own token may read credentials (no `@Access`: application tokens are refused). */
@ApiTags('oauth-application')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class ApplicationConfigurationRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('retrieve-oauth-application-configuration')
  @HttpCode(200)
  @UseGuards(CallerGuard)
  @ApiOkResponse({ description: '`{"applicationId","clientId","clientSecret","name","redirectUris","scopes",…}`, once' })
  @ApiUnprocessableEntityResponse({ description: '`{"error":"oauth.already_retrieved"}`' })
  async retrieve(@CurrentCaller() caller: Caller, @Body() body: ApplicationIdDto) {
    const revealed = await this.commandBus.execute(new RevealCredentialsCommand(body.applicationId, caller.profileId, actorOf(caller)));
    const application = revealed.application!;
    return {
      applicationId: application.applicationId,
      clientId: application.clientId,
      clientSecret: revealed.clientSecret,
      clientType: application.clientType,
      name: application.name,
      redirectUris: application.redirectUris,
      scopes: application.scopes,
      accessTokenTtl: application.accessTokenTtlSeconds,
      refreshTokenTtl: application.refreshTokenTtlSeconds,
      status: application.status,
      createdAt: isoWithOffset(application.createdAt),
    };
  }
}
