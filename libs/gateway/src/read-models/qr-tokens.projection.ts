import type { QrTokenIssued, QrTokenRedeemed, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface QrTokenRow {
  qrTokenHash: string;
  qrTokenId: string;
  profileId: string;
  expiresAt: string;
  redeemedAt: string | null;
}

export const evolveQrToken = (row: QrTokenRow | undefined, event: QrTokenIssued | QrTokenRedeemed): QrTokenRow | undefined => {
  switch (event.type) {
    case 'QrTokenIssued':
      return { qrTokenHash: event.qrTokenHash, qrTokenId: event.qrTokenId, profileId: event.profileId, expiresAt: event.expiresAt, redeemedAt: null };
    case 'QrTokenRedeemed':
      return row && { ...row, redeemedAt: event.redeemedAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** Lets the gateway find which profile a presented QR token belongs to. */
export const qrTokensProjection: Projection = {
  name: 'qr_tokens',
  handles: ['token:QrTokenIssued', 'token:QrTokenRedeemed'],
  tables: ['qr_tokens'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as QrTokenIssued | QrTokenRedeemed;
    const { rows } = await client.query(`SELECT * FROM "${schema}".qr_tokens WHERE qr_token_id = $1`, [event.qrTokenId]);
    const current: QrTokenRow | undefined = rows[0] && {
      qrTokenHash: rows[0].qr_token_hash,
      qrTokenId: rows[0].qr_token_id,
      profileId: rows[0].profile_id,
      expiresAt: new Date(rows[0].expires_at).toISOString(),
      redeemedAt: rows[0].redeemed_at && new Date(rows[0].redeemed_at).toISOString(),
    };
    const next = evolveQrToken(current, event);
    if (!next) return;
    await client.query(
      `INSERT INTO "${schema}".qr_tokens (qr_token_hash, qr_token_id, profile_id, expires_at, redeemed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (qr_token_hash) DO UPDATE SET redeemed_at = EXCLUDED.redeemed_at`,
      [next.qrTokenHash, next.qrTokenId, next.profileId, next.expiresAt, next.redeemedAt],
    );
  },
};
