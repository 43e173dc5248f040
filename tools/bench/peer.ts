import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { basic, clientCredentialsAt, FORM, form, type Target } from './load';
import { startChild } from './processes';
import { JWT_RESOURCE } from './peers/resource';

export interface Peer {
  url: string;
  clientAuthorization: string;
  pid: number;
  /** An opaque access token (its default format) for its introspection endpoint. */
  opaqueToken(): Promise<string>;
  stop(): Promise<void>;
}

export { JWT_RESOURCE };

async function startAnnounced(name: string, script: string, env: NodeJS.ProcessEnv) {
  const child = startChild(name, join(__dirname, 'peers', script), { ...process.env, ...env });
  const timeout = setTimeout(() => void child.stop(), 60_000);
  try {
    const port = await child.announced;
    return { child, url: `http://127.0.0.1:${port}` };
  } catch (error) {
    await child.stop();
    throw error;
  } finally {
    clearTimeout(timeout);
  }
}

/** node-oidc-provider in a child process of ours, on 127.0.0.1 (see peers/oidc-provider.ts). */
export async function startOidcProvider(): Promise<Peer> {
  const clientId = 'bench-client';
  const clientSecret = randomBytes(32).toString('base64url');
  const { child, url } = await startAnnounced('oidc-provider', 'oidc-provider.js', { BENCH_CLIENT_ID: clientId, BENCH_CLIENT_SECRET: clientSecret });
  const clientAuthorization = basic(clientId, clientSecret);
  return {
    url,
    clientAuthorization,
    pid: child.pid,
    async opaqueToken() {
      const response = await fetch(`${url}/token`, { method: 'POST', headers: { ...FORM, authorization: clientAuthorization }, body: form({ grant_type: 'client_credentials' }) });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token || body.access_token.includes('.')) throw new Error(`oidc-provider gave no opaque token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    stop: () => child.stop(),
  };
}

/** An HTTP server doing only argon2id verification of `hash` (see peers/argon2.ts). */
export async function startArgon2Server(hash: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const { child, url } = await startAnnounced('argon2', 'argon2.js', { BENCH_HASH: hash });
  return { url, pid: child.pid, stop: () => child.stop() };
}

/** The token floor (see peers/token-floor.ts): with `databaseUrl`, each token is recorded as one row there. */
export async function startTokenFloor(databaseUrl?: string): Promise<{ pid: number; target: Target; stop(): Promise<void> }> {
  const clientId = 'floor-client';
  const clientSecret = randomBytes(32).toString('base64url');
  const { child, url } = await startAnnounced('token-floor', 'token-floor.js', {
    FLOOR_CLIENT_ID: clientId,
    FLOOR_CLIENT_SECRET: clientSecret,
    ...(databaseUrl ? { FLOOR_DATABASE_URL: databaseUrl } : {}),
  });
  return { pid: child.pid, target: clientCredentialsAt(`${url}/token`, basic(clientId, clientSecret)), stop: () => child.stop() };
}
