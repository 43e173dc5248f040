import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '@platform/config';
import { startTracing } from '@platform/observability';
import { readOrCreateSecretFile, startEmbeddedPostgres } from '@platform/embedded-postgres';
import { createGateway, KeyEncryptionError } from '@platform/gateway';
import { InProcessMessageBus } from '@platform/messaging';
import { startOAuthAppService } from '@platform/oauth-app-service';
import { startProfileService } from '@platform/profile-service';
import { startTokenService } from '@platform/token-service';
import { exitIfShutdownOverruns, logUnhandledRejections } from '@platform/service-runtime';
import { startBanner } from './start-banner';

/**
 * The embedded default (`npm start`): the whole platform in one process, like Keycloak's start-dev.
 * An embedded PostgreSQL keeps its data under DATA_DIR and an in-process bus stands in for Kafka,
 * unless DATABASE_URL / KAFKA_BROKERS name real services.
 */
async function main(): Promise<void> {
  startTracing('oauth-platform');
  const env = { ...process.env };
  const dataDir = resolve(env.DATA_DIR || '.data');
  if (!env.KEY_ENCRYPTION_SECRET && !env.KEY_ENCRYPTION_SECRET_FILE) {
    // Like Keycloak's dev mode: a secret made once and kept with the data it protects.
    env.KEY_ENCRYPTION_SECRET_FILE = join(dataDir, 'key-encryption-secret');
    await readOrCreateSecretFile(env.KEY_ENCRYPTION_SECRET_FILE);
  }
  const checked = loadConfig({ ...env, HEALTH_PORT: '' }); // a bad variable stops the start before anything runs
  const database = checked.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), handleSignals: false });
  if (database) env.DATABASE_URL = database.localUrl;
  const config = loadConfig({ ...env, HEALTH_PORT: '' });
  const bus = config.kafkaBrokers ? undefined : new InProcessMessageBus();
  const services = [
    await startProfileService({ config, clientId: 'profile-service', bus, handleSignals: false }),
    await startTokenService({ config, clientId: 'token-service', bus, handleSignals: false }),
    await startOAuthAppService({ config, clientId: 'oauth-app-service', bus, handleSignals: false }),
  ];
  const gateway = await createGateway({ config, clientId: 'gateway', bus, handleSignals: false });
  await gateway.listen(config.port, '0.0.0.0');
  console.log(startBanner({ port: config.port, issuer: config.issuer, database: database && { databaseUrl: database.databaseUrl, passwordFile: join(dataDir, 'postgres.password') }, bus: bus ? 'in-process bus' : 'Kafka', keyEncryptionSecretFile: env.KEY_ENCRYPTION_SECRET_FILE }));

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
  exitIfShutdownOverruns();
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

logUnhandledRejections();
main().catch((error) => {
  console.error(error instanceof KeyEncryptionError || error instanceof ConfigError ? `platform: ${error.message}` : error);
  process.exit(1);
});
