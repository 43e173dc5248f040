import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startProfileService } from '@platform/profile-service';

async function main(): Promise<void> {
  await startProfileService({ config: loadConfig(), clientId: 'profile-service' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
