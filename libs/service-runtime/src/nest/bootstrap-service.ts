import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule, Logger as PinoLogger } from 'nestjs-pino';
import { ContextServiceModule, type ContextServiceOptions } from './context-service.module';
import { InfrastructureModule, type InfrastructureOptions } from './infrastructure.module';
import { exitIfShutdownOverruns } from './shutdown';

@Module({})
class ServiceRootModule {
  static forRoot(infrastructure: InfrastructureOptions, service: ContextServiceOptions): DynamicModule {
    return {
      module: ServiceRootModule,
      imports: [
        InfrastructureModule.forRoot(infrastructure),
        LoggerModule.forRoot({ pinoHttp: { level: infrastructure.config.logLevel, autoLogging: false } }),
        ContextServiceModule.forRoot(service),
      ],
    };
  }
}

export interface RunningService {
  close(): Promise<void>;
}

/**
 * Starts one bounded context's service. With `HEALTH_PORT` it serves `/health`, `/health/live` and `/health/ready`;
 * without it (the embedded default) it runs as an application context beside the gateway.
 */
export async function bootstrapService(infrastructure: InfrastructureOptions, service: ContextServiceOptions): Promise<RunningService> {
  const healthPort = infrastructure.config.healthPort;
  if (infrastructure.handleSignals !== false) exitIfShutdownOverruns();
  const root = ServiceRootModule.forRoot(infrastructure, { ...service, withHealthRoute: healthPort !== undefined });
  if (healthPort === undefined) {
    const context = await NestFactory.createApplicationContext(root, { bufferLogs: true });
    context.useLogger(context.get(PinoLogger));
    if (infrastructure.handleSignals !== false) context.enableShutdownHooks();
    await context.init();
    return context;
  }
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  if (infrastructure.handleSignals !== false) app.enableShutdownHooks();
  await app.listen(healthPort, '0.0.0.0');
  return app;
}
