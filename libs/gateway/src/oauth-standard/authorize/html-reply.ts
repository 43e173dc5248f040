import type { FastifyReply } from 'fastify';
import { PAGE_HEADERS } from '../../http/security-headers';

/** `formActionTo`: the client's origin, since a form's redirect must also pass `form-action`. */
export const html = (reply: FastifyReply, status: number, page: string, formActionTo?: string) =>
  void reply
    .status(status)
    .headers(PAGE_HEADERS)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('X-Frame-Options', 'DENY')
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${formActionTo ? ` ${new URL(formActionTo).origin}` : ''}; frame-ancestors 'none'`,
    )
    .send(page);
