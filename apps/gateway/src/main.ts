import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { createGateway, KeyEncryption, KeyEncryptionError } from '@platform/gateway';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  startTracing('gateway');
  const config = loadConfig();
  new KeyEncryption(config.keyEncryptionSecrets); // refuses a missing or short secret before anything starts
  const app = await createGateway({ config, clientId: 'gateway' });
  await app.listen(config.port, '0.0.0.0');
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error instanceof KeyEncryptionError ? `gateway: ${error.message}` : error);
  process.exit(1);
});
