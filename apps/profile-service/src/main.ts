import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { startProfileService } from '@platform/profile-service';
import { logUnhandledRejections } from '@platform/service-runtime';

async function main(): Promise<void> {
  startTracing('profile-service');
  await startProfileService({ config: loadConfig(), clientId: 'profile-service' });
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
