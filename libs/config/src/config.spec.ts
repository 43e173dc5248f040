import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './index';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, contents: string) => {
    const path = join(dir, name);
    writeFileSync(path, contents);
    chmodSync(path, 0o600);
    return path;
  };

  it('gives the defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, issuer: 'http://localhost:8080', kafkaPartitions: 3, kafkaReplicationFactor: 1, kafkaSecurity: {} });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('names every bad variable once, with what it must be', () => {
    const problems = problemsOf({ PORT: '99999', ISSUER: 'not a url', DATABASE_URL: 'mysql://x', KAFKA_PARTITIONS: 'three', LOG_LEVEL: 'loud' });
    expect(problems).toEqual([
      'PORT must be an integer from 1 to 65535, got "99999"',
      'ISSUER must be an http(s) URL such as https://auth.example.com, got "not a url"',
      'DATABASE_URL must be a postgres:// or postgresql:// connection string',
      'KAFKA_PARTITIONS must be an integer 1 or more, got "three"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
    expect(() => loadConfig({ PORT: '0' })).toThrow('invalid configuration:\n  - PORT must be an integer from 1 to 65535, got "0"');
  });

  it('treats empty values as unset and accepts good ones', () => {
    const config = loadConfig({ PORT: '9090', ISSUER: 'https://auth.example.com', HEALTH_PORT: '', KAFKA_BROKERS: 'a:9092, b:9093', DATABASE_URL: 'postgresql://u:p@db/platform' });
    expect(config).toMatchObject({ port: 9090, issuer: 'https://auth.example.com', kafkaBrokers: ['a:9092', 'b:9093'], databaseUrl: 'postgresql://u:p@db/platform' });
    expect(config.healthPort).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: '0' }).healthPort).toBe(0); // any free port
    expect(problemsOf({ HEALTH_PORT: '70000' })).toEqual(['HEALTH_PORT must be an integer from 0 to 65535, got "70000"']);
    expect(problemsOf({ KAFKA_BROKERS: 'kafka' })).toEqual(['KAFKA_BROKERS must be a comma-separated list of host:port, got "kafka"']);
  });

  it('reads secrets from *_FILE variables and refuses both forms at once', () => {
    const database = file('database-url', 'postgres://app:s3cret@db:5432/platform\n');
    const secret = file('key-secret', 'new-secret-0123456789abcdef,old-secret-0123456789abcdef\n');
    const config = loadConfig({ DATABASE_URL_FILE: database, KEY_ENCRYPTION_SECRET_FILE: secret });
    expect(config.databaseUrl).toBe('postgres://app:s3cret@db:5432/platform');
    expect(config.keyEncryptionSecrets).toEqual(['new-secret-0123456789abcdef', 'old-secret-0123456789abcdef']);
    expect(problemsOf({ DATABASE_URL: 'postgres://x/y', DATABASE_URL_FILE: database })).toEqual(['set DATABASE_URL or DATABASE_URL_FILE, not both']);
    expect(problemsOf({ KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') })[0]).toMatch(/^KAFKA_SASL_PASSWORD_FILE must name a readable file/);
  });

  it('builds kafkajs TLS and SASL settings', () => {
    const password = file('sasl-password', 'kafka-pass\n');
    const ca = file('ca.pem', 'CA PEM');
    expect(loadConfig({ KAFKA_SSL: 'true' }).kafkaSecurity).toEqual({ ssl: true });
    expect(loadConfig({ KAFKA_SSL_CA_FILE: ca, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD_FILE: password, KAFKA_REPLICATION_FACTOR: '3' })).toMatchObject({
      kafkaReplicationFactor: 3,
      kafkaSecurity: { ssl: { ca: 'CA PEM' }, sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'kafka-pass' } },
    });
    expect(problemsOf({ KAFKA_SSL: 'maybe', KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_REPLICATION_FACTOR: '0' })).toEqual([
      'KAFKA_REPLICATION_FACTOR must be an integer 1 or more, got "0"',
      'KAFKA_SSL must be true or false, got "maybe"',
      'KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got "gssapi"',
      'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set',
      'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required when KAFKA_SASL_MECHANISM is set',
    ]);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: join(dir, 'nope.pem') })).toEqual([`KAFKA_SSL_CA_FILE must name a readable file, got "${join(dir, 'nope.pem')}"`]);
  });
});
