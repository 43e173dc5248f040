import type { PasswordChanged, QrTokenIssued, QrTokenRedeemed, QrTokenRevoked, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface QrTokenRow {
  qrTokenHash: string;
  qrTokenId: string;
  profileId: string;
  /** Null for rows projected before the column existed. */
  issuedAt: string | null;
  expiresAt: string;
  authorizationTokenId: string | null;
  redeemedAt: string | null;
  revokedAt: string | null;
}

type Handled = QrTokenIssued | QrTokenRedeemed | QrTokenRevoked | PasswordChanged;

/**
 * A password change revokes, at once, every QR token of the profile issued before it: the gateway
 * refuses them as soon as the change succeeded, before the token service's own revocation arrives.
 */
export const evolveQrToken = (row: QrTokenRow | undefined, event: Handled): QrTokenRow | undefined => {
  switch (event.type) {
    case 'QrTokenIssued':
      return {
        qrTokenHash: event.qrTokenHash,
        qrTokenId: event.qrTokenId,
        profileId: event.profileId,
        issuedAt: event.issuedAt,
        expiresAt: event.expiresAt,
        authorizationTokenId: event.authorizationTokenId,
        redeemedAt: null,
        revokedAt: null,
      };
    case 'QrTokenRedeemed':
      return row && { ...row, redeemedAt: event.redeemedAt };
    case 'QrTokenRevoked':
      return row && { ...row, revokedAt: row.revokedAt ?? event.revokedAt };
    case 'PasswordChanged':
      if (!row || row.revokedAt || row.redeemedAt || (row.issuedAt && Date.parse(row.issuedAt) > Date.parse(event.changedAt))) return row;
      return { ...row, revokedAt: event.changedAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

const isoOrNull = (value: unknown): string | null => (value ? new Date(value as string).toISOString() : null);

const toRow = (row: Record<string, unknown>): QrTokenRow => ({
  qrTokenHash: row.qr_token_hash as string,
  qrTokenId: row.qr_token_id as string,
  profileId: row.profile_id as string,
  issuedAt: isoOrNull(row.issued_at),
  expiresAt: new Date(row.expires_at as string).toISOString(),
  authorizationTokenId: (row.authorization_token_id as string | null) ?? null,
  redeemedAt: isoOrNull(row.redeemed_at),
  revokedAt: isoOrNull(row.revoked_at),
});

/** Lets the gateway find which profile a presented QR token belongs to, and whether it was revoked. */
export const qrTokensProjection: Projection = {
  name: 'qr_tokens',
  handles: ['token:QrTokenIssued', 'token:QrTokenRedeemed', 'token:QrTokenRevoked', 'profile:PasswordChanged'],
  tables: ['qr_tokens'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as Handled;
    const { rows } =
      event.type === 'PasswordChanged'
        ? await client.query(`SELECT * FROM "${schema}".qr_tokens WHERE profile_id = $1 AND revoked_at IS NULL AND redeemed_at IS NULL`, [event.profileId])
        : await client.query(`SELECT * FROM "${schema}".qr_tokens WHERE qr_token_id = $1`, [event.qrTokenId]);
    const current = rows.map(toRow);
    for (const row of current.length > 0 ? current : [undefined]) {
      const next = evolveQrToken(row, event);
      if (!next || next === row) continue;
      await client.query(
        `INSERT INTO "${schema}".qr_tokens (qr_token_hash, qr_token_id, profile_id, issued_at, expires_at, authorization_token_id, redeemed_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (qr_token_hash) DO UPDATE SET redeemed_at = EXCLUDED.redeemed_at, revoked_at = EXCLUDED.revoked_at`,
        [next.qrTokenHash, next.qrTokenId, next.profileId, next.issuedAt, next.expiresAt, next.authorizationTokenId, next.redeemedAt, next.revokedAt],
      );
    }
  },
};
