import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '@platform/config';
import { buildOpenApiDocument, createGateway } from '@platform/gateway';
import { InProcessMessageBus } from '@platform/messaging';

/** Writes the gateway's OpenAPI document (as served on /openapi.json) to the file named on the command line. Connects to nothing. */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'dist/openapi.json');
  const config = loadConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused', ISSUER: 'https://auth.platform.test', LOG_LEVEL: 'silent', KEY_ENCRYPTION_SECRET: 'openapi-document-only-0123456789abcdef' });
  const bus = new InProcessMessageBus();
  const app = await createGateway({ config, clientId: 'openapi', bus, handleSignals: false });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(app, config.issuer), null, 2)}\n`);
  await app.close();
  await bus.close();
  console.log(`OpenAPI document written to ${target}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
