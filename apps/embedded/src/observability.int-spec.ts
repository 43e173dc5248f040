import { PassThrough } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '@platform/config';
import { createGateway } from '@platform/gateway';
import { InProcessMessageBus } from '@platform/messaging';
import { registerTracing, type Tracing } from '@platform/observability';
import { startProfileService } from '@platform/profile-service';
import { uniqueName } from '@platform/testing';

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** Issue 10: metrics, traces and the access log of a gateway and a context service, in one process. */
describe('observability (gateway and profile service, real PostgreSQL, in-process bus)', () => {
  const prefix = `${uniqueName('obs')}_`;
  const previousPrefix = process.env.DB_SCHEMA_PREFIX;
  const spans = new InMemorySpanExporter();
  const logLines: Record<string, unknown>[] = [];
  let rawLog = '';
  let tracing: Tracing;
  let bus: InProcessMessageBus;
  let service: NestFastifyApplication;
  let gateway: NestFastifyApplication;
  let gatewayUrl: string;
  let serviceUrl: string;

  beforeAll(async () => {
    process.env.DB_SCHEMA_PREFIX = prefix;
    tracing = registerTracing('observability-test', spans, { batch: false });
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => {
      rawLog += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    });
    const env = { DATABASE_URL: process.env.DATABASE_URL, KEY_ENCRYPTION_SECRET: 'observability-test-secret-of-enough-length-0123456789', LOG_LEVEL: 'info' };
    bus = new InProcessMessageBus();
    service = (await startProfileService({
      config: loadConfig({ ...env, HEALTH_PORT: '0' }),
      clientId: 'profile-service',
      // nestjs-pino keeps one logger per process for lines written outside pino-http's middleware (which is not
      // mounted): the first app's. In production every app of a process logs to the same stdout.
      logDestination: logs,
      bus,
      handleSignals: false,
    })) as NestFastifyApplication;
    serviceUrl = (await service.getUrl()).replace('[::1]', '127.0.0.1');
    gateway = await createGateway({ config: loadConfig(env), clientId: 'gateway', bus, handleSignals: false, logDestination: logs });
    await gateway.listen(0, '127.0.0.1');
    gatewayUrl = await gateway.getUrl();
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await service?.close();
    await bus?.close();
    await tracing?.shutdown();
    if (previousPrefix === undefined) delete process.env.DB_SCHEMA_PREFIX;
    else process.env.DB_SCHEMA_PREFIX = previousPrefix;
  });

  let registration: { commandId: string; requestId: string | null };

  beforeAll(async () => {
    const response = await fetch(`${gatewayUrl}/profile/register-profile?access_token=query-secret-QQQ`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'obs-test-request-1', authorization: 'Bearer header-secret-HHH' },
      body: new URLSearchParams({ username: `obs.${Date.now()}`, password: 'password-secret-PPP-long-enough' }),
    });
    expect(response.status).toBeLessThan(300);
    const { commandId } = (await response.json()) as { commandId: string };
    registration = { commandId, requestId: response.headers.get('x-request-id') };
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const status = (await (await fetch(`${gatewayUrl}/request-status/${commandId}`)).json()) as { status: string };
      if (status.status !== 'started') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await fetch(`${gatewayUrl}/profile/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'nobody.here', password: 'wrong-password-secret' }),
    });
  }, 60_000);

  it('serves the named series with real values on the gateway', async () => {
    const response = await fetch(`${gatewayUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/profile/register-profile",status_code="202"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/request-status/:commandId",status_code="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'platform_gateway_command_duration_seconds_count{context="profile",type="RegisterProfile",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'platform_service_command_duration_seconds_count{context="profile",type="RegisterProfile",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'platform_auth_failures_total{kind="profile.invalid_credentials",status_code="401"}')).toBe(1);
    expect(sample(text, `platform_outbox_depth_rows{schema="${prefix}gateway"}`)).toBe(0);
    expect(sample(text, `platform_outbox_depth_rows{schema="${prefix}profile"}`)).toBe(0);
    expect(sample(text, 'platform_projection_lag_events{context="profile"}')).toBe(0);
    expect(text).toMatch(/^platform_consumer_lag_messages\{group="gateway",topic="profile\.events",partition="\d"\} 0$/m);
    expect(text).toContain('# TYPE platform_tokens_issued_total counter');
    expect(text).not.toContain('query-secret');
  });

  it('serves /metrics on the service health server too', async () => {
    const text = await (await fetch(`${serviceUrl}/metrics`)).text();
    expect(sample(text, 'platform_service_command_duration_seconds_count{context="profile",type="RegisterProfile",outcome="succeeded"}')).toBe(1);
    expect(sample(text, `platform_outbox_depth_rows{schema="${prefix}profile"}`)).toBe(0);
  });

  it('traces one command from the HTTP request to the read-model projection under one trace id', () => {
    const finished = spans.getFinishedSpans();
    const server = finished.find((span) => span.name === 'POST /profile/register-profile');
    expect(server).toBeDefined();
    const traceId = server!.spanContext().traceId;
    const names = finished.filter((span) => span.spanContext().traceId === traceId).map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /profile/register-profile',
        'process profile.commands',
        'command RegisterProfile',
        'process profile.events',
        'project profile:ProfileRegistered',
      ]),
    );
  });

  it('writes one access-log line per request, with the request id and trace id, and no secret it carried', () => {
    const access = logLines.filter((line) => line.event === 'http.access' && line.route === '/profile/register-profile');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, method: 'POST', status: 202, requestId: 'obs-test-request-1', durationMs: expect.any(Number) });
    expect(registration.requestId).toBe('obs-test-request-1');
    const server = spans.getFinishedSpans().find((span) => span.name === 'POST /profile/register-profile')!;
    expect(access[0].traceId).toBe(server.spanContext().traceId);
    for (const secret of ['query-secret', 'header-secret', 'password-secret', 'wrong-password-secret', 'access_token']) expect(rawLog).not.toContain(secret);
  });

  it('replaces a malformed incoming request id with a generated one', async () => {
    const response = await fetch(`${gatewayUrl}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
