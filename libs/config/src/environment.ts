import { existsSync, readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';

/** Raised at start when the environment does not match the schema: one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables that may instead be read from a file named by `<NAME>_FILE` (Docker/Kubernetes secrets). */
export const FILE_VARIABLES = ['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'KEY_ENCRYPTION_SECRET'] as const;

const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const toNumber = ({ value }: { value: unknown }) => {
  const blank = blankToUndefined({ value });
  return typeof blank === 'string' && /^-?\d+$/.test(blank.trim()) ? Number(blank) : blank;
};
const toBoolean = ({ value }: { value: unknown }) => {
  const blank = blankToUndefined({ value });
  if (typeof blank !== 'string') return blank;
  const lower = blank.trim().toLowerCase();
  return ['true', '1', 'yes'].includes(lower) ? true : ['false', '0', 'no'].includes(lower) ? false : blank;
};

const Count = (min = 0, max?: number): PropertyDecorator => {
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  const decorators = [
    Transform(toNumber),
    IsOptional(),
    IsInt({ message: ({ property, value }) => `${property} must be an integer ${range}, got "${value}"` }),
    Min(min, { message: ({ property, value }) => `${property} must be an integer ${range}, got "${value}"` }),
    ...(max === undefined ? [] : [Max(max, { message: ({ property, value }) => `${property} must be an integer ${range}, got "${value}"` })]),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
};
const Port = (min = 1): PropertyDecorator => Count(min, 65_535);

const ReadableFile = (): PropertyDecorator => (target, key) => {
  Transform(blankToUndefined)(target, key);
  IsOptional()(target, key);
  registerDecorator({
    name: 'readableFile',
    target: target.constructor,
    propertyName: String(key),
    validator: {
      validate: (value: unknown) => typeof value === 'string' && existsSync(value),
      defaultMessage: (args) => `${args?.property} must name a readable file, got "${args?.value}"`,
    },
  });
};

/** The schema of the environment. Names are the variables'; README's configuration table documents each. */
export class Environment {
  @Port() PORT?: number;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl(
    { require_protocol: true, require_tld: false, protocols: ['http', 'https'] },
    { message: ({ value }) => `ISSUER must be an http(s) URL such as https://auth.example.com, got "${value}"` },
  )
  ISSUER?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// connection string' })
  DATABASE_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*,?\s*$/, {
    message: ({ value }) => `KAFKA_BROKERS must be a comma-separated list of host:port, got "${value}"`,
  })
  KAFKA_BROKERS?: string;

  @Count(1) KAFKA_PARTITIONS?: number;
  @Count(1) KAFKA_REPLICATION_FACTOR?: number;
  @Count(1) KAFKA_SESSION_TIMEOUT_MS?: number;

  @Transform(toBoolean)
  @IsOptional()
  @IsIn([true, false], { message: ({ value }) => `KAFKA_SSL must be true or false, got "${value}"` })
  KAFKA_SSL?: boolean;

  @ReadableFile() KAFKA_SSL_CA_FILE?: string;
  @ReadableFile() KAFKA_SSL_CERT_FILE?: string;
  @ReadableFile() KAFKA_SSL_KEY_FILE?: string;

  @Transform(({ value }) => (typeof blankToUndefined({ value }) === 'string' ? String(value).trim().toLowerCase() : undefined))
  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'], {
    message: ({ value }) => `KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got "${value}"`,
  })
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @ValidateIf((environment: Environment) => environment.KAFKA_SASL_MECHANISM !== undefined)
  @Matches(/\S/, { message: 'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((environment: Environment) => environment.KAFKA_SASL_MECHANISM !== undefined)
  @Matches(/\S/, { message: 'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  /** 0: any free port (tests). */
  @Port(0) HEALTH_PORT?: number;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: ({ value }) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${value}"`,
  })
  LOG_LEVEL?: string;

  @Count() COMMAND_WAIT_TIMEOUT_MS?: number;
  @Count() AUTHORIZATION_TOKEN_TTL_SECONDS?: number;
  @Count(1) BODY_LIMIT_BYTES?: number;
  @Count() AUTH_ATTEMPTS_PER_CLIENT?: number;
  @Count() AUTH_ATTEMPT_WINDOW_SECONDS?: number;
  @Count() AUTH_FREE_FAILURES?: number;
  @Count() AUTH_MAX_DELAY_SECONDS?: number;
  @Count() AUTH_FAILURE_MEMORY_SECONDS?: number;
  @Count() REGISTRATIONS_PER_CLIENT?: number;
  @Count() REGISTRATION_WINDOW_SECONDS?: number;
  @Count() QR_TOKEN_TTL_SECONDS?: number;
  @Count() WS_MAX_SOCKETS_PER_CLIENT?: number;

  KAFKA_TOPIC_PREFIX?: string;
  DATA_DIR?: string;
  KEY_ENCRYPTION_SECRET?: string;
}

/** `NAME_FILE` names a file whose contents (trailing newline trimmed) are NAME; setting both is an error. */
function resolveFileVariables(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`set ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${name}_FILE must name a readable file: ${(error as Error).message}`);
    }
  }
  return resolved;
}

const flatten = (errors: ValidationError[]): string[] =>
  errors.flatMap((error) => [...Object.values(error.constraints ?? {}).slice(0, 1), ...flatten(error.children ?? [])]);

/** The environment checked against {@link Environment}; throws a {@link ConfigError} naming every bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): Environment {
  const problems: string[] = [];
  const resolved = resolveFileVariables(env, problems);
  const environment = plainToInstance(Environment, resolved, { excludeExtraneousValues: false });
  problems.push(...flatten(validateSync(environment, { forbidUnknownValues: false })));
  if (environment.KAFKA_SSL_CERT_FILE && !environment.KAFKA_SSL_KEY_FILE) problems.push('KAFKA_SSL_KEY_FILE is required with KAFKA_SSL_CERT_FILE');
  if (problems.length > 0) throw new ConfigError(problems);
  return environment;
}
