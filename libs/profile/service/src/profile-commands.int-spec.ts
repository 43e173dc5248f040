import { Pool } from 'pg';
import type { CommandEnvelope, ProfileCommand } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { profileAggregate } from '@platform/profile-domain';
import { uniqueName } from '@platform/testing';
import { CommandProcessor } from '@platform/service-runtime';

const envelope = (commandId: string, profileId: string, command: ProfileCommand): CommandEnvelope<ProfileCommand> => ({
  kind: 'command',
  context: 'profile',
  streamId: `profile-${profileId}`,
  command,
  metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { profileId }, issuedAt: '2026-03-01T10:00:00.000Z' },
});
const register = (profileId: string, username: string): ProfileCommand => ({ type: 'RegisterProfile', profileId, username, passwordHash: 'h' });

describe('profile commands through the CommandProcessor on real PostgreSQL', () => {
  const schema = uniqueName('cp');
  let pool: Pool;
  let store: PostgresEventStore;
  let processor: CommandProcessor<ProfileCommand, never, unknown>;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 12 });
    store = new PostgresEventStore(pool, { schema, context: 'profile', eventsTopic: 't' });
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: EVENT_STORE_MIGRATIONS });
    processor = new CommandProcessor(store, profileAggregate as never);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  const outbox = async () => (await pool.query(`SELECT payload FROM "${schema}".outbox ORDER BY id`)).rows.map((r) => r.payload);

  it('processes a redelivered command once, even when both deliveries race', async () => {
    const command = envelope('cmd-a', 'p-a', register('p-a', 'alice'));
    const outcomes = await Promise.all([processor.process(command), processor.process(command), processor.process(command)]);
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'succeeded').every((o) => o === 'duplicate')).toBe(true);
    expect((await store.readStream('profile-p-a')).version).toBe(1);
    expect(await processor.process(command)).toBe('duplicate');
    const results = (await outbox()).filter((m) => m.kind === 'command-result' && m.commandId === 'cmd-a');
    expect(results).toEqual([expect.objectContaining({ status: 'succeeded', result: { profileId: 'p-a' } })]);
  });

  it('rejects a username claimed by another stream, case-insensitively, with the claim reason', async () => {
    await processor.process(envelope('cmd-b1', 'p-b1', register('p-b1', 'Bob')));
    expect(await processor.process(envelope('cmd-b2', 'p-b2', register('p-b2', 'bob')))).toBe('rejected');
    expect(await store.findCommand('cmd-b2')).toMatchObject({ status: 'rejected', reason: 'profile.username_taken' });
    expect((await store.readStream('profile-p-b2')).version).toBe(0);
  });

  it('lets exactly one of many concurrent registrations of one username succeed', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, n) => processor.process(envelope(`cmd-c${n}`, `p-c${n}`, register(`p-c${n}`, 'carol')))),
    );
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(7);
  });

  it('retries on a version conflict by deciding again on the new state', async () => {
    await processor.process(envelope('cmd-d1', 'p-d', register('p-d', 'dave')));
    const changes = Array.from({ length: 5 }, (_, n) =>
      processor.process(
        envelope(`cmd-d-change${n}`, 'p-d', {
          type: 'ChangePassword',
          profileId: 'p-d',
          currentPasswordVerified: true,
          verifiedAgainstHash: 'h',
          newPasswordHash: `h${n}`,
          keepAuthorizationTokenId: null,
        }),
      ),
    );
    const outcomes = await Promise.all(changes);
    // Every change was verified against the original hash: one wins, the others see the new hash and are refused.
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(4);
    expect((await store.readStream('profile-p-d')).version).toBe(2);
  });

  it('rejects an unknown aggregate state change with the decider reason and appends nothing', async () => {
    const outcome = await processor.process(
      envelope('cmd-e', 'p-e', { type: 'ChangePassword', profileId: 'p-e', currentPasswordVerified: true, verifiedAgainstHash: 'x', newPasswordHash: 'y', keepAuthorizationTokenId: null }),
    );
    expect(outcome).toBe('rejected');
    expect(await store.findCommand('cmd-e')).toMatchObject({ reason: 'profile.not_found' });
  });

  it('reads a PasswordChanged written in its v1 shape as v2, and decides on it', async () => {
    await processor.process(envelope('cmd-f1', 'p-f', register('p-f', 'frank')));
    await pool.query(
      `INSERT INTO "${schema}".events (stream_id, version, stream_type, event_type, schema_version, data, metadata)
       VALUES ('profile-p-f', 2, 'profile', 'PasswordChanged', 1, $1, $2)`,
      [{ profileId: 'p-f', passwordHash: 'h-v1', changedAt: '2025-01-01T00:00:00.000Z' }, { commandId: 'old', correlationId: 'old', causationId: 'old', actor: {}, occurredAt: '2025-01-01T00:00:00.000Z' }],
    );
    const { events } = await store.readStream('profile-p-f');
    expect(events[1]).toMatchObject({ schemaVersion: 2, data: { passwordHash: 'h-v1', keepAuthorizationTokenId: null } });
    const change = (verifiedAgainstHash: string, commandId: string) =>
      processor.process(
        envelope(commandId, 'p-f', { type: 'ChangePassword', profileId: 'p-f', currentPasswordVerified: true, verifiedAgainstHash, newPasswordHash: 'h-new', keepAuthorizationTokenId: null }),
      );
    expect(await change('h', 'cmd-f2')).toBe('rejected');
    expect(await change('h-v1', 'cmd-f3')).toBe('succeeded');
  });
});

