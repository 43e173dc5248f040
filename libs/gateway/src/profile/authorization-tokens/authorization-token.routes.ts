import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { TokenCommands } from './token-commands';

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 2_592_000;

export class ReauthorizeDto {
  @ApiProperty({ minimum: MIN_TTL_SECONDS, maximum: MAX_TTL_SECONDS, description: 'Lifetime of the new token, in seconds.' })
  @Type(() => Number)
  @IsInt()
  @Min(MIN_TTL_SECONDS)
  @Max(MAX_TTL_SECONDS)
  ttl!: number;
}

/** The profile's own authorization token: reauthorize, revoke, expiry, QR generation. */
@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class AuthorizationTokenRoutes {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  @Post('reauthorize-authorization-token')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`; the presented token stops working' })
  async reauthorize(@Principal() principal: ProfilePrincipal, @Body() body: ReauthorizeDto) {
    const token = this.tokens.newSecret();
    const expiresAt = new Date(Date.now() + body.ttl * 1000).toISOString();
    await this.tokens.require(
      {
        type: 'ReauthorizeAuthorizationToken',
        profileId: principal.profileId,
        currentTokenId: principal.tokenId,
        tokenId: token.id,
        tokenHash: token.hash,
        expiresAt,
      },
      HttpStatus.UNAUTHORIZED,
      'The presented token is no longer active.',
    );
    return { authorizationToken: token.value, expiresAt: isoWithOffset(expiresAt) };
  }

  @Post('revoke-authorization-token')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"revoked":true}`; the token is refused from then on' })
  async revoke(@Principal() principal: ProfilePrincipal) {
    await this.tokens.require(
      { type: 'RevokeAuthorizationToken', profileId: principal.profileId, tokenId: principal.tokenId },
      HttpStatus.UNAUTHORIZED,
      'The presented token is no longer active.',
    );
    return { revoked: true };
  }

  @Post('authorization-token/expiry')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"expiresAt"}`' })
  expiry(@Principal() principal: ProfilePrincipal) {
    return { expiresAt: isoWithOffset(principal.expiresAt) };
  }

  @Post('generate-token-qr')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"qrToken","expiresAt"}`: one-time, short-lived' })
  async generateQr(@Principal() principal: ProfilePrincipal) {
    const qr = this.tokens.newSecret();
    const expiresAt = new Date(Date.now() + this.config.qrTokenTtlSeconds * 1000).toISOString();
    await this.tokens.require(
      { type: 'IssueQrToken', profileId: principal.profileId, authorizationTokenId: principal.tokenId, qrTokenId: qr.id, qrTokenHash: qr.hash, expiresAt },
      HttpStatus.SERVICE_UNAVAILABLE,
      'The QR token could not be issued; try again.',
    );
    return { qrToken: qr.value, expiresAt: isoWithOffset(expiresAt) };
  }
}
