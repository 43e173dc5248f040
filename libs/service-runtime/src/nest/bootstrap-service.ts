import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessageBusServer, RethrowRpcErrors } from '@platform/messaging';
import { LoggerModule, Logger as PinoLogger } from 'nestjs-pino';
import { loggerParams, observeHttp } from '@platform/observability';
import { PostgresFailedMessageStore } from '../failed-messages';
import { ContextServiceModule, type ContextServiceOptions } from './context-service.module';
import { createInfrastructure, InfrastructureModule, type Infrastructure, type InfrastructureOptions } from './infrastructure.module';
import { exitIfShutdownOverruns } from './shutdown';
import { FAILED_MESSAGES } from './tokens';

@Global()
@Module({})
class FailedMessagesModule {
  static of(store: PostgresFailedMessageStore): DynamicModule {
    return { module: FailedMessagesModule, providers: [{ provide: FAILED_MESSAGES, useValue: store }], exports: [FAILED_MESSAGES] };
  }
}

@Module({})
class ServiceRootModule {
  static forRoot(
    infrastructure: Infrastructure,
    failures: PostgresFailedMessageStore,
    service: ContextServiceOptions,
    logDestination?: NodeJS.WritableStream,
  ): DynamicModule {
    return {
      module: ServiceRootModule,
      imports: [
        InfrastructureModule.from(infrastructure),
        FailedMessagesModule.of(failures),
        LoggerModule.forRoot(loggerParams(infrastructure.config.logLevel, logDestination)),
        ContextServiceModule.forRoot(service),
      ],
    };
  }
}

export interface RunningService {
  close(): Promise<void>;
}

/** Retry and replay timing of the services' consumers; tests shorten them. */
export interface ConsumerTiming {
  retryBackoffMs?: number;
  replayPollMs?: number;
}

/**
 * Starts one bounded context's service as a Nest microservice on the `MessageBusServer` transport
 * (Kafka or the shared in-process bus). With `HEALTH_PORT` it also serves `/health`, `/health/live` and `/health/ready` over HTTP
 * (a hybrid app); without it (the embedded default) it is a microservice alone beside the gateway.
 */
export type ServiceOptions = InfrastructureOptions & { consumerTiming?: ConsumerTiming };

export async function bootstrapService(
  options: ServiceOptions,
  service: ContextServiceOptions,
): Promise<RunningService> {
  const infrastructure = createInfrastructure(options);
  const failures = new PostgresFailedMessageStore(infrastructure.pool, service.schema);
  const logger = new Logger(`${service.context}-transport`);
  const strategy = new MessageBusServer({
    bus: infrastructure.bus,
    prefix: infrastructure.config.kafkaTopicPrefix,
    failures,
    retry: options.consumerTiming?.retryBackoffMs === undefined ? undefined : { backoffMs: options.consumerTiming.retryBackoffMs },
    replayPollMs: options.consumerTiming?.replayPollMs,
    log: (level, message, error) => logger[level === 'info' ? 'log' : level](`${message}${error instanceof Error ? `: ${error.message}` : ''}`),
  });
  const healthPort = infrastructure.config.healthPort;
  if (options.handleSignals !== false) exitIfShutdownOverruns();
  const root = ServiceRootModule.forRoot(infrastructure, failures, { ...service, withHealthRoute: healthPort !== undefined }, options.logDestination);
  const useTransport = (microservice: INestMicroservice) => microservice.useGlobalFilters(new RethrowRpcErrors());

  if (healthPort === undefined) {
    const microservice = await NestFactory.createMicroservice(root, { strategy, bufferLogs: true });
    microservice.useLogger(microservice.get(PinoLogger));
    useTransport(microservice);
    if (options.handleSignals !== false) microservice.enableShutdownHooks();
    await microservice.listen();
    return microservice;
  }
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  observeHttp(app.getHttpAdapter().getInstance(), { logger: app.get(PinoLogger), logLevel: infrastructure.config.logLevel });
  useTransport(app.connectMicroservice({ strategy }));
  if (options.handleSignals !== false) app.enableShutdownHooks();
  await app.init();
  await app.startAllMicroservices();
  await app.listen(healthPort, '0.0.0.0');
  return app;
}
