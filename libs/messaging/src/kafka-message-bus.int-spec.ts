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
});
