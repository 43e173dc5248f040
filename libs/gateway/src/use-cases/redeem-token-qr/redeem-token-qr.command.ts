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
}

/** The read model learns of a password change before the token service does: a revoked QR token is refused here first. */
export const redeemable = (row: QrTokenRow | undefined): QrTokenRow => {
  if (!row) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenInvalid, 'Unknown QR token.');
  if (row.revokedAt) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.qrTokenRevoked, 'The QR token was revoked.');
  return row;
};
