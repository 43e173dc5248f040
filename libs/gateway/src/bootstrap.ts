import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { observeHttp, requestIdFor } from '@platform/observability';
import { exitIfShutdownOverruns, type InfrastructureOptions } from '@platform/service-runtime';
import { GatewayModule } from './gateway.module';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { registerBodyParsers } from './http/body-parsers';
import type { CallerRequest } from './http/caller';
import { registerSecurityHeaders } from './http/security-headers';
import { logSecurityEvents } from './http/security-events';
import { refuseUnstorableInput } from './http/storable-input.hook';
import { validationPipe } from './http/validation';
import { CallRecorder } from './oauth-app/call-recorder';
import { setUpOpenApi } from './openapi';
import { clientErrorHandler, frameworkErrors, REQUEST_SILENCE_LIMIT_MS } from './http/edge-errors';

/** Builds the gateway: Fastify with our bounded body parsers, input hygiene, security headers, DTO validation, stable errors. */
export async function createGateway(infrastructure: InfrastructureOptions): Promise<NestFastifyApplication> {
  const { config } = infrastructure;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: requestIdFor,
    // Fastify sets no limit by default: a client that promised a body and never sent it held its connection
    // for good (Node's requestTimeout does not catch a stalled body). Past this much silence during a request
    // the socket is closed; it outlasts the longest wait a route makes, and idle keep-alive keeps its own timeout.
    connectionTimeout: Math.max(REQUEST_SILENCE_LIMIT_MS, config.commandWaitTimeoutMs + 10_000),
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(infrastructure), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  observeHttp(fastify, { logger: app.get(Logger), logLevel: config.logLevel });
  registerBodyParsers(fastify, config.bodyLimitBytes);
  registerSecurityHeaders(app, config.issuer);
  // Hooks on every request take a callback, not a promise: an async hook costs a promise and a microtask per request.
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseUnstorableInput(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  logSecurityEvents(fastify, app.get(Logger));
  await app.register(fastifyCookie);
  const calls = app.get(CallRecorder);
  fastify.addHook('onResponse', (request: CallerRequest, reply, done) => {
    if (request.applicationCall) {
      calls.record({
        ...request.applicationCall,
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0],
        status: reply.statusCode,
        at: new Date().toISOString(),
      });
    }
    done();
  });
  app.useGlobalPipes(validationPipe());
  setUpOpenApi(app, config.issuer);
  app.useGlobalFilters(new AllExceptionsFilter());
  if (infrastructure.handleSignals !== false) {
    app.enableShutdownHooks();
    exitIfShutdownOverruns();
  }
  return app;
}
