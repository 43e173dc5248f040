import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { answerError } from '../http/all-exceptions.filter';

/** A 401 on a client-authenticated route says how to authenticate (RFC 6749 §5.2, RFC 7235). */
@Catch()
export class WwwAuthenticateFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof HttpException && exception.getStatus() === 401) {
      void host.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Basic realm="oauth", charset="UTF-8"');
    }
    answerError(exception, host);
  }
}
