import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A browser cookie of ours (through @fastify/cookie, registered in the gateway's bootstrap): HttpOnly,
 * SameSite=Lax, Path=/. Over https it is a `__Host-` cookie (Secure, no Domain), so neither a sibling
 * domain nor plain http can plant or read it.
 */
export class HostCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(
    issuer: string,
    baseName: string,
    private readonly lifetimeSeconds: number,
  ) {
    this.secure = issuer.startsWith('https:');
    this.name = this.secure ? `__Host-${baseName}` : baseName;
  }

  read(request: FastifyRequest): string | undefined {
    return request.cookies[this.name];
  }

  set(reply: FastifyReply, value: string): void {
    void reply.setCookie(this.name, value, this.options(this.lifetimeSeconds));
  }

  clear(reply: FastifyReply): void {
    void reply.setCookie(this.name, '', this.options(0));
  }

  private options(maxAge: number): CookieSerializeOptions {
    return { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure, maxAge };
  }
}
