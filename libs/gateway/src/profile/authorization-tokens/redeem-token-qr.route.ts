import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { ClientAttemptsGuard } from '../../http/brute-force';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { TokenCommands } from './token-commands';

export class RedeemQrTokenDto {
  @ApiProperty({ description: 'The QR token shown on the first device.' })
  @IsString()
  @Length(16, 256)
  qrToken!: string;
}

/** A second device trades a one-time QR token for an authorization token of its own. */
@ApiTags('profile')
@Controller('profile')
export class RedeemTokenQrRoute {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  @Post('redeem-token-qr')
  @HttpCode(200)
  @UseGuards(ClientAttemptsGuard)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`; a QR token works once' })
  async redeem(@Body() body: RedeemQrTokenDto) {
    const { rows } = await this.pool.query(`SELECT qr_token_id, profile_id, revoked_at FROM "${this.schema}".qr_tokens WHERE qr_token_hash = $1`, [
      sha256(body.qrToken),
    ]);
    if (rows.length === 0) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenInvalid, 'Unknown QR token.');
    // The read model learns of a password change before the token service does: refuse here first.
    if (rows[0].revoked_at) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenRevoked, 'The QR token was revoked.');
    const token = this.tokens.newSecret();
    const expiresAt = new Date(Date.now() + this.config.authorizationTokenTtlSeconds * 1000).toISOString();
    await this.tokens.require(
      { type: 'RedeemQrToken', profileId: rows[0].profile_id, qrTokenId: rows[0].qr_token_id, tokenId: token.id, tokenHash: token.hash, expiresAt },
      HttpStatus.BAD_REQUEST,
      'The QR token was already used or has expired.',
    );
    return { authorizationToken: token.value, expiresAt: isoWithOffset(expiresAt) };
  }
}
