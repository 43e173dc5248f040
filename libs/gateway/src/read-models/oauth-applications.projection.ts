import type { PoolClient } from 'pg';
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
  apply(client, schema, recorded: RecordedEvent) {
    return applyApplicationEvents(client, schema, [recorded]);
  },
  applyBatch: applyApplicationEvents,
};

const COLUMNS = [
  'application_id', 'profile_id', 'name', 'client_id', 'client_type', 'redirect_uris', 'scopes', 'status', 'client_secret_hash',
  'credentials_revealed', 'access_token_ttl_seconds', 'refresh_token_ttl_seconds', 'created_at', 'previous_secret_hash', 'previous_secret_expires_at',
] as const;

const columnsOf = (row: OAuthApplicationRow): unknown[] => [
  row.applicationId, row.profileId, row.name, row.clientId, row.clientType, JSON.stringify(row.redirectUris), JSON.stringify(row.scopes),
  row.status, row.clientSecretHash, row.credentialsRevealed, row.accessTokenTtlSeconds, row.refreshTokenTtlSeconds, row.createdAt,
  row.previousSecretHash, row.previousSecretExpiresAt,
];

/**
 * Events of many applications in two statements: their rows read at once, evolved in order in memory,
 * then one upsert that also sends the notifications, in order.
 */
async function applyApplicationEvents(client: PoolClient, schema: string, recorded: readonly RecordedEvent[]): Promise<void> {
  const events = recorded.map((r) => ({ type: r.type, ...r.data }) as OAuthApplicationEvent);
  const ids = [...new Set(events.map((event) => event.applicationId))];
  const { rows } = await client.query(`SELECT * FROM "${schema}".oauth_applications WHERE application_id = ANY($1)`, [ids]);
  const current = new Map(rows.map((row) => [row.application_id as string, toRow(row)]));
  const changed = new Map<string, OAuthApplicationRow>();
  const notifications: [string, string][] = [];
  for (const event of events) {
    const before = current.get(event.applicationId);
    const next = evolveOAuthApplication(before, event);
    if (!next) continue;
    current.set(next.applicationId, next);
    changed.set(next.applicationId, next);
    // Narrowed scopes, like a status change, must reach every replica's cached token checks before the command reports success.
    const narrowed = before && JSON.stringify(before.scopes) !== JSON.stringify(next.scopes);
    if (before && (before.status !== next.status || narrowed)) notifications.push([CHANNELS.tokenRevoked, `app:${next.applicationId}`]);
    notifications.push([CHANNELS.applicationChanged, next.applicationId]);
  }
  if (changed.size === 0) return;
  const params: unknown[] = [notifications.map(([channel]) => channel), notifications.map(([, payload]) => payload)];
  const values = [...changed.values()].map((row) => `(${columnsOf(row).map((value) => `$${params.push(value)}`).join(', ')})`);
  // The upsert runs as a CTE of the statement that sends the notifications: one round trip, and the
  // notifications still go out only with the commit.
  await client.query(
    `WITH written AS (
       INSERT INTO "${schema}".oauth_applications (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}
       ON CONFLICT (application_id) DO UPDATE SET status = EXCLUDED.status, client_secret_hash = EXCLUDED.client_secret_hash,
         credentials_revealed = EXCLUDED.credentials_revealed, name = EXCLUDED.name, redirect_uris = EXCLUDED.redirect_uris,
         scopes = EXCLUDED.scopes, access_token_ttl_seconds = EXCLUDED.access_token_ttl_seconds,
         refresh_token_ttl_seconds = EXCLUDED.refresh_token_ttl_seconds, previous_secret_hash = EXCLUDED.previous_secret_hash,
         previous_secret_expires_at = EXCLUDED.previous_secret_expires_at)
     SELECT pg_notify(channel, payload) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(channel, payload, position) ORDER BY position`,
    params,
  );
}
