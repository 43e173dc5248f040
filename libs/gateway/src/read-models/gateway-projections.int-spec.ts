import { Pool } from 'pg';
import type { EventMetadata } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { Projector } from '@platform/projector';
import { inTransaction, runParts } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { GATEWAY_PROJECTIONS } from './gateway-projections';

const metadata: EventMetadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: {}, occurredAt: '2026-03-01T10:00:00.000Z' };

describe('gateway read models (real PostgreSQL)', () => {
  const prefix = uniqueName('rm');
  let pool: Pool;
  let profiles: PostgresEventStore;
  let tokens: PostgresEventStore;
  let projector: Projector;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
    profiles = new PostgresEventStore(pool, { schema: `${prefix}_profile`, context: 'profile', eventsTopic: 't' });
    tokens = new PostgresEventStore(pool, { schema: `${prefix}_token`, context: 'token', eventsTopic: 't' });
    const databaseUrl = process.env.DATABASE_URL!;
    for (const context of ['profile', 'token']) await migrateSchema({ databaseUrl, schema: `${prefix}_${context}`, migrations: EVENT_STORE_MIGRATIONS });
    await migrateSchema({ databaseUrl, schema: `${prefix}_gateway`, migrations: GATEWAY_MIGRATIONS });
    projector = new Projector(pool, `${prefix}_gateway`, GATEWAY_PROJECTIONS);
  });

  afterAll(async () => {
    for (const schema of ['profile', 'token', 'gateway']) await pool.query(`DROP SCHEMA "${prefix}_${schema}" CASCADE`);
    await pool.end();
  });

  const snapshot = async () => ({
    credentials: (await pool.query(`SELECT * FROM "${prefix}_gateway".profile_credentials ORDER BY profile_id`)).rows,
    tokens: (await pool.query(`SELECT * FROM "${prefix}_gateway".authorization_tokens ORDER BY token_id`)).rows,
    qr: (await pool.query(`SELECT * FROM "${prefix}_gateway".qr_tokens ORDER BY qr_token_id`)).rows,
  });

  it('applies each event once under redelivery, and a rebuild from the stores equals the live read model', async () => {
    const live = [
      ...(await profiles.append({
        streamId: 'profile-1',
        streamType: 'profile',
        expectedVersion: 0,
        events: [{ type: 'ProfileRegistered', schemaVersion: 1, data: { profileId: '1', username: 'Ann', passwordHash: 'h1', registeredAt: metadata.occurredAt } }],
        metadata,
      })),
      ...(await profiles.append({
        streamId: 'profile-1',
        streamType: 'profile',
        expectedVersion: 1,
        events: [{ type: 'PasswordChanged', schemaVersion: 1, data: { profileId: '1', passwordHash: 'h2', changedAt: metadata.occurredAt, keepAuthorizationTokenId: null } }],
        metadata,
      })),
      ...(await tokens.append({
        streamId: 'authorization-tokens-1',
        streamType: 'authorization-tokens',
        expectedVersion: 0,
        events: [
          { type: 'AuthorizationTokenIssued', schemaVersion: 1, data: { tokenId: 't1', profileId: '1', tokenHash: 'th', issuedAt: metadata.occurredAt, expiresAt: '2030-01-01T00:00:00.000Z', via: 'password' } },
          { type: 'AuthorizationTokenRevoked', schemaVersion: 1, data: { tokenId: 't1', profileId: '1', tokenHash: 'th', revokedAt: metadata.occurredAt, reason: 'revoked' } },
          { type: 'QrTokenIssued', schemaVersion: 1, data: { qrTokenId: 'q1', profileId: '1', qrTokenHash: 'qh', issuedAt: metadata.occurredAt, expiresAt: '2030-01-01T00:00:00.000Z' } },
        ],
        metadata,
      })),
    ];
    for (const event of live) expect((await projector.apply(event)).length).toBeGreaterThan(0);
    // Kafka delivers the password change twice, and the registration again after it: nothing changes.
    expect(await projector.apply(live[1])).toEqual([]);
    expect(await projector.apply(live[0])).toEqual([]);
    const before = await snapshot();
    expect(before.credentials).toEqual([expect.objectContaining({ username: 'Ann', username_key: 'ann', password_hash: 'h2' })]);
    expect(before.tokens).toEqual([expect.objectContaining({ token_id: 't1', revoked_at: expect.any(Date) })]);

    expect(before.qr).toEqual([expect.objectContaining({ qr_token_id: 'q1', profile_id: '1', redeemed_at: null })]);

    expect(await projector.rebuild([profiles, tokens])).toBe(5);
    expect(await snapshot()).toEqual(before);
  });

  it('a batch of grant events applied inline in multi-row statements equals their one-by-one rebuild, and is not applied twice', async () => {
    const at = metadata.occurredAt;
    const facts = (grantId: string, applicationId = 'app-1') => ({ grantId, applicationId, clientId: `client-${applicationId}`, profileId: grantId === 'cc' ? null : 'p-1' });
    const append = (grantId: string, expectedVersion: number, events: { type: string; data: Record<string, unknown> }[]) =>
      tokens.append({ streamId: `grant-${grantId}`, streamType: 'grant', expectedVersion, events: events.map((e) => ({ ...e, schemaVersion: 1 })), metadata });
    const code = await append('code', 0, [
      { type: 'AuthorizationCodeRequested', data: { ...facts('code'), nonceHash: 'n', scopes: ['a'], requestedAt: at, codeExpiresAt: at, accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 600, redirectUri: null, codeChallenge: null } },
      { type: 'AuthorizationCodeIssued', data: { ...facts('code'), codeHash: 'code-hash', issuedAt: at, codeExpiresAt: at } },
      { type: 'AccessTokenIssued', data: { ...facts('code'), accessTokenId: 'at-1', scopes: ['a'], issuedAt: at, expiresAt: at, via: 'authorization_code' } },
      { type: 'RefreshTokenIssued', data: { ...facts('code'), refreshTokenHash: 'r1', issuedAt: at, expiresAt: at } },
      { type: 'AccessTokenIssued', data: { ...facts('code'), accessTokenId: 'at-2', scopes: ['a'], issuedAt: at, expiresAt: at, via: 'refresh_token' } },
      { type: 'RefreshTokenIssued', data: { ...facts('code'), refreshTokenHash: 'r2', issuedAt: at, expiresAt: at } },
      { type: 'RefreshTokenReuseDetected', data: { ...facts('code'), refreshTokenHash: 'r1', detectedAt: at } },
      { type: 'GrantRevoked', data: { ...facts('code'), reason: 'refresh-token-reused', revokedAt: at } },
    ]);
    const clientCredentials = [
      ...(await append('cc', 0, [{ type: 'AccessTokenIssued', data: { ...facts('cc'), accessTokenId: 'at-3', scopes: ['a'], issuedAt: at, expiresAt: at, via: 'client_credentials' } }])),
      ...(await append('cc2', 0, [{ type: 'AccessTokenIssued', data: { ...facts('cc2', 'app-2'), accessTokenId: 'at-4', scopes: ['b'], issuedAt: at, expiresAt: at, via: 'client_credentials' } }])),
    ];
    const batch = [...code, ...clientCredentials];
    const rows = async () => ({
      grants: (await pool.query(`SELECT * FROM "${prefix}_gateway".grants ORDER BY grant_id`)).rows,
      secrets: (await pool.query(`SELECT * FROM "${prefix}_gateway".grant_secrets ORDER BY secret_hash`)).rows,
      usage: (await pool.query(`SELECT * FROM "${prefix}_gateway".application_usage ORDER BY application_id`)).rows,
      changes: (await pool.query(`SELECT application_id, at, entry FROM "${prefix}_gateway".application_changes ORDER BY id`)).rows,
    });
    // The writer's own appends (checkpoints only raised), then the bus redelivering them: applied once.
    await inTransaction(pool, async (client) => {
      const params: unknown[] = [];
      await runParts(client, await projector.appendedParts(client, code, params), params);
    });
    await inTransaction(pool, (client) => projector.applyWithin(client, batch));
    await inTransaction(pool, (client) => projector.applyWithin(client, batch));
    for (const event of batch) expect(await projector.apply(event)).toEqual([]);
    const inline = await rows();
    expect(inline.usage).toEqual([
      { application_id: 'app-1', tokens_issued: 2, tokens_refreshed: 1, tokens_revoked: 1 },
      { application_id: 'app-2', tokens_issued: 1, tokens_refreshed: 0, tokens_revoked: 0 },
    ]);
    expect(inline.secrets.map((row) => [row.secret_hash, row.retired])).toEqual([['code-hash', false], ['r1', true], ['r2', false]]);
    expect(inline.grants.map((row) => [row.grant_id, row.status])).toEqual([['cc', 'active'], ['cc2', 'active'], ['code', 'revoked']]);

    await projector.rebuild([profiles, tokens]);
    expect(await rows()).toEqual(inline);
  });

  it('marks QR tokens revoked: by their own event, and at once by a password change for those issued before it', async () => {
    const at = (minute: number) => `2026-03-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const qr = (qrTokenId: string, minute: number) => ({
      type: 'QrTokenIssued',
      schemaVersion: 2,
      data: { qrTokenId, profileId: '2', qrTokenHash: `qh-${qrTokenId}`, issuedAt: at(minute), expiresAt: '2030-01-01T00:00:00.000Z', authorizationTokenId: 't2' },
    });
    const issued = await tokens.append({
      streamId: 'authorization-tokens-2',
      streamType: 'authorization-tokens',
      expectedVersion: 0,
      events: [qr('q-before', 1), qr('q-redeemed', 1), qr('q-revoked', 1), qr('q-after', 5)],
      metadata,
    });
    const used = await tokens.append({
      streamId: 'authorization-tokens-2',
      streamType: 'authorization-tokens',
      expectedVersion: 4,
      events: [
        { type: 'QrTokenRedeemed', schemaVersion: 1, data: { qrTokenId: 'q-redeemed', profileId: '2', qrTokenHash: 'qh-q-redeemed', tokenId: 't9', redeemedAt: at(2) } },
        { type: 'QrTokenRevoked', schemaVersion: 1, data: { qrTokenId: 'q-revoked', profileId: '2', qrTokenHash: 'qh-q-revoked', revokedAt: at(2), reason: 'authorization-token-revoked' } },
      ],
      metadata,
    });
    const changed = await profiles.append({
      streamId: 'profile-2',
      streamType: 'profile',
      expectedVersion: 0,
      events: [{ type: 'PasswordChanged', schemaVersion: 2, data: { profileId: '2', passwordHash: 'h', changedAt: at(3), keepAuthorizationTokenId: 't2' } }],
      metadata,
    });
    for (const event of [...issued, ...used, ...changed]) await projector.apply(event);
    expect(await projector.apply(changed[0])).toEqual([]);
    const { rows } = await pool.query(`SELECT qr_token_id, authorization_token_id, redeemed_at, revoked_at FROM "${prefix}_gateway".qr_tokens WHERE profile_id = '2' ORDER BY qr_token_id`);
    expect(rows).toEqual([
      { qr_token_id: 'q-after', authorization_token_id: 't2', redeemed_at: null, revoked_at: null },
      { qr_token_id: 'q-before', authorization_token_id: 't2', redeemed_at: null, revoked_at: new Date(at(3)) },
      { qr_token_id: 'q-redeemed', authorization_token_id: 't2', redeemed_at: new Date(at(2)), revoked_at: null },
      { qr_token_id: 'q-revoked', authorization_token_id: 't2', redeemed_at: null, revoked_at: new Date(at(2)) },
    ]);
  });
});
