import { startBanner } from './start-banner';

describe('startBanner', () => {
  it('names the URL, the docs and the embedded database without its password', () => {
    const banner = startBanner({
      port: 8080,
      issuer: 'http://localhost:8080',
      bus: 'in-process bus',
      database: { databaseUrl: 'postgres://postgres:s3cr3t-v4lue@127.0.0.1:54329/platform', passwordFile: '/srv/.data/postgres.password' },
      keyEncryptionSecretFile: '/srv/.data/key-encryption-secret',
    });
    expect(banner).toContain('platform ready on http://localhost:8080 (embedded PostgreSQL, in-process bus)');
    expect(banner).toContain('http://localhost:8080/docs');
    expect(banner).toContain('postgres://postgres:***@127.0.0.1:54329/platform');
    expect(banner).toContain(`DATABASE_URL="postgres://postgres:$(cat '/srv/.data/postgres.password')@127.0.0.1:54329/platform"`);
    expect(banner).toContain(`KEY_ENCRYPTION_SECRET_FILE='/srv/.data/key-encryption-secret'`);
    expect(banner).not.toContain('s3cr3t-v4lue');
  });

  it('says which issuer is used when it is not the local URL, and leaves out the database lines for DATABASE_URL', () => {
    const banner = startBanner({ port: 9000, issuer: 'https://auth.example.com', bus: 'Kafka' });
    expect(banner).toContain('issuer:      https://auth.example.com');
    expect(banner).not.toContain('PostgreSQL:');
  });
});
