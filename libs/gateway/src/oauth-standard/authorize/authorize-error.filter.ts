import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { html } from './html-reply';
import { errorPage } from './pages';

/**
 * The browser-facing authorization pages answer their own errors (a malformed query, a form that
 * fails validation, too many sign-in attempts) on the same HTML error page: never JSON, never a redirect.
 */
@Catch()
export class AuthorizePageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Authorize');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (!(exception instanceof HttpException) || exception.getStatus() >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      return html(reply, 500, errorPage('Something went wrong. Start again from the application.'));
    }
    const status = exception.getStatus();
    if (status === 429) return html(reply, 429, errorPage('Too many attempts. Wait a moment, then start again from the application.'));
    const body = exception.getResponse();
    const detail = typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? ` ${(body as { message: string }).message}` : '';
    return html(reply, status, errorPage(`The request is malformed.${detail} Start again from the application.`));
  }
}
