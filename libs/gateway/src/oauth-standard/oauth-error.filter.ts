import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { answerError } from '../http/all-exceptions.filter';

/** RFC 6749 §5.2 errors: `{"error","error_description"}`, no caching, `WWW-Authenticate` on 401. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    answerError(exception, host, 'oauth');
  }
}
