import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import type { ErrorBody } from './errors';

const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: ErrorCodes.malformedBody, message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: ErrorCodes.malformedBody, message: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCodes.payloadTooLarge, message: 'The body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: ErrorCodes.unsupportedMediaType, message: 'Unsupported content type.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: ErrorCodes.malformedBody, message: 'Invalid content length.' },
};

const BODY_PARSER_MESSAGE = /not valid JSON|cannot be empty|content-length/i;

const STATUS_CODES: Partial<Record<number, string>> = {
  400: ErrorCodes.validation,
  401: ErrorCodes.unauthorized,
  403: ErrorCodes.forbidden,
  404: ErrorCodes.notFound,
  413: ErrorCodes.payloadTooLarge,
  415: ErrorCodes.unsupportedMediaType,
  429: ErrorCodes.tooManyRequests,
};

/** Every error leaves as `{error, message}` with a stable code; nothing unexpected leaks as a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toResponse(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(status).send(body);
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && typeof (response as ErrorBody).error === 'string' && 'message' in response) {
        return { status, body: response as ErrorBody };
      }
      const message = String(typeof response === 'string' ? response : ((response as { message?: string }).message ?? exception.message));
      // Nest re-throws Fastify's body parser errors as plain HttpExceptions that keep only the message.
      const code = status === 400 && BODY_PARSER_MESSAGE.test(message) ? ErrorCodes.malformedBody : STATUS_CODES[status];
      return { status, body: { error: code ?? (status >= 500 ? ErrorCodes.internal : 'error'), message } };
    }
    const code = (exception as { code?: string }).code;
    const known = code ? FASTIFY_ERRORS[code] : undefined;
    if (known) return { status: known.status, body: { error: known.code, message: known.message } };
    const statusCode = (exception as { statusCode?: number }).statusCode;
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      return { status: statusCode, body: { error: STATUS_CODES[statusCode] ?? ErrorCodes.malformedBody, message: 'The request is malformed.' } };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: ErrorCodes.internal, message: 'Internal error.' } };
  }
}
