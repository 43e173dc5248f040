import { readFileSync } from 'node:fs';
import { type Environment, validateEnvironment } from './environment';

/** Every environment variable the platform reads, parsed once. README's configuration table mirrors this. */
export interface PlatformConfig {
  port: number;
  issuer: string;
  databaseUrl?: string;
  kafkaBrokers?: string[];
  kafkaTopicPrefix: string;
  kafkaPartitions: number;
  /** How long the broker waits for a silent consumer before reassigning its partitions (broker min: group.min.session.timeout.ms). */
  kafkaSessionTimeoutMs: number;
  /** Replication factor of the topics the platform creates. */
  kafkaReplicationFactor: number;
  kafkaSecurity: KafkaSecurity;
  healthPort?: number;
  logLevel: string;
  dataDir: string;
  commandWaitTimeoutMs: number;
  authorizationTokenTtlSeconds: number;
  bodyLimitBytes: number;
  /** Password and QR redemption attempts per client address in each window. */
  authAttemptsPerClient: number;
  authAttemptWindowSeconds: number;
  /** Failed password checks of one username before each further attempt waits 1 s, 2 s, 4 s … up to the cap. */
  authFreeFailures: number;
  authMaxDelaySeconds: number;
  /** How long a username's failures are remembered without a success. */
  authFailureMemorySeconds: number;
  registrationsPerClient: number;
  registrationWindowSeconds: number;
  qrTokenTtlSeconds: number;
  /** Secrets that encrypt private signing keys at rest: the first encrypts, every one decrypts. */
  keyEncryptionSecrets?: string[];
  /** Open `/ws` sockets per client address (0: no limit). */
  wsMaxSocketsPerClient: number;
}

/** Kafka's transport security, passed to kafkajs as `ssl` and `sasl`. */
export interface KafkaSecurity {
  /** true: TLS with the system CAs; an object: TLS with these PEM contents. */
  ssl?: boolean | { ca?: string; cert?: string; key?: string };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

const pem = (file: string | undefined): string | undefined => (file ? readFileSync(file, 'utf8') : undefined);

function kafkaSecurity(environment: Environment): KafkaSecurity {
  const files = { ca: pem(environment.KAFKA_SSL_CA_FILE), cert: pem(environment.KAFKA_SSL_CERT_FILE), key: pem(environment.KAFKA_SSL_KEY_FILE) };
  const anyFile = Object.values(files).some(Boolean);
  const ssl = environment.KAFKA_SSL === false ? undefined : anyFile ? files : environment.KAFKA_SSL ? true : undefined;
  const mechanism = environment.KAFKA_SASL_MECHANISM;
  const sasl = mechanism ? { mechanism, username: environment.KAFKA_SASL_USERNAME!, password: environment.KAFKA_SASL_PASSWORD! } : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/** KEY_ENCRYPTION_SECRET (or the contents of KEY_ENCRYPTION_SECRET_FILE): a comma-separated list, newest first. */
const keyEncryptionSecrets = (raw: string | undefined): string[] | undefined => {
  const secrets = raw?.split(',').map((secret) => secret.trim()).filter(Boolean);
  return secrets && secrets.length > 0 ? secrets : undefined;
};

/** The environment, validated against `Environment` (a `ConfigError` lists every bad variable), with defaults. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PlatformConfig => {
  const e = validateEnvironment(env);
  const port = e.PORT ?? 8080;
  const brokers = e.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean);
  return {
    port,
    issuer: e.ISSUER || `http://localhost:${port}`,
    databaseUrl: e.DATABASE_URL || undefined,
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    kafkaTopicPrefix: e.KAFKA_TOPIC_PREFIX ?? '',
    kafkaPartitions: e.KAFKA_PARTITIONS ?? 3,
    kafkaReplicationFactor: e.KAFKA_REPLICATION_FACTOR ?? 1,
    kafkaSessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS ?? 3_000,
    kafkaSecurity: kafkaSecurity(e),
    healthPort: e.HEALTH_PORT,
    logLevel: e.LOG_LEVEL || 'info',
    dataDir: e.DATA_DIR || '.data',
    commandWaitTimeoutMs: e.COMMAND_WAIT_TIMEOUT_MS ?? 10_000,
    authorizationTokenTtlSeconds: e.AUTHORIZATION_TOKEN_TTL_SECONDS ?? 86_400,
    bodyLimitBytes: e.BODY_LIMIT_BYTES ?? 65_536,
    authAttemptsPerClient: e.AUTH_ATTEMPTS_PER_CLIENT ?? 30,
    authAttemptWindowSeconds: e.AUTH_ATTEMPT_WINDOW_SECONDS ?? 60,
    authFreeFailures: e.AUTH_FREE_FAILURES ?? 5,
    authMaxDelaySeconds: e.AUTH_MAX_DELAY_SECONDS ?? 900,
    authFailureMemorySeconds: e.AUTH_FAILURE_MEMORY_SECONDS ?? 86_400,
    registrationsPerClient: e.REGISTRATIONS_PER_CLIENT ?? 20,
    registrationWindowSeconds: e.REGISTRATION_WINDOW_SECONDS ?? 3600,
    qrTokenTtlSeconds: e.QR_TOKEN_TTL_SECONDS ?? 120,
    keyEncryptionSecrets: keyEncryptionSecrets(e.KEY_ENCRYPTION_SECRET),
    wsMaxSocketsPerClient: e.WS_MAX_SOCKETS_PER_CLIENT ?? 256,
  };
};

/** Postgres schema names per context; a prefix keeps parallel test runs apart. */
export const schemaName = (base: string, env: NodeJS.ProcessEnv = process.env): string =>
  `${env.DB_SCHEMA_PREFIX ?? ''}${base}`.replace(/-/g, '_');
