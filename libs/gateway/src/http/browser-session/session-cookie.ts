import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

const LIFETIME_SECONDS = 12 * 3600;

/** Like the authorization request's cookie: `__Host-` over https, HttpOnly, SameSite=Lax. */
export class SessionCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(issuer: string) {
    this.secure = issuer.startsWith('https:');
    this.name = this.secure ? '__Host-dpt_session' : 'dpt_session';
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
