import type { GrantEvent, RecordedEvent } from '@platform/contracts';
import { noParts } from '@platform/event-store';
import type { Projection } from '@platform/projector';
import { CHANNELS } from '../commands/pg-notifications';

export interface GrantRow {
  grantId: string;
  applicationId: string;
  clientId: string;
  profileId: string | null;
  scopes: string[];
  nonceHash: string | null;
  status: 'requested' | 'code-issued' | 'active' | 'revoked';
  codeExpiresAt: string | null;
  /** When the resource owner (or, for client_credentials, the client) was granted access. */
  grantedAt?: string | null;
  /** The latest expiry of anything that can still be used: its code, access tokens or refresh token. */
  expiresAt?: string | null;
}

const later = (a: string | null | undefined, b: string): string => (a && Date.parse(a) > Date.parse(b) ? a : b);

export const evolveGrant = (row: GrantRow | undefined, event: GrantEvent): GrantRow | undefined => {
  switch (event.type) {
    case 'AuthorizationCodeRequested':
      return { grantId: event.grantId, applicationId: event.applicationId, clientId: event.clientId, profileId: event.profileId, scopes: event.scopes, nonceHash: event.nonceHash, status: 'requested', codeExpiresAt: event.codeExpiresAt, grantedAt: event.requestedAt, expiresAt: event.codeExpiresAt };
    case 'AuthorizationCodeIssued':
      return row && { ...row, status: row.status === 'revoked' ? row.status : 'code-issued' };
    case 'AccessTokenIssued':
      return row
        ? { ...row, status: row.status === 'revoked' ? row.status : 'active', expiresAt: later(row.expiresAt, event.expiresAt) }
        : { grantId: event.grantId, applicationId: event.applicationId, clientId: event.clientId, profileId: event.profileId, scopes: event.scopes, nonceHash: null, status: 'active', codeExpiresAt: null, grantedAt: event.issuedAt, expiresAt: event.expiresAt };
    case 'GrantRevoked':
      return row && { ...row, status: 'revoked' };
    case 'RefreshTokenIssued':
      return row && { ...row, expiresAt: later(row.expiresAt, event.expiresAt) };
    case 'AuthorizationCodeReplayed':
    case 'RefreshTokenReuseDetected':
      return row;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** Codes and refresh tokens (current and retired) by hash, so a presented one finds its grant. */
const secretOf = (event: GrantEvent): { hash: string; kind: 'code' | 'refresh'; expiresAt: string } | undefined =>
  event.type === 'AuthorizationCodeIssued'
    ? { hash: event.codeHash, kind: 'code', expiresAt: event.codeExpiresAt }
    : event.type === 'RefreshTokenIssued'
      ? { hash: event.refreshTokenHash, kind: 'refresh', expiresAt: event.expiresAt }
      : undefined;

/** A row of the grants table as the read model's own shape. */
export const grantRowOf = (row: Record<string, unknown>): GrantRow => ({
  grantId: row.grant_id as string,
  applicationId: row.application_id as string,
  clientId: row.client_id as string,
  profileId: row.profile_id as string | null,
  scopes: row.scopes as string[],
  nonceHash: row.nonce_hash as string | null,
  status: row.status as GrantRow['status'],
  codeExpiresAt: row.code_expires_at ? new Date(row.code_expires_at as string).toISOString() : null,
  grantedAt: row.granted_at ? new Date(row.granted_at as string).toISOString() : null,
  expiresAt: row.expires_at ? new Date(row.expires_at as string).toISOString() : null,
});

/** What a batch of events does to the grants read model, worked out in memory from the rows before it. */
export const planGrantBatch = (before: ReadonlyMap<string, GrantRow>, events: readonly GrantEvent[]) => {
  const rows = new Map(before);
  const written = new Set<string>();
  const revoked: string[] = [];
  const secrets: { hash: string; grantId: string; kind: 'code' | 'refresh'; expiresAt: string; retired: boolean }[] = [];
  for (const event of events) {
    const previous = rows.get(event.grantId);
    const secret = secretOf(event);
    if (secret) {
      // A later secret of the same grant and kind retires this one, as the per-event UPDATE would.
      for (const earlier of secrets) if (earlier.grantId === event.grantId && earlier.kind === secret.kind) earlier.retired = true;
      secrets.push({ ...secret, grantId: event.grantId, retired: false });
    }
    const next = evolveGrant(previous, event);
    if (!next) continue;
    rows.set(event.grantId, next);
    written.add(event.grantId);
    if (previous?.status !== 'revoked' && next.status === 'revoked') revoked.push(event.grantId);
  }
  return { rows: [...written].sort().map((id) => rows.get(id)!), secrets, revoked };
};

export const grantsProjection: Projection = {
  name: 'grants',
  handles: [
    'token:AuthorizationCodeRequested',
    'token:AuthorizationCodeIssued',
    'token:AccessTokenIssued',
    'token:RefreshTokenIssued',
    'token:AuthorizationCodeReplayed',
    'token:RefreshTokenReuseDetected',
    'token:GrantRevoked',
  ],
  tables: ['grants', 'grant_secrets'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as GrantEvent;
    const { rows } = await client.query(`SELECT * FROM "${schema}".grants WHERE grant_id = $1`, [event.grantId]);
    const before: GrantRow | undefined = rows[0] && grantRowOf(rows[0]);
    const next = evolveGrant(before, event);
    const secret = secretOf(event);
    if (secret) {
      // A new refresh token retires the previous ones of its grant: they stay findable, to detect reuse.
      await client.query(`UPDATE "${schema}".grant_secrets SET retired = true WHERE grant_id = $1 AND kind = $2`, [event.grantId, secret.kind]);
      await client.query(
        `INSERT INTO "${schema}".grant_secrets (secret_hash, grant_id, kind, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [secret.hash, event.grantId, secret.kind, secret.expiresAt],
      );
    }
    if (!next) return;
    await client.query(
      `INSERT INTO "${schema}".grants (grant_id, application_id, client_id, profile_id, scopes, nonce_hash, status, code_expires_at, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (grant_id) DO UPDATE SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at`,
      [next.grantId, next.applicationId, next.clientId, next.profileId, JSON.stringify(next.scopes), next.nonceHash, next.status, next.codeExpiresAt, next.grantedAt ?? null, next.expiresAt ?? null],
    );
    if (before?.status !== 'revoked' && next.status === 'revoked') await client.query(`SELECT pg_notify($1, $2)`, [CHANNELS.tokenRevoked, `grant:${next.grantId}`]);
  },
  async batchParts(client, schema, recorded, params) {
    const events = recorded.map((event) => ({ type: event.type, ...event.data }) as GrantEvent);
    // A grant whose first event is in the batch has no row yet (a stream's events are applied in order).
    const ids = [...new Set(events.filter((event, i) => recorded[i].version > 1).map((event) => event.grantId))];
    const { rows: stored } = ids.length > 0 ? await client.query(`SELECT * FROM "${schema}".grants WHERE grant_id = ANY($1)`, [ids]) : { rows: [] };
    const { rows, secrets, revoked } = planGrantBatch(new Map(stored.map((row) => [row.grant_id as string, grantRowOf(row)])), events);
    const $ = (value: unknown) => `$${params.push(value)}`;
    const parts = noParts();
    if (secrets.length > 0) {
      // Both see the rows from before the statement: the UPDATE retires the stored ones, the INSERT's flags retire the batch's own.
      const retiring = [...new Map(secrets.map((secret) => [`${secret.grantId}\0${secret.kind}`, secret])).values()];
      parts.writes.push(
        `UPDATE "${schema}".grant_secrets s SET retired = true FROM unnest(${$(retiring.map((secret) => secret.grantId))}::text[], ${$(retiring.map((secret) => secret.kind))}::text[]) AS t(g, k)
         WHERE s.grant_id = t.g AND s.kind = t.k`,
        `INSERT INTO "${schema}".grant_secrets (secret_hash, grant_id, kind, expires_at, retired)
         SELECT * FROM unnest(${$(secrets.map((s) => s.hash))}::text[], ${$(secrets.map((s) => s.grantId))}::text[], ${$(secrets.map((s) => s.kind))}::text[], ${$(secrets.map((s) => s.expiresAt))}::timestamptz[], ${$(secrets.map((s) => s.retired))}::boolean[])
         ON CONFLICT DO NOTHING`,
      );
    }
    if (rows.length > 0) {
      parts.writes.push(
        `INSERT INTO "${schema}".grants (grant_id, application_id, client_id, profile_id, scopes, nonce_hash, status, code_expires_at, granted_at, expires_at)
         SELECT * FROM unnest(${$(rows.map((row) => row.grantId))}::text[], ${$(rows.map((row) => row.applicationId))}::text[], ${$(rows.map((row) => row.clientId))}::text[],
           ${$(rows.map((row) => row.profileId))}::text[], ${$(rows.map((row) => JSON.stringify(row.scopes)))}::jsonb[], ${$(rows.map((row) => row.nonceHash))}::text[],
           ${$(rows.map((row) => row.status))}::text[], ${$(rows.map((row) => row.codeExpiresAt))}::timestamptz[], ${$(rows.map((row) => row.grantedAt ?? null))}::timestamptz[],
           ${$(rows.map((row) => row.expiresAt ?? null))}::timestamptz[])
         ON CONFLICT (grant_id) DO UPDATE SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at`,
      );
    }
    if (revoked.length > 0) parts.selects.push(`(SELECT count(pg_notify(${$(CHANNELS.tokenRevoked)}, 'grant:' || id)) FROM unnest(${$(revoked)}::text[]) AS id)`);
    return parts;
  },
};
