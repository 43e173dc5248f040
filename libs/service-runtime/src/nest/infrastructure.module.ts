import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { KafkaMessageBus, MESSAGE_BUS, type MessageBus } from '@platform/messaging';
import { ObservedMessageBus } from '@platform/observability';
import { PG_POOL, PLATFORM_CONFIG } from './tokens';

export interface InfrastructureOptions {
  config: PlatformConfig;
  clientId: string;
  /** The in-process bus of the embedded default, shared by every module of the process. */
  bus?: MessageBus;
  poolSize?: number;
  /** Where log lines go (tests); stdout by default. */
  logDestination?: NodeJS.WritableStream;
  /** Close on SIGTERM/SIGINT (Nest shutdown hooks). The embedded default closes its apps itself, in order. */
  handleSignals?: boolean;
}

class InfrastructureLifecycle implements OnApplicationShutdown {
  private closed = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly ownsBus: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsBus) await this.bus.close();
    await this.pool.end();
  }
}

export interface Infrastructure {
  config: PlatformConfig;
  pool: Pool;
  bus: MessageBus;
  /** The bus was made here (Kafka) and is closed with the app; a shared in-process bus is closed by its owner. */
  ownsBus: boolean;
}

/** PostgreSQL pool and message bus for one app: Kafka when `KAFKA_BROKERS` is set. */
export function createInfrastructure(options: InfrastructureOptions): Infrastructure {
  const { config } = options;
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  if (!options.bus && !config.kafkaBrokers) throw new Error('KAFKA_BROKERS is required outside the embedded mode');
  const bus = new ObservedMessageBus(
    options.bus ?? new KafkaMessageBus({ brokers: config.kafkaBrokers!, clientId: options.clientId, partitions: config.kafkaPartitions }),
    !options.bus,
  );
  const pool = new Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 10 });
  // An idle connection that PostgreSQL closes (restart, shutdown) is dropped from the pool, not fatal.
  pool.on('error', (error) => new Logger('PostgreSQL').warn(`idle connection lost: ${error.message}`));
  // The observed bus closes the adapter only when it made it, but always stops its own sampling.
  return { config, pool, bus, ownsBus: true };
}

/** Provides configuration, pool and bus to every module of the app, and closes them last. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    return InfrastructureModule.from(createInfrastructure(options));
  }

  static from({ config, pool, bus, ownsBus }: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: PG_POOL, useValue: pool },
        { provide: MESSAGE_BUS, useValue: bus },
        { provide: InfrastructureLifecycle, useFactory: () => new InfrastructureLifecycle(pool, bus, ownsBus) },
      ],
      exports: [PLATFORM_CONFIG, PG_POOL, MESSAGE_BUS],
    };
  }
}
