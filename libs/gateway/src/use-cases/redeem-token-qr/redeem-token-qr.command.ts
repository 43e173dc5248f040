import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../../http/errors';
import type { IssuedSecret } from '../../profile/token-commands';

/** A second device trades a one-time QR token for an authorization token of its own. */
export class RedeemTokenQrCommand extends Command<IssuedSecret> {
  constructor(readonly qrToken: string) {
    super();
  }
}

export interface QrTokenRow {
  qrTokenId: string;
  profileId: string;
  revokedAt: Date | null;
  redeemedAt: Date | null;
  expiresAt: Date;
}

/**
 * Refused from the read model without a command, so a refusal writes nothing: the read model learns of
 * a password change before the token service does, and a used or expired token needs no decision (the
 * decider still settles two redemptions racing each other).
 */
export const redeemable = (row: QrTokenRow | undefined, now: Date): QrTokenRow => {
  if (!row) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenInvalid, 'Unknown QR token.');
  if (row.revokedAt) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenRevoked, 'The QR token was revoked.');
  if (row.redeemedAt || row.expiresAt <= now) {
    throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenAlreadyRedeemed, 'The QR token was already used or has expired.');
  }
  return row;
};
