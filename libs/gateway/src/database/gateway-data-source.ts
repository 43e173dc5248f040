import { type FactoryProvider, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@platform/config';
import { runPendingMigrations, schemaDataSource } from '@platform/event-store';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { GATEWAY_ENTITIES } from './entities';

export const GATEWAY_DATA_SOURCE = Symbol('GATEWAY_DATA_SOURCE');

/** The gateway's TypeORM DataSource: same database as its `pg` pool, its own small pool, bound to the gateway schema. */
export const gatewayDataSource = (databaseUrl: string, schema: string): DataSource =>
  schemaDataSource({ databaseUrl, schema, migrations: GATEWAY_MIGRATIONS, entities: GATEWAY_ENTITIES, poolSize: 5 });

/** Opened and migrated while the module is built, so every start-up hook finds its tables. */
export const gatewayDataSourceProvider: FactoryProvider<DataSource> = {
  provide: GATEWAY_DATA_SOURCE,
  inject: [PLATFORM_CONFIG, GATEWAY_SCHEMA],
  useFactory: async (config: PlatformConfig, schema: string) => {
    const dataSource = await gatewayDataSource(config.databaseUrl!, schema).initialize();
    try {
      await runPendingMigrations(dataSource);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return dataSource;
  },
};

@Injectable()
export class GatewayDataSourceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
