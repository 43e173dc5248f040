import { Pool } from 'pg';
import { type EventMetadata, GRANT_STREAM_TYPE, grantStreamId, type RecordedEvent } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, inTransaction, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { Projector } from '@platform/projector';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { applicationActivityProjection } from './application-activity.projection';

const metadata: EventMetadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: {}, occurredAt: '2026-03-01T10:00:00.000Z' };
const GRANTS = 8;
const TOKENS_PER_GRANT = 12;

describe('application usage read model under parallel partitions (real PostgreSQL)', () => {
  const prefix = uniqueName('usage');
  let pool: Pool;
  let tokens: PostgresEventStore;
  let projector: Projector;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: GRANTS + 2 });
    tokens = new PostgresEventStore(pool, { schema: `${prefix}_token`, context: 'token', eventsTopic: 't' });
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema: `${prefix}_token`, migrations: EVENT_STORE_MIGRATIONS });
    projector = new Projector(pool, `${prefix}_gateway`, [applicationActivityProjection]);
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema: `${prefix}_gateway`, migrations: GATEWAY_MIGRATIONS });
  });

  afterAll(async () => {
    for (const schema of ['token', 'gateway']) await pool.query(`DROP SCHEMA "${prefix}_${schema}" CASCADE`);
    await pool.end();
  });

  const usage = async () =>
    (await pool.query(`SELECT application_id, tokens_issued, tokens_refreshed, tokens_revoked FROM "${prefix}_gateway".application_usage ORDER BY application_id`)).rows;

  /** One grant stream of application `app`: tokens issued and refreshed, then the grant revoked. */
  const grantEvents = (app: string, grant: number) => {
    const facts = { grantId: `g${grant}`, applicationId: app, clientId: `client-${app}`, profileId: 'p1' };
    const issued = (index: number) => ({
      type: 'AccessTokenIssued',
      schemaVersion: 1,
      data: { ...facts, accessTokenId: `a${grant}-${index}`, scopes: ['read'], issuedAt: metadata.occurredAt, expiresAt: '2030-01-01T00:00:00.000Z', via: index % 3 === 0 ? 'refresh_token' : 'authorization_code' },
    });
    return [
      ...Array.from({ length: TOKENS_PER_GRANT }, (_, index) => issued(index)),
      { type: 'GrantRevoked', schemaVersion: 1, data: { ...facts, reason: 'revoked', revokedAt: metadata.occurredAt } },
    ];
  };

  it('counts every increment when many grant streams of one application are applied at once, as a rebuild does', async () => {
    const streams: RecordedEvent[][] = [];
    for (let grant = 0; grant < GRANTS; grant++) {
      const app = grant % 4 === 3 ? 'app-b' : 'app-a';
      streams.push(
        await tokens.append({ streamId: grantStreamId(`g${grant}`), streamType: GRANT_STREAM_TYPE, expectedVersion: 0, events: grantEvents(app, grant) as never, metadata }),
      );
    }
    // Each stream in its own order, the streams in parallel: half through the bus path (one event per
    // transaction), half as the token path's inline projection (each event in the writer's transaction).
    await Promise.all(
      streams.map(async (events, index) => {
        for (const event of events) {
          if (index % 2 === 0) await projector.apply(event);
          else await inTransaction(pool, (client) => projector.applyWithin(client, [event]));
        }
      }),
    );
    // Redelivery of a whole stream changes nothing.
    for (const event of streams[0]) await projector.apply(event);

    const refreshedPerGrant = Math.ceil(TOKENS_PER_GRANT / 3);
    const live = await usage();
    expect(live).toEqual([
      { application_id: 'app-a', tokens_issued: 6 * (TOKENS_PER_GRANT - refreshedPerGrant), tokens_refreshed: 6 * refreshedPerGrant, tokens_revoked: 6 },
      { application_id: 'app-b', tokens_issued: 2 * (TOKENS_PER_GRANT - refreshedPerGrant), tokens_refreshed: 2 * refreshedPerGrant, tokens_revoked: 2 },
    ]);

    expect(await projector.rebuild([tokens])).toBe(GRANTS * (TOKENS_PER_GRANT + 1));
    expect(await usage()).toEqual(live);
  });
});
