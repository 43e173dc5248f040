import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { startTokenService } from '@platform/token-service';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  startTracing('token-service');
  await startTokenService({ config: loadConfig(), clientId: 'token-service' });
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
