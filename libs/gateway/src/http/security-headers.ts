import type { ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Public, credential-free documents that caches may keep: server metadata, JWKS, the API docs. */
const PUBLIC_DOCUMENTS = /^\/(\.well-known\/|docs(\/|$)|openapi\.(json|yaml)$)/;

/**
 * nosniff, no framing (`X-Frame-Options: DENY`, `frame-ancestors 'none'`), a CSP Swagger UI can live
 * with (its own scripts, inline styles), HSTS only behind an https issuer. The login and consent
 * pages set their own stricter CSP, which replaces this one.
 */
export const helmetOptions = (issuer: string): HelmetOptions => {
  const https = new URL(issuer).protocol === 'https:';
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    // A client may open /oauth/authorize in a popup and expect its callback to reach `window.opener`.
    crossOriginOpenerPolicy: false,
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
};

/**
 * The headers helmet sets, computed once: helmet's middleware is a pure function of its options, while
 * running it per request (as @fastify/helmet does) reparses the CSP directives every time.
 */
export const helmetHeaders = (options: HelmetOptions): Record<string, string> => {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  helmet(options)({} as never, response, () => undefined);
  return headers;
};

/**
 * What a JSON answer needs (OWASP's REST cheat sheet): not stored, not sniffed, never framed or rendered
 * (`default-src 'none'`), not readable cross-origin without CORS, no referrer leaked on a redirect.
 * helmet's other headers only matter to a rendered page: pages add them (`PAGE_HEADERS`).
 */
export const apiHeaders = (issuer: string): Record<string, string> => {
  const hsts = helmetHeaders(helmetOptions(issuer))['strict-transport-security'];
  return {
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...(hsts ? { 'strict-transport-security': hsts } : {}),
  };
};

/** helmet's headers that a rendered page adds to the API set; the page sets its own CSP. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = (() => {
  const api = apiHeaders('http://localhost');
  return Object.fromEntries(Object.entries(helmetHeaders(helmetOptions('http://localhost'))).filter(([name]) => name !== 'content-security-policy' && !(name in api)));
})();

/**
 * Security headers on every answer; every API answer is `no-store` since so many carry a token, secret or code.
 * Both sets are built once and added by one hook, before the handler, which may still set its own.
 */
export function registerSecurityHeaders(app: NestFastifyApplication, issuer: string): void {
  const fastify = app.getHttpAdapter().getInstance();
  const documentHeaders = helmetHeaders(helmetOptions(issuer));
  const api = apiHeaders(issuer);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(PUBLIC_DOCUMENTS.test(request.url.split('?')[0]) ? documentHeaders : api);
    done();
  });
}
