import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TerminusModule } from '@nestjs/terminus';
import { loadConfig } from '@platform/config';
import { InProcessMessageBus } from '@platform/messaging';
import { HealthController, InfrastructureHealth } from './health';
import { InfrastructureModule } from './infrastructure.module';
import { ShutdownState } from './shutdown';

describe('readiness', () => {
  const bus = new InProcessMessageBus();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    @Module({ imports: [InfrastructureModule.forRoot({ config, clientId: 'health-spec', bus }), TerminusModule], controllers: [HealthController], providers: [InfrastructureHealth] })
    class HealthSpecModule {}
    app = await NestFactory.create<NestFastifyApplication>(HealthSpecModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
    await bus.close();
  });

  const get = async (url: string) => {
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  it('lists the consumers and turns 503 once shutdown has begun, while /health/live stays 200', async () => {
    await bus.ensureTopics(['health-spec']);
    const subscription = await bus.subscribe({ groupId: 'health-spec-group', topics: ['health-spec'], handler: async () => undefined });
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { info: { consumers: { status: 'up', groups: [{ groupId: 'health-spec-group', state: 'running' }] } } } });
    await subscription.stop();

    app.get(ShutdownState).beforeApplicationShutdown();
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { status: 'error', error: { lifecycle: { status: 'down', message: 'shutting down' } } } });
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
