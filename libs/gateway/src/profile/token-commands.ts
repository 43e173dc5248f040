import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { authorizationTokensStreamId, ErrorCodes, type TokenCommand } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import type { CommandStatusRow } from '../commands/command-status.repository';
import { CommandWaiter } from '../commands/command-waiter';
import { ApiError } from '../http/errors';
import { sha256 } from '../http/profile-auth';

export interface NewSecret {
  id: string;
  value: string;
  hash: string;
}

/** A secret the client now holds, and when it stops working. */
export interface IssuedSecret {
  value: string;
  expiresAt: string;
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

  /** A new secret (authorization or QR token) living `ttlSeconds`: the command carries only its id and hash. */
  async issue(ttlSeconds: number, command: (secret: NewSecret, expiresAt: string) => TokenCommand, refused: { status: HttpStatus; message: string }): Promise<IssuedSecret> {
    const secret = this.newSecret();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    await this.require(command(secret, expiresAt), refused.status, refused.message);
    return { value: secret.value, expiresAt };
  }
}
