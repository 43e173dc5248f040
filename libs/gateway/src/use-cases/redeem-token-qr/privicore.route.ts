import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ClientAttemptsGuard } from '../../http/brute-force';
import { isoWithOffset } from '../../http/time';
import { RedeemTokenQrCommand } from './redeem-token-qr.command';

export class RedeemQrTokenDto {
  @ApiProperty({ description: 'The QR token shown on the first device.' })
  @IsString()
  @Length(16, 256)
  qrToken!: string;
}

@ApiTags('profile')
@Controller('profile')
export class RedeemTokenQrRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('redeem-token-qr')
  @HttpCode(200)
  @UseGuards(ClientAttemptsGuard)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`; a QR token works once' })
  async redeem(@Body() body: RedeemQrTokenDto) {
    const token = await this.commandBus.execute(new RedeemTokenQrCommand(body.qrToken));
    return { authorizationToken: token.value, expiresAt: isoWithOffset(token.expiresAt) };
  }
}
