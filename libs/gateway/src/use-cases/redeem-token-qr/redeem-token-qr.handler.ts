import { HttpStatus, Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { sha256 } from '../../http/profile-auth';
import { type IssuedSecret, TokenCommands } from '../../profile/token-commands';
import { type QrTokenRow, redeemable, RedeemTokenQrCommand } from './redeem-token-qr.command';

@CommandHandler(RedeemTokenQrCommand)
export class RedeemTokenQrHandler implements ICommandHandler<RedeemTokenQrCommand> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  async execute({ qrToken }: RedeemTokenQrCommand): Promise<IssuedSecret> {
    const { qrTokenId, profileId } = redeemable(await this.byHash(sha256(qrToken)), new Date());
    return this.tokens.issue(
      this.config.authorizationTokenTtlSeconds,
      (token, expiresAt) => ({ type: 'RedeemQrToken', profileId, qrTokenId, tokenId: token.id, tokenHash: token.hash, expiresAt }),
      { status: HttpStatus.BAD_REQUEST, message: 'The QR token was already used or has expired.' },
    );
  }

  private async byHash(qrTokenHash: string): Promise<QrTokenRow | undefined> {
    const { rows } = await this.pool.query(`SELECT qr_token_id, profile_id, revoked_at, redeemed_at, expires_at FROM "${this.schema}".qr_tokens WHERE qr_token_hash = $1`, [qrTokenHash]);
    const row = rows[0];
    return row && { qrTokenId: row.qr_token_id, profileId: row.profile_id, revokedAt: row.revoked_at, redeemedAt: row.redeemed_at, expiresAt: new Date(row.expires_at) };
  }
}
