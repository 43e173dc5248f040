import type { OAuthApplicationEvent, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';
import { CHANNELS } from '../commands/pg-notifications';

export interface OAuthApplicationRow {
  applicationId: string;
  profileId: string;
  name: string;
  clientId: string;
  clientType: 'confidential' | 'public';
  redirectUris: string[];
  scopes: string[];
  status: 'active' | 'revoked' | 'deleted';
  clientSecretHash: string | null;
  /** The secret before the last rotation, accepted until `previousSecretExpiresAt`. */
  previousSecretHash: string | null;
  previousSecretExpiresAt: string | null;
  credentialsRevealed: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  createdAt: string;
}

export const evolveOAuthApplication = (row: OAuthApplicationRow | undefined, event: OAuthApplicationEvent): OAuthApplicationRow | undefined => {
  switch (event.type) {
    case 'OAuthApplicationRegistered':
      return {
        applicationId: event.applicationId,
        profileId: event.profileId,
        name: event.name,
        clientId: event.clientId,
        clientType: event.clientType,
        redirectUris: event.redirectUris,
        scopes: event.scopes,
        status: 'active',
        clientSecretHash: null,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        credentialsRevealed: false,
        accessTokenTtlSeconds: event.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: event.refreshTokenTtlSeconds,
        createdAt: event.registeredAt,
      };
    case 'ClientCredentialsRevealed':
      return row && { ...row, clientSecretHash: event.clientSecretHash, credentialsRevealed: true };
    case 'ClientSecretRotated':
      return (
        row && {
          ...row,
          clientSecretHash: null,
          previousSecretHash: event.previousSecretHash,
          previousSecretExpiresAt: event.previousSecretExpiresAt,
          credentialsRevealed: false,
        }
      );
    case 'PreviousClientSecretRetired':
      return row && { ...row, previousSecretHash: null, previousSecretExpiresAt: null };
    case 'OAuthApplicationUpdated':
      return row && { ...row, ...event.changes };
    case 'OAuthApplicationRevoked':
      return row && { ...row, status: 'revoked' };
    case 'OAuthApplicationDeleted':
      return row && { ...row, status: 'deleted', clientSecretHash: null, previousSecretHash: null, previousSecretExpiresAt: null };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

const toRow = (r: Record<string, unknown>): OAuthApplicationRow => ({
  applicationId: r.application_id as string,
  profileId: r.profile_id as string,
  name: r.name as string,
  clientId: r.client_id as string,
  clientType: r.client_type as OAuthApplicationRow['clientType'],
  redirectUris: r.redirect_uris as string[],
  scopes: r.scopes as string[],
  status: r.status as OAuthApplicationRow['status'],
  clientSecretHash: r.client_secret_hash as string | null,
  previousSecretHash: (r.previous_secret_hash as string | null) ?? null,
  previousSecretExpiresAt: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at as string).toISOString() : null,
  credentialsRevealed: r.credentials_revealed as boolean,
  accessTokenTtlSeconds: r.access_token_ttl_seconds as number,
  refreshTokenTtlSeconds: r.refresh_token_ttl_seconds as number,
  createdAt: new Date(r.created_at as string).toISOString(),
});
export { toRow as toOAuthApplicationRow };

/** Applications as the gateway serves and checks them; a status change evicts cached token checks. */
export const oauthApplicationsProjection: Projection = {
  name: 'oauth_applications',
  handles: [
    'oauth-app:OAuthApplicationRegistered',
    'oauth-app:ClientCredentialsRevealed',
    'oauth-app:ClientSecretRotated',
    'oauth-app:PreviousClientSecretRetired',
    'oauth-app:OAuthApplicationUpdated',
    'oauth-app:OAuthApplicationRevoked',
    'oauth-app:OAuthApplicationDeleted',
  ],
  tables: ['oauth_applications'],
  ddl: (schema) => `
    CREATE TABLE IF NOT EXISTS "${schema}".oauth_applications (
      application_id text PRIMARY KEY,
      profile_id text NOT NULL,
      name text NOT NULL,
      client_id text NOT NULL UNIQUE,
      client_type text NOT NULL,
      redirect_uris jsonb NOT NULL,
      scopes jsonb NOT NULL,
      status text NOT NULL,
      client_secret_hash text,
      credentials_revealed boolean NOT NULL,
      access_token_ttl_seconds integer NOT NULL,
      refresh_token_ttl_seconds integer NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS oauth_applications_profile ON "${schema}".oauth_applications (profile_id, created_at);
    ALTER TABLE "${schema}".oauth_applications ADD COLUMN IF NOT EXISTS previous_secret_hash text,
      ADD COLUMN IF NOT EXISTS previous_secret_expires_at timestamptz`,
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as OAuthApplicationEvent;
    const { rows } = await client.query(`SELECT * FROM "${schema}".oauth_applications WHERE application_id = $1`, [event.applicationId]);
    const before = rows[0] ? toRow(rows[0]) : undefined;
    const next = evolveOAuthApplication(before, event);
    if (!next) return;
    await client.query(
      `INSERT INTO "${schema}".oauth_applications (application_id, profile_id, name, client_id, client_type, redirect_uris, scopes, status,
         client_secret_hash, credentials_revealed, access_token_ttl_seconds, refresh_token_ttl_seconds, created_at,
         previous_secret_hash, previous_secret_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (application_id) DO UPDATE SET status = EXCLUDED.status, client_secret_hash = EXCLUDED.client_secret_hash,
         credentials_revealed = EXCLUDED.credentials_revealed, name = EXCLUDED.name, redirect_uris = EXCLUDED.redirect_uris,
         scopes = EXCLUDED.scopes, access_token_ttl_seconds = EXCLUDED.access_token_ttl_seconds,
         refresh_token_ttl_seconds = EXCLUDED.refresh_token_ttl_seconds, previous_secret_hash = EXCLUDED.previous_secret_hash,
         previous_secret_expires_at = EXCLUDED.previous_secret_expires_at`,
      [next.applicationId, next.profileId, next.name, next.clientId, next.clientType, JSON.stringify(next.redirectUris), JSON.stringify(next.scopes),
        next.status, next.clientSecretHash, next.credentialsRevealed, next.accessTokenTtlSeconds, next.refreshTokenTtlSeconds, next.createdAt,
        next.previousSecretHash, next.previousSecretExpiresAt],
    );
    // Narrowed scopes, like a status change, must reach every replica's cached token checks before the command reports success.
    const narrowed = before && JSON.stringify(before.scopes) !== JSON.stringify(next.scopes);
    if (before && (before.status !== next.status || narrowed)) await client.query(`SELECT pg_notify($1, $2)`, [CHANNELS.tokenRevoked, `app:${next.applicationId}`]);
    await client.query(`SELECT pg_notify($1, $2)`, [CHANNELS.applicationChanged, next.applicationId]);
  },
};
