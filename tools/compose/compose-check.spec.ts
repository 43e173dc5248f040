import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeProblems } from './compose-check';

describe('docker-compose.yml', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');

  it('matches the Compose specification and the start order rules', () => {
    expect(composeProblems(text)).toEqual([]);
  });

  it('runs migrations as a one-shot step every app waits for', () => {
    expect(text).toMatch(/migrate:[\s\S]*dist\/tools\/migrate\/migrate\.js/);
    expect(text).toContain('condition: service_completed_successfully');
  });

  it('reports schema errors and broken start-order rules', () => {
    expect(composeProblems('services:\n  a:\n    image: x\n    ports: 8080\n')).toEqual([expect.stringMatching(/^\/services\/a\/ports must be array/)]);
    const broken = [
      'services:',
      '  db:',
      '    image: postgres',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "pg_isready -U postgres"]',
      '  migrate:',
      '    image: app',
      '    restart: always',
      '  app:',
      '    image: app',
      '    depends_on:',
      '      db: { condition: service_healthy }',
      '      migrate: { condition: service_completed_successfully }',
      '      cache: { condition: service_started }',
      '',
    ].join('\n');
    expect(composeProblems(broken)).toEqual([
      'db: pg_isready without -h 127.0.0.1 reports healthy during first-time init (Unix socket only)',
      'db: its health check has no start_period',
      'app waits for migrate to complete, but migrate restarts (always)',
      'app depends on cache, which is not a service',
    ]);
  });
});
