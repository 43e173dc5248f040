import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

export type InfrastructureSource = 'env' | 'testcontainers' | 'local';

export interface Infrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
  source: { database: InfrastructureSource; kafka: InfrastructureSource };
  /** Stops whatever was started here; services named by the environment are left alone. */
  stop(): Promise<void>;
}

interface Started {
  value: string;
  source: InfrastructureSource;
  stop(): Promise<void>;
}

interface LocalKafka {
  brokers: string;
  stop(): Promise<void>;
}

type KafkaLauncher = { startKafka(options: { port: number; dataDir: string; log?: (message: string) => void }): Promise<LocalKafka> };

const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const POSTGRES_IMAGE = 'postgres:15-alpine';
// @testcontainers/kafka 12 drives Confluent images only; cp-kafka 7.9 ships Apache Kafka 3.9 (KRaft).
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
const repoRoot = resolve(__dirname, '../../..');

const noop = async (): Promise<void> => undefined;

/**
 * Real PostgreSQL and Kafka for tests: `DATABASE_URL` / `KAFKA_BROKERS` when set (each on its own),
 * else Testcontainers when a Docker engine answers, else the local PostgreSQL and the jar-based Kafka launcher.
 */
export async function resolveInfrastructure(log: (message: string) => void = () => undefined): Promise<Infrastructure> {
  const envDatabase = process.env.DATABASE_URL;
  const envKafka = process.env.KAFKA_BROKERS;
  const docker = envDatabase && envKafka ? false : await dockerAnswers();

  const results = await Promise.allSettled([
    envDatabase ? fromEnv(envDatabase) : docker ? postgresContainer() : localPostgres(),
    envKafka ? fromEnv(envKafka) : docker ? kafkaContainer() : localKafka(log),
  ]);
  const [database, kafka] = results;
  if (database.status === 'rejected' || kafka.status === 'rejected') {
    await Promise.allSettled(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw database.status === 'rejected' ? database.reason : (kafka as PromiseRejectedResult).reason;
  }

  return {
    databaseUrl: database.value.value,
    kafkaBrokers: kafka.value.value,
    source: { database: database.value.source, kafka: kafka.value.source },
    stop: async () => {
      await Promise.allSettled([database.value.stop(), kafka.value.stop()]);
    },
  };
}

async function fromEnv(value: string): Promise<Started> {
  return { value, source: 'env', stop: noop };
}

function dockerAnswers(timeoutMs = 5_000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    execFile('docker', ['info'], { timeout: timeoutMs }, (error) => resolvePromise(!error));
  });
}

async function postgresContainer(): Promise<Started> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
  return { value: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
}

async function kafkaContainer(): Promise<Started> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE)
    .withKraft()
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' })
    .start();
  return {
    value: `${container.getHost()}:${container.getMappedPort(9093)}`,
    source: 'testcontainers',
    stop: async () => void (await container.stop()),
  };
}

async function localPostgres(): Promise<Started> {
  const client = new Client({ connectionString: LOCAL_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`No DATABASE_URL, no Docker engine, and no PostgreSQL at ${LOCAL_DATABASE_URL} (${reason})`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { value: LOCAL_DATABASE_URL, source: 'local', stop: noop };
}

async function localKafka(log: (message: string) => void): Promise<Started> {
  // A real dynamic import: the CommonJS transform would turn `import()` into `require()`, which cannot load .mjs.
  const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<KafkaLauncher>;
  const { startKafka } = await importEsm(pathToFileURL(join(repoRoot, 'tools/kafka/kafka.mjs')).href);
  const dataDir = await mkdtemp(join(tmpdir(), 'kafka-test-'));
  try {
    const kafka = await startKafka({ port: 0, dataDir, log });
    return {
      value: kafka.brokers,
      source: 'local',
      stop: async () => {
        await kafka.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
