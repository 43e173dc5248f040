import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startTokenService } from '@platform/token-service';

async function main(): Promise<void> {
  await startTokenService({ config: loadConfig(), clientId: 'token-service' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
