import { HttpStatus } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../http/errors';
import type { CommandStatusRow } from './command-status.repository';

/** A synchronous command that did not succeed: `409` with the command's reason as the code. */
export class CommandRefused extends ApiError {
  constructor(
    readonly reason: string | undefined,
    message = 'The command was refused.',
  ) {
    super(HttpStatus.CONFLICT, reason ?? ErrorCodes.internal, message);
  }
}

export const succeededOrRefused = (outcome: CommandStatusRow, message?: string): CommandStatusRow => {
  if (outcome.status !== 'succeeded') throw new CommandRefused(outcome.reason ?? undefined, message);
  return outcome;
};

/** The same refusal told in another route's words. */
export const refusedWith =
  (message: string) =>
  (error: unknown): never => {
    throw error instanceof CommandRefused ? new CommandRefused(error.reason, message) : error;
  };
