import { resolveInfrastructure, type Infrastructure } from './infrastructure';

declare global {
  // Shared with jest-global-teardown.ts, which Jest runs in the same process.
  var __TEST_INFRASTRUCTURE__: Infrastructure | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infrastructure = await resolveInfrastructure((message) => console.log(`[infrastructure] ${message}`));
  globalThis.__TEST_INFRASTRUCTURE__ = infrastructure;
  // Workers are forked after this runs, so they inherit both variables.
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  const { database, kafka } = infrastructure.source;
  console.log(
    `\n[infrastructure] postgres: ${database} (${redact(infrastructure.databaseUrl)}), kafka: ${kafka} (${infrastructure.kafkaBrokers}) in ${Date.now() - started} ms`,
  );
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
