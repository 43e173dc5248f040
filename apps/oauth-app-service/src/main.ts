import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { startOAuthAppService } from '@platform/oauth-app-service';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  startTracing('oauth-app-service');
  await startOAuthAppService({ config: loadConfig(), clientId: 'oauth-app-service' });
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
