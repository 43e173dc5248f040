import 'reflect-metadata';
import { resolve } from 'node:path';
import { loadConfig } from '@platform/config';
import { startEmbeddedPostgres } from '@platform/embedded-postgres';
import { createGateway } from '@platform/gateway';
import { InProcessMessageBus } from '@platform/messaging';
import { startOAuthAppService } from '@platform/oauth-app-service';
import { startProfileService } from '@platform/profile-service';
import { startTokenService } from '@platform/token-service';
import { logUnhandledRejections } from '@platform/service-runtime';

/**
 * The embedded default (`npm start`): the whole platform in one process, like Keycloak's start-dev.
 * An embedded PostgreSQL keeps its data under DATA_DIR and an in-process bus stands in for Kafka,
 * unless DATABASE_URL / KAFKA_BROKERS name real services.
 */
async function main(): Promise<void> {
  const env = { ...process.env };
  const database = env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: resolve(env.DATA_DIR || '.data', 'postgres'), handleSignals: false });
  if (database) env.DATABASE_URL = database.databaseUrl;
  const config = loadConfig({ ...env, HEALTH_PORT: '' });
  const bus = config.kafkaBrokers ? undefined : new InProcessMessageBus();
  const services = [
    await startProfileService({ config, clientId: 'profile-service', bus, handleSignals: false }),
    await startTokenService({ config, clientId: 'token-service', bus, handleSignals: false }),
    await startOAuthAppService({ config, clientId: 'oauth-app-service', bus, handleSignals: false }),
  ];
  const gateway = await createGateway({ config, clientId: 'gateway', bus, handleSignals: false });
  await gateway.listen(config.port, '0.0.0.0');
  console.log(`platform ready on http://localhost:${config.port} (${database ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${bus ? 'in-process bus' : 'Kafka'})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.close();
    for (const service of services.reverse()) await service.close();
    await bus?.close();
    await database?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
