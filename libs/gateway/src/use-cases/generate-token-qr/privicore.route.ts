import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { GenerateTokenQrCommand } from './generate-token-qr.command';

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class GenerateTokenQrRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('generate-token-qr')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"qrToken","expiresAt"}`: one-time, short-lived' })
  async generateQr(@Principal() principal: ProfilePrincipal) {
    const qr = await this.commandBus.execute(new GenerateTokenQrCommand(principal));
    return { qrToken: qr.value, expiresAt: isoWithOffset(qr.expiresAt) };
  }
}
