import 'reflect-metadata';
import { ConfigError, loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { startTokenService } from '@platform/token-service';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  startTracing('token-service');
  await startTokenService({ config: loadConfig(), clientId: 'token-service' });
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error instanceof ConfigError ? `token-service: ${error.message}` : error);
  process.exit(1);
});
