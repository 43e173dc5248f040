import type { GrantEvent, RecordedEvent } from '@platform/contracts';
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
  ddl: (schema) => `
    CREATE TABLE IF NOT EXISTS "${schema}".grants (
      grant_id text PRIMARY KEY,
      application_id text NOT NULL,
      client_id text NOT NULL,
      profile_id text,
      scopes jsonb NOT NULL,
      nonce_hash text,
      status text NOT NULL,
      code_expires_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS grants_application ON "${schema}".grants (application_id);
    ALTER TABLE "${schema}".grants ADD COLUMN IF NOT EXISTS granted_at timestamptz, ADD COLUMN IF NOT EXISTS expires_at timestamptz;
    CREATE INDEX IF NOT EXISTS grants_resource_owner ON "${schema}".grants (profile_id) WHERE profile_id IS NOT NULL;
    CREATE TABLE IF NOT EXISTS "${schema}".grant_secrets (
      secret_hash text PRIMARY KEY,
      grant_id text NOT NULL,
      kind text NOT NULL,
      expires_at timestamptz NOT NULL,
      retired boolean NOT NULL DEFAULT false
    );
    CREATE INDEX IF NOT EXISTS grant_secrets_by_grant ON "${schema}".grant_secrets (grant_id)`,
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as GrantEvent;
    const { rows } = await client.query(`SELECT * FROM "${schema}".grants WHERE grant_id = $1`, [event.grantId]);
    const before: GrantRow | undefined = rows[0] && {
      grantId: rows[0].grant_id,
      applicationId: rows[0].application_id,
      clientId: rows[0].client_id,
      profileId: rows[0].profile_id,
      scopes: rows[0].scopes,
      nonceHash: rows[0].nonce_hash,
      status: rows[0].status,
      codeExpiresAt: rows[0].code_expires_at && new Date(rows[0].code_expires_at).toISOString(),
      grantedAt: rows[0].granted_at && new Date(rows[0].granted_at).toISOString(),
      expiresAt: rows[0].expires_at && new Date(rows[0].expires_at).toISOString(),
    };
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
};
