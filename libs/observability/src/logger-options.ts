import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { logContext } from './log-context';

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `X-Request-Id` when it is well formed (short, no spaces or control characters), else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * nestjs-pino's options for every process: JSON lines (human-readable ones when stdout is a terminal),
 * each with the correlation and trace ids it was written under. Only method, path and status of a
 * request are ever logged: headers, bodies and query strings carry tokens and passwords.
 * pino-http's per-request middleware is not mounted (`forRoutes: []`): it built a child logger for every
 * request, while the request id already reaches every line as `correlationId` and `observeHttp` writes the access line.
 */
export function loggerParams(level: string, destination?: NodeJS.WritableStream): Params {
  const pretty = !destination && process.stdout.isTTY;
  return {
    forRoutes: [],
    pinoHttp: [
      {
        level,
        mixin: logContext,
        serializers: {
          req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req' } } } : {}),
      },
      ...(destination ? [destination] : []),
    ] as Params['pinoHttp'],
  };
}
