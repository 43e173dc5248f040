import { Logger } from '@nestjs/common';

/**
 * A promise nobody awaited that rejects is a bug to log, not a reason to stop the process (and, under
 * `npm start`, the whole platform with its database). Uncaught exceptions still end it: state is unknown then.
 */
export function logUnhandledRejections(): void {
  const logger = new Logger('Process');
  process.on('unhandledRejection', (reason) => {
    logger.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
}
