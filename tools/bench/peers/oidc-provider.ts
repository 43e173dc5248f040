import { exportJWK, generateKeyPair } from 'jose';
import type { AddressInfo } from 'node:net';
import { JWT_RESOURCE } from './resource';

/**
 * The peer: node-oidc-provider in memory (its default adapter), run as a child of the bench.
 * One confidential client (client_secret_basic) with client_credentials; ES256 like our signer.
 * A request with `resource=urn:bench:jwt` gets an ES256 JWT access token (the client_credentials
 * row); one without gets the default opaque token, which is what its introspection accepts.
 * Prints `{"port":N}` on stdout once listening on 127.0.0.1.
 *   env: BENCH_CLIENT_ID, BENCH_CLIENT_SECRET
 */

async function main(): Promise<void> {
  // ESM-only package; Node ≥ 22.12 require()s it.
  const loaded = require('oidc-provider') as { default: new (issuer: string, config: object) => OidcProvider };
  const Provider = loaded.default;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'bench-es256', alg: 'ES256', use: 'sig' };
  const clientId = process.env.BENCH_CLIENT_ID ?? 'bench-client';
  const clientSecret = process.env.BENCH_CLIENT_SECRET ?? 'bench-secret';
  const provider = new Provider('http://127.0.0.1', {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'api:read',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    scopes: ['api:read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async () => ({
          scope: 'api:read',
          audience: JWT_RESOURCE,
          accessTokenTTL: 900,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  const server = provider.listen(0, '127.0.0.1');
  server.once('listening', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

interface OidcProvider {
  listen(port: number, host: string): import('node:http').Server;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
