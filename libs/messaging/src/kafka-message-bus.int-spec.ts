import { uniqueName } from '@platform/testing';
import type { BusLogger } from './bus-logger';
import { KafkaMessageBus } from './kafka-message-bus';
import { describeMessageBusContract } from './message-bus.contract';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

// One line per entry on stderr, without Jest's console call-site decoration.
const log: BusLogger = (level, message, error) =>
  process.stderr.write(`[kafka-bus] ${level} ${message}${error instanceof Error ? `: ${error.message}` : ''}\n`);

describeMessageBusContract('KafkaMessageBus', async () => {
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: the Jest global setup should provide it');
  return new KafkaMessageBus({ brokers, clientId: uniqueName('contract'), log });
});

describe('KafkaMessageBus', () => {
  it('reports down when no broker answers', async () => {
    const bus = new KafkaMessageBus({ brokers: ['127.0.0.1:1'], clientId: 'health-down', log: () => undefined });
    await expect(bus.health()).resolves.toMatchObject({ up: false });
    await bus.close();
  });

  it('creates topics with the configured replication factor (more than the one test broker is refused)', async () => {
    const bus = new KafkaMessageBus({ brokers, clientId: uniqueName('replication'), replicationFactor: 2, log: () => undefined });
    try {
      await expect(bus.ensureTopics([uniqueName('replicated')])).rejects.toThrow(/INVALID_REPLICATION_FACTOR/);
    } finally {
      await bus.close();
    }
  });

  it('authenticates with the configured SASL mechanism (the plaintext test broker refuses the handshake)', async () => {
    const plain = new KafkaMessageBus({ brokers, clientId: uniqueName('no_sasl'), log: () => undefined });
    const sasl = new KafkaMessageBus({ brokers, clientId: uniqueName('sasl'), sasl: { mechanism: 'plain', username: 'u', password: 'p' }, log: () => undefined });
    try {
      await expect(plain.health()).resolves.toMatchObject({ up: true });
      await expect(sasl.health()).resolves.toMatchObject({ up: false });
    } finally {
      await Promise.all([plain.close(), sasl.close()]);
    }
  });

  it('reports its consumers as running once they joined, and forgets them when stopped', async () => {
    const bus = new KafkaMessageBus({ brokers, clientId: uniqueName('states'), log: () => undefined });
    const topic = uniqueName('states');
    try {
      await bus.ensureTopics([topic]);
      const subscription = await bus.subscribe({ groupId: `${topic}-group`, topics: [topic], handler: async () => undefined });
      expect(bus.consumerStates()).toEqual([{ groupId: `${topic}-group`, topics: [topic], state: 'running' }]);
      await subscription.stop();
      expect(bus.consumerStates()).toEqual([]);
    } finally {
      await bus.close();
    }
  }, 60_000);
});
