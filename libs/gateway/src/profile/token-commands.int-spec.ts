import { HttpStatus } from '@nestjs/common';
import { Pool } from 'pg';
import { authorizationTokensStreamId, type EventMetadata } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { Projector } from '@platform/projector';
import { uniqueName } from '@platform/testing';
import type { PgNotifications } from '../commands/pg-notifications';
import { sha256 } from '../http/profile-auth';
import { ProfileTokenCache } from '../http/profile-token-cache';
import { GATEWAY_MIGRATIONS } from '../migrations';
import type { GrantCommands } from '../oauth/grant-commands';
import { GATEWAY_PROJECTIONS } from '../read-models/gateway-projections';
import { eventKeyOf, InlineApplied } from '../read-models/inline-applied';
import { TokenCommands } from './token-commands';

const metadata: EventMetadata = { commandId: 'policy', correlationId: 'policy', causationId: 'policy', actor: {}, occurredAt: new Date().toISOString() };
const later = new Date(Date.now() + 3_600_000).toISOString();
const refused = { status: HttpStatus.UNAUTHORIZED, message: 'refused' };

describe('token commands decided in the gateway (real PostgreSQL)', () => {
  const prefix = uniqueName('tc');
  const gateway = `${prefix}_gateway`;
  let pool: Pool;
  let store: PostgresEventStore;
  let inline: InlineApplied;
  let cache: ProfileTokenCache;
  let commands: TokenCommands;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
    store = new PostgresEventStore(pool, { schema: `${prefix}_token`, context: 'token', eventsTopic: 't' });
    const databaseUrl = process.env.DATABASE_URL!;
    await migrateSchema({ databaseUrl, schema: store.schema, migrations: EVENT_STORE_MIGRATIONS });
    await migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS });
    inline = new InlineApplied();
    cache = new ProfileTokenCache({ on: () => undefined, onReconnect: () => undefined, onResume: () => undefined } as unknown as PgNotifications);
    commands = new TokenCommands(pool, gateway, { store } as GrantCommands, inline, cache);
  });

  afterAll(async () => {
    for (const schema of [store.schema, gateway]) await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  const token = async (hash: string) => (await pool.query(`SELECT token_id, revoked_at FROM "${gateway}".authorization_tokens WHERE token_hash = $1`, [hash])).rows[0];
  const checkpoints = async (streamId: string) =>
    (await pool.query(`SELECT projection, version FROM "${gateway}".projection_checkpoints WHERE stream_id = $1 ORDER BY projection`, [streamId])).rows;

  it('issues concurrent tokens in group commits: each is in the read model when returned, and the bus delivery is skipped', async () => {
    const issued = await Promise.all(
      Array.from({ length: 5 }, () =>
        commands.issue(600, (secret, expiresAt) => ({ type: 'IssueAuthorizationToken', profileId: 'p1', tokenId: secret.id, tokenHash: secret.hash, expiresAt }), refused),
      ),
    );
    for (const secret of issued) expect(await token(sha256(secret.value))).toEqual(expect.objectContaining({ revoked_at: null }));
    const streamId = authorizationTokensStreamId('p1');
    expect((await store.readStream(streamId)).version).toBe(5);
    expect(await checkpoints(streamId)).toEqual([
      { projection: 'authorization_tokens', version: 5 },
      { projection: 'qr_tokens', version: 5 },
    ]);
    expect(inline.consume(eventKeyOf(streamId, 5))).toBe(true);
    // Another replica's consumer, without that memory: the checkpoints skip it.
    const [event] = (await store.readStream(streamId)).events.slice(4);
    expect(await new Projector(pool, gateway, GATEWAY_PROJECTIONS).apply(event)).toEqual([]);
  });

  it("projects first the token service's own appends that the bus has not delivered yet, so the checkpoints skip none", async () => {
    const streamId = authorizationTokensStreamId('p2');
    const first = await commands.issue(600, (s, expiresAt) => ({ type: 'IssueAuthorizationToken', profileId: 'p2', tokenId: s.id, tokenHash: s.hash, expiresAt }), refused);
    const firstHash = sha256(first.value);
    const { token_id: firstId } = await token(firstHash);
    // The token service's password-change policy, not yet delivered to the gateway.
    const policy = await store.append({
      streamId,
      streamType: 'authorization-tokens',
      expectedVersion: 1,
      events: [
        { type: 'QrTokenIssued', schemaVersion: 1, data: { qrTokenId: 'q2', profileId: 'p2', qrTokenHash: 'qh2', issuedAt: metadata.occurredAt, expiresAt: later, authorizationTokenId: firstId } },
        { type: 'AuthorizationTokenRevoked', schemaVersion: 1, data: { tokenId: firstId, profileId: 'p2', tokenHash: firstHash, revokedAt: metadata.occurredAt, reason: 'password-changed' } },
      ],
      metadata,
    });
    const second = await commands.issue(600, (s, expiresAt) => ({ type: 'IssueAuthorizationToken', profileId: 'p2', tokenId: s.id, tokenHash: s.hash, expiresAt }), refused);
    expect(await token(firstHash)).toEqual(expect.objectContaining({ revoked_at: expect.any(Date) }));
    expect(await token(sha256(second.value))).toEqual(expect.objectContaining({ revoked_at: null }));
    expect((await pool.query(`SELECT qr_token_id FROM "${gateway}".qr_tokens WHERE qr_token_hash = 'qh2'`)).rows).toEqual([{ qr_token_id: 'q2' }]);
    expect(await checkpoints(streamId)).toEqual([
      { projection: 'authorization_tokens', version: 4 },
      { projection: 'qr_tokens', version: 4 },
    ]);
    // Their late delivery changes nothing.
    const projector = new Projector(pool, gateway, GATEWAY_PROJECTIONS);
    for (const event of policy) expect(await projector.apply(event)).toEqual([]);
  });

  it('a revocation is answered once the token is refused: out of the read model and of this replica cache', async () => {
    const issued = await commands.issue(600, (s, expiresAt) => ({ type: 'IssueAuthorizationToken', profileId: 'p3', tokenId: s.id, tokenHash: s.hash, expiresAt }), refused);
    const hash = sha256(issued.value);
    const { token_id: tokenId } = await token(hash);
    cache.set(hash, { profileId: 'p3', tokenId, expiresAt: issued.expiresAt }, cache.generation);
    await commands.require({ type: 'RevokeAuthorizationToken', profileId: 'p3', tokenId }, HttpStatus.UNAUTHORIZED, 'gone');
    expect(cache.get(hash)).toBeUndefined();
    expect(await token(hash)).toEqual(expect.objectContaining({ revoked_at: expect.any(Date) }));
    await expect(commands.require({ type: 'RevokeAuthorizationToken', profileId: 'p3', tokenId }, HttpStatus.UNAUTHORIZED, 'gone')).rejects.toMatchObject({ status: 401 });
  });
});
