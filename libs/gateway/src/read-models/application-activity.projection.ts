import type { GrantEvent, OAuthApplicationEvent, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface UsageRow {
  tokensIssued: number;
  tokensRefreshed: number;
  tokensRevoked: number;
}

type Activity = GrantEvent | OAuthApplicationEvent;

export const NO_USAGE: UsageRow = { tokensIssued: 0, tokensRefreshed: 0, tokensRevoked: 0 };

/**
 * What one event adds to its application's figures (calls made and last use come from the call log).
 * A delta, not a new row: events of one application arrive on many grant streams, applied in parallel
 * transactions, so the row is only ever incremented in SQL (`count = count + delta`), never read,
 * changed in memory and written back.
 */
export const usageDelta = (event: Activity): UsageRow => {
  switch (event.type) {
    case 'AccessTokenIssued':
      return event.via === 'refresh_token' ? { ...NO_USAGE, tokensRefreshed: 1 } : { ...NO_USAGE, tokensIssued: 1 };
    case 'GrantRevoked':
      return { ...NO_USAGE, tokensRevoked: 1 };
    default:
      return NO_USAGE;
  }
};

/** The pure fold: the figures after `event`, as the rebuild and the live model both must give. */
export const evolveUsage = (row: UsageRow, event: Activity): UsageRow => {
  const delta = usageDelta(event);
  return { tokensIssued: row.tokensIssued + delta.tokensIssued, tokensRefreshed: row.tokensRefreshed + delta.tokensRefreshed, tokensRevoked: row.tokensRevoked + delta.tokensRevoked };
};

/** What an audit entry of a change shows: the event, without hashes. */
export const describeChange = (event: Activity): Record<string, unknown> => {
  const { type, ...data } = event;
  return { type, ...Object.fromEntries(Object.entries(data).filter(([key]) => !key.endsWith('Hash'))) };
};

export const applicationActivityProjection: Projection = {
  name: 'application_activity',
  handles: [
    'oauth-app:OAuthApplicationRegistered',
    'oauth-app:ClientCredentialsRevealed',
    'oauth-app:ClientSecretRotated',
    'oauth-app:PreviousClientSecretRetired',
    'oauth-app:OAuthApplicationUpdated',
    'oauth-app:OAuthApplicationRevoked',
    'oauth-app:OAuthApplicationDeleted',
    'token:AuthorizationCodeRequested',
    'token:AuthorizationCodeIssued',
    'token:AccessTokenIssued',
    'token:AuthorizationCodeReplayed',
    'token:RefreshTokenReuseDetected',
    'token:GrantRevoked',
  ],
  tables: ['application_usage', 'application_changes'],
  ddl: (schema) => `
    CREATE SEQUENCE IF NOT EXISTS "${schema}".audit_seq;
    CREATE TABLE IF NOT EXISTS "${schema}".application_usage (
      application_id text PRIMARY KEY,
      tokens_issued integer NOT NULL DEFAULT 0,
      tokens_refreshed integer NOT NULL DEFAULT 0,
      tokens_revoked integer NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS "${schema}".application_changes (
      id bigint PRIMARY KEY DEFAULT nextval('"${schema}".audit_seq'),
      application_id text NOT NULL,
      at timestamptz NOT NULL,
      entry jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS application_changes_by_app ON "${schema}".application_changes (application_id, at, id);
    CREATE TABLE IF NOT EXISTS "${schema}".application_calls (
      id bigint PRIMARY KEY DEFAULT nextval('"${schema}".audit_seq'),
      application_id text NOT NULL,
      at timestamptz NOT NULL,
      entry jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS application_calls_by_app ON "${schema}".application_calls (application_id, at, id)`,
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as Activity;
    const delta = usageDelta(event);
    await client.query(
      `INSERT INTO "${schema}".application_usage AS u (application_id, tokens_issued, tokens_refreshed, tokens_revoked) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id) DO UPDATE SET tokens_issued = u.tokens_issued + EXCLUDED.tokens_issued,
         tokens_refreshed = u.tokens_refreshed + EXCLUDED.tokens_refreshed, tokens_revoked = u.tokens_revoked + EXCLUDED.tokens_revoked`,
      [event.applicationId, delta.tokensIssued, delta.tokensRefreshed, delta.tokensRevoked],
    );
    await client.query(`INSERT INTO "${schema}".application_changes (application_id, at, entry) VALUES ($1, $2, $3)`, [
      event.applicationId,
      recorded.metadata.occurredAt,
      { kind: 'change', actor: recorded.metadata.actor, commandId: recorded.metadata.commandId, ...describeChange(event) },
    ]);
  },
};
