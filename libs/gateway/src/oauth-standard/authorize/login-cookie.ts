import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

const LIFETIME_SECONDS = 600;

/**
 * The browser's sign-in session between the login and consent pages (through @fastify/cookie,
 * registered in the gateway's bootstrap). Over https it is a `__Host-` cookie (Secure, Path=/, no
 * Domain), so neither a sibling domain nor plain http can plant or read it.
 */
export class LoginCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(issuer: string) {
    this.secure = issuer.startsWith('https:');
    this.name = this.secure ? '__Host-oauth_authz' : 'oauth_authz';
  }

  read(request: FastifyRequest): string | undefined {
    return request.cookies[this.name];
  }

  set(reply: FastifyReply, value: string): void {
    void reply.setCookie(this.name, value, this.options(LIFETIME_SECONDS));
  }

  clear(reply: FastifyReply): void {
    void reply.setCookie(this.name, '', this.options(0));
  }

  private options(maxAge: number): CookieSerializeOptions {
    return { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure, maxAge };
  }
}
