import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { authorizationTokensStreamId, ErrorCodes, type TokenCommand } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import type { CommandStatusRow } from '../../commands/command-status.repository';
import { CommandWaiter } from '../../commands/command-waiter';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';

export interface NewSecret {
  id: string;
  value: string;
  hash: string;
}

/** Runs a token-context command synchronously: dispatch, then wait for its terminal status. */
@Injectable()
export class TokenCommands {
  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly waiter: CommandWaiter,
  ) {}

  /** 256 random bits, URL-safe; only the SHA-256 hash ever leaves the gateway. */
  newSecret(): NewSecret {
    const value = randomBytes(32).toString('base64url');
    return { id: uuidv7(), value, hash: sha256(value) };
  }

  async run(command: TokenCommand): Promise<CommandStatusRow> {
    const commandId = await this.dispatcher.dispatch({
      context: 'token',
      streamId: authorizationTokensStreamId(command.profileId),
      command,
      actor: { profileId: command.profileId },
    });
    const outcome = await this.waiter.waitForTerminal(commandId);
    if (!outcome) {
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.commandTimeout, 'The token service did not answer in time; try again.');
    }
    return outcome;
  }

  /** Runs the command and insists it succeeded; a rejection becomes `status` with its reason. */
  async require(command: TokenCommand, status: HttpStatus, message: string): Promise<void> {
    const outcome = await this.run(command);
    if (outcome.status !== 'succeeded') throw new ApiError(status, outcome.reason ?? ErrorCodes.internal, message);
  }
}
