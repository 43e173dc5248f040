import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCodes } from '@platform/contracts';

const RFC_CODES = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'unsupported_token_type']);

/** RFC 6749 §5.2 errors: `{"error","error_description"}`, no caching, `WWW-Authenticate` on 401. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let error = 'server_error';
    let description = 'Internal error.';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse() as { error?: string; message?: string } | string;
      const code = typeof body === 'object' ? body.error : undefined;
      description = typeof body === 'object' ? String(body.message ?? exception.message) : body;
      error = code && RFC_CODES.has(code) ? code : status === 401 ? ErrorCodes.oauthInvalidClient : status === 429 ? 'too_many_requests' : 'invalid_request';
      if (code === ErrorCodes.commandTimeout) error = 'temporarily_unavailable';
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    if (status === 401) void reply.header('WWW-Authenticate', 'Basic realm="oauth", charset="UTF-8"');
    void reply.status(status).send({ error, error_description: description });
  }
}
