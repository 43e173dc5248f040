import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Public, credential-free documents that caches may keep: server metadata, JWKS, the API docs. */
const PUBLIC_DOCUMENTS = /^\/(\.well-known\/|docs(\/|$)|openapi\.(json|yaml)$)/;

/**
 * nosniff, no framing (`X-Frame-Options: DENY`, `frame-ancestors 'none'`), a CSP Swagger UI can live
 * with (its own scripts, inline styles), HSTS only behind an https issuer. The login and consent
 * pages set their own stricter CSP, which replaces this one.
 */
export const helmetOptions = (issuer: string): FastifyHelmetOptions => {
  const https = new URL(issuer).protocol === 'https:';
  return {
    global: true,
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

/** Security headers on every answer; every API answer is `no-store` since so many carry a token, secret or code. */
export async function registerSecurityHeaders(app: NestFastifyApplication, issuer: string): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(helmet, helmetOptions(issuer));
  fastify.addHook('onSend', async (request, reply, payload) => {
      if (!PUBLIC_DOCUMENTS.test(request.url.split('?')[0])) void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      return payload;
    });
}
