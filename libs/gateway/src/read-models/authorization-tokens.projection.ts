import type { RecordedEvent, TokenEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface AuthorizationTokenRow {
  tokenHash: string;
  tokenId: string;
  profileId: string;
  expiresAt: string;
  revokedAt: string | null;
}

export const evolveAuthorizationToken = (
  row: AuthorizationTokenRow | undefined,
  event: TokenEvent,
): AuthorizationTokenRow | undefined => {
  switch (event.type) {
    case 'AuthorizationTokenIssued':
      return { tokenHash: event.tokenHash, tokenId: event.tokenId, profileId: event.profileId, expiresAt: event.expiresAt, revokedAt: null };
    case 'AuthorizationTokenRevoked':
      return row && { ...row, revokedAt: event.revokedAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** The gateway's view of profile authorization tokens, by SHA-256 of the token. */
export const authorizationTokensProjection: Projection = {
  name: 'authorization_tokens',
  handles: ['token:AuthorizationTokenIssued', 'token:AuthorizationTokenRevoked'],
  tables: ['authorization_tokens'],
  ddl: (schema) => `
    CREATE TABLE IF NOT EXISTS "${schema}".authorization_tokens (
      token_hash text PRIMARY KEY,
      token_id text NOT NULL UNIQUE,
      profile_id text NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS authorization_tokens_profile ON "${schema}".authorization_tokens (profile_id)`,
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as TokenEvent;
    const { rows } = await client.query(
      `SELECT token_hash, token_id, profile_id, expires_at, revoked_at FROM "${schema}".authorization_tokens WHERE token_hash = $1`,
      [event.tokenHash],
    );
    const current: AuthorizationTokenRow | undefined = rows[0] && {
      tokenHash: rows[0].token_hash,
      tokenId: rows[0].token_id,
      profileId: rows[0].profile_id,
      expiresAt: new Date(rows[0].expires_at).toISOString(),
      revokedAt: rows[0].revoked_at && new Date(rows[0].revoked_at).toISOString(),
    };
    const next = evolveAuthorizationToken(current, event);
    if (!next) return;
    await client.query(
      `INSERT INTO "${schema}".authorization_tokens (token_hash, token_id, profile_id, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (token_hash) DO UPDATE SET revoked_at = EXCLUDED.revoked_at, expires_at = EXCLUDED.expires_at`,
      [next.tokenHash, next.tokenId, next.profileId, next.expiresAt, next.revokedAt],
    );
  },
};
