import type { GrantEvent, OAuthApplicationEvent, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface UsageRow {
  tokensIssued: number;
  tokensRefreshed: number;
  tokensRevoked: number;
}

type Activity = GrantEvent | OAuthApplicationEvent;

/** Per-application figures from the events; calls made and last use come from the call log. */
export const evolveUsage = (row: UsageRow, event: Activity): UsageRow => {
  switch (event.type) {
    case 'AccessTokenIssued':
      return event.via === 'refresh_token' ? { ...row, tokensRefreshed: row.tokensRefreshed + 1 } : { ...row, tokensIssued: row.tokensIssued + 1 };
    case 'GrantRevoked':
      return { ...row, tokensRevoked: row.tokensRevoked + 1 };
    default:
      return row;
  }
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
    const { rows } = await client.query(`SELECT * FROM "${schema}".application_usage WHERE application_id = $1`, [event.applicationId]);
    const before: UsageRow = rows[0]
      ? { tokensIssued: rows[0].tokens_issued, tokensRefreshed: rows[0].tokens_refreshed, tokensRevoked: rows[0].tokens_revoked }
      : { tokensIssued: 0, tokensRefreshed: 0, tokensRevoked: 0 };
    const next = evolveUsage(before, event);
    await client.query(
      `INSERT INTO "${schema}".application_usage (application_id, tokens_issued, tokens_refreshed, tokens_revoked) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id) DO UPDATE SET tokens_issued = $2, tokens_refreshed = $3, tokens_revoked = $4`,
      [event.applicationId, next.tokensIssued, next.tokensRefreshed, next.tokensRevoked],
    );
    await client.query(`INSERT INTO "${schema}".application_changes (application_id, at, entry) VALUES ($1, $2, $3)`, [
      event.applicationId,
      recorded.metadata.occurredAt,
      { kind: 'change', actor: recorded.metadata.actor, commandId: recorded.metadata.commandId, ...describeChange(event) },
    ]);
  },
};
