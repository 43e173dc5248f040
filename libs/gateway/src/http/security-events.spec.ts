import type { FastifyReply, FastifyRequest } from 'fastify';
import { securityEventOf } from './security-events';

const request = (overrides: Partial<FastifyRequest> = {}) =>
  ({
    id: 'req-1',
    method: 'POST',
    url: '/oauth/token?client_secret=hidden',
    ip: '203.0.113.9',
    is404: false,
    routeOptions: { url: '/oauth/token' },
    headers: { authorization: 'Basic c2VjcmV0' },
    body: { password: 'hunter2' },
    ...overrides,
  }) as unknown as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode }) as FastifyReply;

describe('security events', () => {
  it('describes 401, 403 and 429 by route, never by what the client sent', () => {
    for (const status of [401, 403, 429]) {
      const event = securityEventOf(request(), reply(status));
      expect(event).toEqual({ event: 'security.auth_failure', status, code: expect.any(String), route: '/oauth/token', method: 'POST', clientAddress: '203.0.113.9', requestId: 'req-1' });
      expect(JSON.stringify(event)).not.toMatch(/hidden|c2VjcmV0|hunter2/);
    }
  });

  it('ignores every other status', () => {
    for (const status of [200, 204, 302, 400, 404, 500]) expect(securityEventOf(request(), reply(status))).toBeUndefined();
  });

  it('names an unknown route by its path without the query', () => {
    expect(securityEventOf(request({ is404: true, url: '/nowhere?token=abc' } as Partial<FastifyRequest>), reply(401))).toMatchObject({ route: '/nowhere' });
  });
});
