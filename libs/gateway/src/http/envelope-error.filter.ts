import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { answerError } from './all-exceptions.filter';

/** `/o/apps/` errors: `{"error":{"code","message","details"}}`. */
@Catch()
export class EnvelopeErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    answerError(exception, host, 'envelope');
  }
}
