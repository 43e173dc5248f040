import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../http/errors';
import { CommandDispatcher, type Dispatch } from './command-dispatcher';
import type { CommandStatusRow } from './command-status.repository';
import { CommandWaiter } from './command-waiter';

/** A synchronous route's command: dispatched like any other, then awaited (bounded) for its terminal status. */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly waiter: CommandWaiter,
  ) {}

  async run<C extends { type: string }>(request: Dispatch<C>): Promise<CommandStatusRow> {
    const commandId = await this.dispatcher.dispatch(request);
    const outcome = await this.waiter.waitForTerminal(commandId);
    if (!outcome) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.commandTimeout, 'The command did not complete in time; try again.');
    return outcome;
  }
}
