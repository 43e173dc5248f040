import { type FactoryProvider, Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
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

/**
 * Built (not connected) with the module, so repositories can be made from it; the lifecycle below opens
 * and migrates it in `onModuleInit`, before any `onApplicationBootstrap` hook touches a table. A document
 * build that never initialises the app (`tools/openapi`) connects to nothing.
 */
export const gatewayDataSourceProvider: FactoryProvider<DataSource> = {
  provide: GATEWAY_DATA_SOURCE,
  inject: [PLATFORM_CONFIG, GATEWAY_SCHEMA],
  useFactory: (config: PlatformConfig, schema: string) => gatewayDataSource(config.databaseUrl!, schema),
};

@Injectable()
export class GatewayDataSourceLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(GATEWAY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    try {
      await runPendingMigrations(this.dataSource);
    } catch (error) {
      await this.dataSource.destroy();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
