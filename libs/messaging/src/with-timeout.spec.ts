import { withTimeout } from './with-timeout';

const pendingTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('withTimeout', () => {
  it('answers with the promise and leaves no timer behind', async () => {
    const before = pendingTimers();
    await expect(withTimeout(Promise.resolve('up'), 60_000)).resolves.toBe('up');
    expect(pendingTimers()).toBe(before);
  });

  it('passes a rejection on and leaves no timer behind', async () => {
    const before = pendingTimers();
    await expect(withTimeout(Promise.reject(new Error('down')), 60_000)).rejects.toThrow('down');
    expect(pendingTimers()).toBe(before);
  });

  it('rejects with its message when the promise takes longer', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 10)).rejects.toThrow('timed out after 10 ms');
    await expect(withTimeout(never, 10, 'no answer from Kafka')).rejects.toThrow('no answer from Kafka');
  });
});
