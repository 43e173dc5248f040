import { readFileSync } from 'node:fs';

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

const integer = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
};

/** KEY_ENCRYPTION_SECRET, or the contents of KEY_ENCRYPTION_SECRET_FILE: a comma-separated list, newest first. */
const keyEncryptionSecrets = (env: NodeJS.ProcessEnv): string[] | undefined => {
  if (env.KEY_ENCRYPTION_SECRET && env.KEY_ENCRYPTION_SECRET_FILE) throw new Error('set KEY_ENCRYPTION_SECRET or KEY_ENCRYPTION_SECRET_FILE, not both');
  const raw = env.KEY_ENCRYPTION_SECRET_FILE ? readFileSync(env.KEY_ENCRYPTION_SECRET_FILE, 'utf8') : env.KEY_ENCRYPTION_SECRET;
  const secrets = raw?.split(',').map((secret) => secret.trim()).filter(Boolean);
  return secrets && secrets.length > 0 ? secrets : undefined;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PlatformConfig => {
  const port = integer(env.PORT, 8080, 'PORT');
  const brokers = env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean);
  return {
    port,
    issuer: env.ISSUER || `http://localhost:${port}`,
    databaseUrl: env.DATABASE_URL || undefined,
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    kafkaTopicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    kafkaPartitions: integer(env.KAFKA_PARTITIONS, 3, 'KAFKA_PARTITIONS'),
    kafkaSessionTimeoutMs: integer(env.KAFKA_SESSION_TIMEOUT_MS, 3_000, 'KAFKA_SESSION_TIMEOUT_MS'),
    healthPort: env.HEALTH_PORT ? integer(env.HEALTH_PORT, 0, 'HEALTH_PORT') : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    dataDir: env.DATA_DIR || '.data',
    commandWaitTimeoutMs: integer(env.COMMAND_WAIT_TIMEOUT_MS, 10_000, 'COMMAND_WAIT_TIMEOUT_MS'),
    authorizationTokenTtlSeconds: integer(env.AUTHORIZATION_TOKEN_TTL_SECONDS, 86_400, 'AUTHORIZATION_TOKEN_TTL_SECONDS'),
    bodyLimitBytes: integer(env.BODY_LIMIT_BYTES, 65_536, 'BODY_LIMIT_BYTES'),
    authAttemptsPerClient: integer(env.AUTH_ATTEMPTS_PER_CLIENT, 30, 'AUTH_ATTEMPTS_PER_CLIENT'),
    authAttemptWindowSeconds: integer(env.AUTH_ATTEMPT_WINDOW_SECONDS, 60, 'AUTH_ATTEMPT_WINDOW_SECONDS'),
    authFreeFailures: integer(env.AUTH_FREE_FAILURES, 5, 'AUTH_FREE_FAILURES'),
    authMaxDelaySeconds: integer(env.AUTH_MAX_DELAY_SECONDS, 900, 'AUTH_MAX_DELAY_SECONDS'),
    authFailureMemorySeconds: integer(env.AUTH_FAILURE_MEMORY_SECONDS, 86_400, 'AUTH_FAILURE_MEMORY_SECONDS'),
    registrationsPerClient: integer(env.REGISTRATIONS_PER_CLIENT, 20, 'REGISTRATIONS_PER_CLIENT'),
    registrationWindowSeconds: integer(env.REGISTRATION_WINDOW_SECONDS, 3600, 'REGISTRATION_WINDOW_SECONDS'),
    qrTokenTtlSeconds: integer(env.QR_TOKEN_TTL_SECONDS, 120, 'QR_TOKEN_TTL_SECONDS'),
    keyEncryptionSecrets: keyEncryptionSecrets(env),
    wsMaxSocketsPerClient: integer(env.WS_MAX_SOCKETS_PER_CLIENT, 256, 'WS_MAX_SOCKETS_PER_CLIENT'),
  };
};

/** Postgres schema names per context; a prefix keeps parallel test runs apart. */
export const schemaName = (base: string, env: NodeJS.ProcessEnv = process.env): string =>
  `${env.DB_SCHEMA_PREFIX ?? ''}${base}`.replace(/-/g, '_');
