/** Every environment variable the platform reads, parsed once. README's configuration table mirrors this. */
export interface PlatformConfig {
  port: number;
  issuer: string;
  databaseUrl?: string;
  kafkaBrokers?: string[];
  kafkaTopicPrefix: string;
  kafkaPartitions: number;
  healthPort?: number;
  logLevel: string;
  dataDir: string;
  commandWaitTimeoutMs: number;
  authorizationTokenTtlSeconds: number;
  bodyLimitBytes: number;
  /** Authenticate and QR redemption attempts per client address, and per username, in each window. */
  authAttemptsPerClient: number;
  authAttemptsPerUsername: number;
  authAttemptWindowSeconds: number;
  qrTokenTtlSeconds: number;
  /** Open `/ws` sockets per client address (0: no limit). */
  wsMaxSocketsPerClient: number;
}

const integer = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
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
    healthPort: env.HEALTH_PORT ? integer(env.HEALTH_PORT, 0, 'HEALTH_PORT') : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    dataDir: env.DATA_DIR || '.data',
    commandWaitTimeoutMs: integer(env.COMMAND_WAIT_TIMEOUT_MS, 10_000, 'COMMAND_WAIT_TIMEOUT_MS'),
    authorizationTokenTtlSeconds: integer(env.AUTHORIZATION_TOKEN_TTL_SECONDS, 86_400, 'AUTHORIZATION_TOKEN_TTL_SECONDS'),
    bodyLimitBytes: integer(env.BODY_LIMIT_BYTES, 65_536, 'BODY_LIMIT_BYTES'),
    authAttemptsPerClient: integer(env.AUTH_ATTEMPTS_PER_CLIENT, 30, 'AUTH_ATTEMPTS_PER_CLIENT'),
    authAttemptsPerUsername: integer(env.AUTH_ATTEMPTS_PER_USERNAME, 10, 'AUTH_ATTEMPTS_PER_USERNAME'),
    authAttemptWindowSeconds: integer(env.AUTH_ATTEMPT_WINDOW_SECONDS, 60, 'AUTH_ATTEMPT_WINDOW_SECONDS'),
    qrTokenTtlSeconds: integer(env.QR_TOKEN_TTL_SECONDS, 120, 'QR_TOKEN_TTL_SECONDS'),
    wsMaxSocketsPerClient: integer(env.WS_MAX_SOCKETS_PER_CLIENT, 256, 'WS_MAX_SOCKETS_PER_CLIENT'),
  };
};

/** Postgres schema names per context; a prefix keeps parallel test runs apart. */
export const schemaName = (base: string, env: NodeJS.ProcessEnv = process.env): string =>
  `${env.DB_SCHEMA_PREFIX ?? ''}${base}`.replace(/-/g, '_');
