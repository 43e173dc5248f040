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

const ZERO: UsageRow = { tokensIssued: 0, tokensRefreshed: 0, tokensRevoked: 0 };

/** Each application's counts a batch adds (`evolveUsage` only ever adds), in a stable order. */
export const usageIncrements = (events: readonly Activity[]): [string, UsageRow][] => {
  const increments = new Map<string, UsageRow>();
  for (const event of events) increments.set(event.applicationId, evolveUsage(increments.get(event.applicationId) ?? ZERO, event));
  return [...increments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

const changeEntry = (recorded: Pick<RecordedEvent, 'metadata'>, event: Activity) => ({
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
      changeEntry(recorded, event),
    ]);
  },
  async batchParts(_client, schema, recorded, params) {
    const events = recorded.map((event) => ({ type: event.type, ...event.data }) as Activity);
    const increments = usageIncrements(events);
    const $ = (value: unknown) => `$${params.push(value)}`;
    // The audit rows in order, and the usage counts added to (a busy application's row is locked until the commit).
    return {
      writes: [
        `INSERT INTO "${schema}".application_changes (application_id, at, entry)
         SELECT a, at, e FROM unnest(${$(events.map((event) => event.applicationId))}::text[], ${$(recorded.map((event) => event.metadata.occurredAt))}::timestamptz[],
           ${$(recorded.map((event, i) => JSON.stringify(changeEntry(event, events[i]))))}::jsonb[]) WITH ORDINALITY AS t(a, at, e, n) ORDER BY n`,
        `INSERT INTO "${schema}".application_usage AS u (application_id, tokens_issued, tokens_refreshed, tokens_revoked)
         SELECT * FROM unnest(${$(increments.map(([id]) => id))}::text[], ${$(increments.map(([, u]) => u.tokensIssued))}::int[], ${$(increments.map(([, u]) => u.tokensRefreshed))}::int[],
           ${$(increments.map(([, u]) => u.tokensRevoked))}::int[])
         ON CONFLICT (application_id) DO UPDATE SET tokens_issued = u.tokens_issued + EXCLUDED.tokens_issued,
           tokens_refreshed = u.tokens_refreshed + EXCLUDED.tokens_refreshed, tokens_revoked = u.tokens_revoked + EXCLUDED.tokens_revoked`,
      ],
      selects: [],
    };
  },
};
