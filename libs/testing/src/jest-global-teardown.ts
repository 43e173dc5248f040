export default async function globalTeardown(): Promise<void> {
  const infrastructure = globalThis.__TEST_INFRASTRUCTURE__;
  globalThis.__TEST_INFRASTRUCTURE__ = undefined;
  await infrastructure?.stop();
}
