import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { createGateway } from '@platform/gateway';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createGateway({ config, clientId: 'gateway' });
  await app.listen(config.port, '0.0.0.0');
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
