import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { startOAuthAppService } from '@platform/oauth-app-service';

async function main(): Promise<void> {
  await startOAuthAppService({ config: loadConfig(), clientId: 'oauth-app-service' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
