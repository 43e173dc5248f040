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

const ZERO: UsageRow = { tokensIssued: 0, tokensRefreshed: 0, tokensRevoked: 0 };

/** Each application's counts a batch adds (`evolveUsage` only ever adds), in a stable order. */
export const usageIncrements = (events: readonly Activity[]): [string, UsageRow][] => {
  const increments = new Map<string, UsageRow>();
  for (const event of events) increments.set(event.applicationId, evolveUsage(increments.get(event.applicationId) ?? ZERO, event));
  return [...increments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

const changeEntry = (recorded: RecordedEvent, event: Activity) => ({
  kind: 'change',
  actor: recorded.metadata.actor,
  commandId: recorded.metadata.commandId,
  ...describeChange(event),
});

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
      changeEntry(recorded, event),
    ]);
  },
  async applyBatch(client, schema, recorded) {
    const events = recorded.map((event) => ({ type: event.type, ...event.data }) as Activity);
    await client.query(
      `INSERT INTO "${schema}".application_changes (application_id, at, entry)
       SELECT a, at, e FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[]) WITH ORDINALITY AS t(a, at, e, n) ORDER BY n`,
      [events.map((event) => event.applicationId), recorded.map((event) => event.metadata.occurredAt), recorded.map((event, i) => JSON.stringify(changeEntry(event, events[i])))],
    );
    // Last: the row of a busy application is locked from here to the commit.
    const increments = usageIncrements(events);
    await client.query(
      `INSERT INTO "${schema}".application_usage AS u (application_id, tokens_issued, tokens_refreshed, tokens_revoked)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[])
       ON CONFLICT (application_id) DO UPDATE SET tokens_issued = u.tokens_issued + EXCLUDED.tokens_issued,
         tokens_refreshed = u.tokens_refreshed + EXCLUDED.tokens_refreshed, tokens_revoked = u.tokens_revoked + EXCLUDED.tokens_revoked`,
      [increments.map(([id]) => id), increments.map(([, u]) => u.tokensIssued), increments.map(([, u]) => u.tokensRefreshed), increments.map(([, u]) => u.tokensRevoked)],
    );
  },
};
