import { CompactSign, generateKeyPair } from 'jose';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';

/**
 * The floor under the client_credentials row: an HTTP server doing only what any token endpoint must.
 * node:http, a form body, client_secret_basic against a SHA-256 of the secret, the same jose ES256
 * `CompactSign` as our signer. With FLOOR_DATABASE_URL, each token is also durably recorded before it
 * is returned, as the issue asks of ours: one row per token (a UUIDv7 key, like our streams) in a table
 * of four columns, group-committed (every waiting token in one INSERT, one batch in flight). No
 * framework, no event store, no outbox. Prints `{"port":N}` on stdout once listening on 127.0.0.1.
 *   env: FLOOR_CLIENT_ID, FLOOR_CLIENT_SECRET, FLOOR_DATABASE_URL (optional)
 */
const clientId = process.env.FLOOR_CLIENT_ID ?? 'floor-client';
if (!process.env.FLOOR_CLIENT_SECRET) throw new Error('FLOOR_CLIENT_SECRET is required');
const secretHash = createHash('sha256').update(process.env.FLOOR_CLIENT_SECRET).digest();
const SCOPE = 'api:read';
// Scratch data of the bench, outside the platform's schemas: created here and dropped on stop, so no migration.
const SCHEMA = 'bench_floor';

interface Waiting {
  jti: string;
  issuedAt: Date;
  done: () => void;
  fail: (error: unknown) => void;
}

async function recorder(databaseUrl: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 }); // one batch in flight
  pool.on('error', () => undefined); // an idle connection lost: the next batch fails and answers 500
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
    CREATE TABLE IF NOT EXISTS ${SCHEMA}.tokens (jti uuid PRIMARY KEY, client_id text NOT NULL, scope text NOT NULL, issued_at timestamptz NOT NULL)`);
  let waiting: Waiting[] = [];
  let busy = false;
  const flush = async (): Promise<void> => {
    if (busy || waiting.length === 0) return;
    busy = true;
    const batch = waiting;
    waiting = [];
    try {
      await pool.query(`INSERT INTO ${SCHEMA}.tokens SELECT jti, $2, $3, issued_at FROM unnest($1::uuid[], $4::timestamptz[]) AS t(jti, issued_at)`, [
        batch.map((token) => token.jti),
        clientId,
        SCOPE,
        batch.map((token) => token.issuedAt),
      ]);
      for (const token of batch) token.done();
    } catch (error) {
      for (const token of batch) token.fail(error);
    }
    busy = false;
    void flush();
  };
  return {
    record: (jti: string) =>
      new Promise<void>((done, fail) => {
        waiting.push({ jti, issuedAt: new Date(), done, fail });
        void flush();
      }),
    end: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}

function authenticated(authorization: string | undefined): boolean {
  if (!authorization?.startsWith('Basic ')) return false;
  try {
    const [id, secret = ''] = Buffer.from(authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent);
    return id === clientId && timingSafeEqual(createHash('sha256').update(secret).digest(), secretHash);
  } catch {
    return false; // a malformed percent-encoding
  }
}

async function main(): Promise<void> {
  const { privateKey } = await generateKeyPair('ES256');
  const store = process.env.FLOOR_DATABASE_URL ? await recorder(process.env.FLOOR_DATABASE_URL) : undefined;
  const issue = async (): Promise<string> => {
    const jti = uuidv7();
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'http://127.0.0.1', sub: clientId, aud: 'http://127.0.0.1', jti, iat: now, exp: now + 900, client_id: clientId, scope: SCOPE };
    const token = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' }).sign(privateKey);
    await store?.record(jti);
    return JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 900, scope: SCOPE });
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const grant = new URLSearchParams(Buffer.concat(chunks).toString()).get('grant_type');
      if (grant !== 'client_credentials' || !authenticated(request.headers.authorization)) {
        response.writeHead(grant === 'client_credentials' ? 401 : 400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: grant === 'client_credentials' ? 'invalid_client' : 'unsupported_grant_type' }));
        return;
      }
      issue().then(
        (body) => {
          response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          response.end(body);
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  const stop = () => server.close(() => void (store?.end() ?? Promise.resolve()).finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
