import type { PoolClient } from 'pg';
import type { PasswordChanged, RecordedEvent, TokenEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';
import { CHANNELS } from '../commands/pg-notifications';

export interface AuthorizationTokenRow {
  tokenHash: string;
  tokenId: string;
  profileId: string;
  issuedAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

type Handled = Extract<TokenEvent, { type: 'AuthorizationTokenIssued' | 'AuthorizationTokenRevoked' }> | PasswordChanged;

/** A password change revokes, at once, every token of the profile issued before it but the one that made it. */
export const evolveAuthorizationToken = (row: AuthorizationTokenRow | undefined, event: Handled): AuthorizationTokenRow | undefined => {
  switch (event.type) {
    case 'AuthorizationTokenIssued':
      return { tokenHash: event.tokenHash, tokenId: event.tokenId, profileId: event.profileId, issuedAt: event.issuedAt, expiresAt: event.expiresAt, revokedAt: null };
    case 'AuthorizationTokenRevoked':
      return row && { ...row, revokedAt: row.revokedAt ?? event.revokedAt };
    case 'PasswordChanged':
      if (!row || row.revokedAt || row.tokenId === event.keepAuthorizationTokenId || Date.parse(row.issuedAt) > Date.parse(event.changedAt)) return row;
      return { ...row, revokedAt: event.changedAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

const toRow = (row: Record<string, unknown>): AuthorizationTokenRow => ({
  tokenHash: row.token_hash as string,
  tokenId: row.token_id as string,
  profileId: row.profile_id as string,
  issuedAt: new Date(row.issued_at as string).toISOString(),
  expiresAt: new Date(row.expires_at as string).toISOString(),
  revokedAt: row.revoked_at ? new Date(row.revoked_at as string).toISOString() : null,
});

async function save(client: PoolClient, schema: string, before: AuthorizationTokenRow | undefined, after: AuthorizationTokenRow | undefined) {
  if (!after) return;
  await client.query(
    `INSERT INTO "${schema}".authorization_tokens (token_hash, token_id, profile_id, issued_at, expires_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (token_hash) DO UPDATE SET revoked_at = EXCLUDED.revoked_at`,
    [after.tokenHash, after.tokenId, after.profileId, after.issuedAt, after.expiresAt, after.revokedAt],
  );
  if (!before?.revokedAt && after.revokedAt) await client.query(`SELECT pg_notify($1, $2)`, [CHANNELS.tokenRevoked, after.tokenHash]);
}

/**
 * `apply` of many `AuthorizationTokenIssued` events as one data-modifying statement with its parameters,
 * for a writer that folds it into a statement of its own.
 */
export const issuedTokensInsert = (schema: string, recorded: readonly Pick<RecordedEvent, 'type' | 'data'>[], params: unknown[]): string => {
  const rows = [...new Map(recorded.map((event) => [(event.data as { tokenHash: string }).tokenHash, evolveAuthorizationToken(undefined, { type: event.type, ...event.data } as Handled)!])).values()];
  const at = (values: unknown[]) => `$${params.push(values)}`;
  return `INSERT INTO "${schema}".authorization_tokens (token_hash, token_id, profile_id, issued_at, expires_at, revoked_at)
    SELECT h, i, p, ia, ea, NULL FROM unnest(${at(rows.map((r) => r.tokenHash))}::text[], ${at(rows.map((r) => r.tokenId))}::text[], ${at(rows.map((r) => r.profileId))}::text[],
      ${at(rows.map((r) => r.issuedAt))}::timestamptz[], ${at(rows.map((r) => r.expiresAt))}::timestamptz[]) AS t(h, i, p, ia, ea)
    ON CONFLICT (token_hash) DO UPDATE SET revoked_at = EXCLUDED.revoked_at`;
};

/** The gateway's view of profile authorization tokens, by SHA-256 of the token. */
export const authorizationTokensProjection: Projection = {
  name: 'authorization_tokens',
  handles: ['token:AuthorizationTokenIssued', 'token:AuthorizationTokenRevoked', 'profile:PasswordChanged'],
  tables: ['authorization_tokens'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as Handled;
    // An issued token's row depends on nothing before it (the row is keyed by its hash): no read.
    if (event.type === 'AuthorizationTokenIssued') return save(client, schema, undefined, evolveAuthorizationToken(undefined, event));
    const { rows } =
      event.type === 'PasswordChanged'
        ? await client.query(`SELECT * FROM "${schema}".authorization_tokens WHERE profile_id = $1 AND revoked_at IS NULL`, [event.profileId])
        : await client.query(`SELECT * FROM "${schema}".authorization_tokens WHERE token_id = $1`, [event.tokenId]);
    const current = rows.map(toRow);
    if (current.length === 0) return save(client, schema, undefined, evolveAuthorizationToken(undefined, event));
    for (const row of current) await save(client, schema, row, evolveAuthorizationToken(row, event));
  },
};
