import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@platform/embedded-postgres';
import { reachableTempDir } from '@platform/testing';
import { type Answer, GatewayClient, randomUsername } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';

const PASSWORD = 'correct horse battery staple 42';

/**
 * DESIGN §9 Idempotency-Key, and issue 10: a PostgreSQL restart ends no process. The platform runs on
 * a PostgreSQL of the test's own (embedded, in a temp dir), so the test can terminate its backends,
 * stop it and start it again; the machine's shared PostgreSQL is never touched.
 */
describe('Idempotency-Key and database outages (embedded app on its own PostgreSQL)', () => {
  const dir = reachableTempDir(join(tmpdir(), 'platform-idem-'));
  let database: EmbeddedPostgres;
  let sql: Pool;
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;

  beforeAll(async () => {
    database = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), handleSignals: false });
    sql = new Pool({ connectionString: database.databaseUrl, max: 2 });
    sql.on('error', () => undefined);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      ISSUER: `http://127.0.0.1:${port}`,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: database.databaseUrl,
      LOG_LEVEL: 'warn',
      AUTH_ATTEMPTS_PER_CLIENT: '1000',
      REGISTRATIONS_PER_CLIENT: '1000',
    };
    delete env.KAFKA_BROKERS;
    delete env.DB_SCHEMA_PREFIX;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    try {
      await waitForHealthy(client.baseUrl, app.child, 120_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${app.output()}`);
    }
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await sql?.end().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const count = async (query: string, params: unknown[] = []) => Number((await sql.query<{ n: string }>(query, params)).rows[0].n);
  const commands = (type: string) => count(`SELECT count(*) AS n FROM gateway.command_status WHERE command_type = $1`, [type]);
  const register = (username: string, key?: string, password = PASSWORD) =>
    client.request('POST', '/profile/register-profile', { form: { username, password }, headers: key === undefined ? {} : { 'idempotency-key': key } });

  const profile = async () => {
    const username = randomUsername('idem');
    const registered = await register(username);
    expect((await client.waitForCommand(String(registered.body.commandId))).body.status).toBe('succeeded');
    const token = String((await client.authenticate(username, PASSWORD)).body.authorizationToken);
    expect(token).not.toBe('undefined');
    return token;
  };

  describe('Idempotency-Key', () => {
    it('replays a Privicore 202 without a second command: same command id, same X-Dpt-Cab-Id', async () => {
      const username = randomUsername('idem');
      const before = await commands('RegisterProfile');
      const first = await register(username, 'signup-1');
      const second = await register(username, 'signup-1');
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('x-dpt-cab-id')).toBe(first.body.commandId);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(await commands('RegisterProfile')).toBe(before + 1);
      expect((await client.waitForCommand(String(first.body.commandId))).body.status).toBe('succeeded');
      expect(await register(username, 'signup-1')).toMatchObject({ status: 202, body: first.body });
      expect(await count(`SELECT count(*) AS n FROM profile.events WHERE data->>'username' = $1`, [username])).toBe(1);
    });

    it('refuses the same key with another body (422) and a malformed key (400), in the Privicore shape, changing nothing', async () => {
      const username = randomUsername('idem');
      await register(username, 'signup-2');
      const before = await commands('RegisterProfile');
      const reused = await register(randomUsername('other'), 'signup-2');
      expect(reused).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused', message: expect.any(String) } });
      for (const key of ['', 'x'.repeat(256), 'has space', 'caf\u00e9']) {
        const bad = await client.request('POST', '/profile/register-profile', { form: { username: randomUsername('bad'), password: PASSWORD }, headers: { 'idempotency-key': key } });
        expect({ key, status: bad.status, error: bad.body.error }).toEqual({ key, status: 400, error: 'validation_error' });
      }
      expect(await commands('RegisterProfile')).toBe(before);
    });

    it('lets one of several concurrent requests with one key run; the others replay it or answer 409', async () => {
      const username = randomUsername('idem');
      const before = await commands('RegisterProfile');
      const answers = await Promise.all(Array.from({ length: 6 }, () => register(username, 'signup-race')));
      const accepted = answers.filter((answer) => answer.status === 202);
      const inUse = answers.filter((answer) => answer.status === 409);
      expect(accepted.length + inUse.length).toBe(6);
      expect(new Set(accepted.map((answer) => answer.body.commandId)).size).toBe(1);
      for (const answer of inUse) {
        expect(answer.body.error).toBe('idempotency_key_in_use');
        expect(answer.headers.get('retry-after')).toBe('1');
      }
      expect(await commands('RegisterProfile')).toBe(before + 1);
    });

    it('scopes keys to the caller: two profiles may use one key, each replays its own', async () => {
      const [ann, bob] = [await profile(), await profile()];
      const create = (token: string, name = 'Printer') =>
        client.request('POST', '/profile/oauth-application-register', {
          headers: { 'x-dpt-authorization': token, 'idempotency-key': 'app-1' },
          form: { name, redirectUri: 'https://printer.example/cb', scopes: 'profile:read' },
        });
      const before = await commands('RegisterOAuthApplication');
      const annFirst = await create(ann);
      const bobFirst = await create(bob);
      expect(annFirst.status).toBe(202);
      expect(bobFirst.status).toBe(202);
      expect(bobFirst.body.commandId).not.toBe(annFirst.body.commandId);
      expect((await create(ann)).body).toEqual(annFirst.body);
      expect((await create(bob)).body).toEqual(bobFirst.body);
      expect(await create(ann, 'Scanner')).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
      expect(await commands('RegisterOAuthApplication')).toBe(before + 2);
    });

    it('POST /o/apps/: a replay answers the same application and secret, creates nothing, and the stored answer is encrypted', async () => {
      const token = await profile();
      const create = (name: string, key: string) =>
        client.request('POST', '/o/apps/', { headers: { 'x-dpt-authorization': token, 'idempotency-key': key }, json: { name } });
      const first = await create('Seed app', 'create-1');
      expect(first.status).toBe(201);
      const second = await create('Seed app', 'create-1');
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('cache-control')).toContain('no-store');
      const listed = await client.request<Array<{ id: string }>>('GET', '/o/apps/', { headers: { 'x-dpt-authorization': token } });
      expect(listed.body.filter((app) => app.id === first.body.id)).toHaveLength(1);
      expect(listed.body).toHaveLength(1);
      expect(await count(`SELECT count(*) AS n FROM oauth_app.events WHERE event_type = 'OAuthApplicationRegistered' AND stream_id LIKE $1`, [`%${String(first.body.id)}`])).toBe(1);
      const stored = (await sql.query<{ row: string }>(`SELECT row_to_json(k)::text AS row FROM gateway.idempotency_keys k`)).rows.map((row) => row.row).join('\n');
      expect(stored).not.toContain(String(first.body.client_secret));
      const reused = await create('Other name', 'create-1');
      expect(reused).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused', message: expect.any(String), details: expect.any(Object) } } });
      const malformed = await create('Seed app', 'x'.repeat(256));
      expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'validation_error' } } });
      expect((await client.request<unknown[]>('GET', '/o/apps/', { headers: { 'x-dpt-authorization': token } })).body).toHaveLength(1);
    });
  });

  describe('PostgreSQL going away', () => {
    const alive = () => expect(app.child.exitCode).toBeNull();

    const eventually = async (what: () => Promise<boolean>, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await what().catch(() => false))) {
        if (Date.now() > deadline) throw new Error(`not recovered in ${timeoutMs} ms\n${app.output().slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const worksAgain = () =>
      eventually(async () => {
        const username = randomUsername('after');
        const answer = await register(username);
        if (answer.status !== 202) return false;
        return (await client.waitForCommand(String(answer.body.commandId), undefined, 10_000)).body.status === 'succeeded' && (await client.authenticate(username, PASSWORD)).status === 200;
      });

    it('survives every backend being terminated in the middle of requests (transactions, projections, LISTEN) and recovers', async () => {
      const token = await profile();
      const load = Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          index % 2 === 0 ? register(randomUsername('load')) : client.request('GET', '/profile/retrieve-profile-id', { headers: { 'x-dpt-authorization': token } }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const killer = new Pool({ connectionString: database.databaseUrl, max: 1 });
      const { rowCount } = await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      await killer.end();
      expect(rowCount).toBeGreaterThan(0);
      const answers: Answer[] = await load;
      for (const answer of answers) expect([200, 202, 503]).toContain(answer.status);
      alive();
      await worksAgain();
      alive();
    }, 60_000);

    it('answers 503 with Retry-After in each family while the database is down, and serves again once it is back', async () => {
      const token = await profile();
      const port = database.port;
      await database.stop();
      const privicore = await client.request('GET', '/profile/retrieve-profile-id', { headers: { 'x-dpt-authorization': `${token}x` } });
      expect(privicore).toMatchObject({ status: 503, body: { error: 'service_unavailable', message: expect.any(String) } });
      expect(privicore.headers.get('retry-after')).toBe('2');
      const write = await register(randomUsername('down'));
      expect(write).toMatchObject({ status: 503, body: { error: 'service_unavailable' } });
      const oauth = await client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nothing' } });
      expect(oauth).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
      const envelope = await client.request('GET', '/o/apps/', { headers: { 'x-dpt-authorization': `${token}y` } });
      expect(envelope).toMatchObject({ status: 503, body: { error: { code: 'service_unavailable' } } });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      alive();
      database = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, handleSignals: false });
      await worksAgain();
      alive();
    }, 90_000);
  });
});
