import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { RevokeAuthorizationTokenCommand } from './revoke-authorization-token.command';

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class RevokeAuthorizationTokenRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('revoke-authorization-token')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"revoked":true}`; the token is refused from then on' })
  async revoke(@Principal() principal: ProfilePrincipal) {
    await this.commandBus.execute(new RevokeAuthorizationTokenCommand(principal));
    return { revoked: true };
  }
}
