import { InProcessMessageBus } from './in-process-message-bus';
import { describeMessageBusContract } from './message-bus.contract';

const quiet = () => undefined;

describeMessageBusContract('InProcessMessageBus', async () => new InProcessMessageBus({ log: quiet }));

describe('InProcessMessageBus', () => {
  it('never calls a handler inside publish', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(['sync-check']);
    const seen: string[] = [];
    await bus.subscribe({ groupId: 'g', topics: ['sync-check'], handler: async (m) => void seen.push(m.key) });
    const publishing = bus.publish('sync-check', [{ key: 'k', value: 1 }]);
    expect(seen).toEqual([]);
    await publishing;
    expect(seen).toEqual([]);
    await bus.close();
  });

  it('refuses topics that were never ensured', async () => {
    const bus = new InProcessMessageBus();
    await expect(bus.publish('missing', [{ key: 'k', value: 1 }])).rejects.toThrow(/ensureTopics/);
    await bus.close();
  });
});
