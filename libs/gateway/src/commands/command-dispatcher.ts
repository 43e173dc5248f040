import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformConfig } from '@platform/config';
import { type Actor, type BoundedContext, type CommandEnvelope, commandsTopic, ErrorCodes } from '@platform/contracts';
import { MESSAGE_BUS, type MessageBus } from '@platform/messaging';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandStatusRepository } from './command-status.repository';

export interface Dispatch<C extends { type: string }> {
  context: BoundedContext;
  streamId: string;
  command: C;
  actor: Actor;
  /** Use a known id, when the id is also the new aggregate's id (an application's id). */
  commandId?: string;
  correlationId?: string;
}

/** Assigns the command id, records `started` before anything else can see the command, then publishes it. */
@Injectable()
export class CommandDispatcher {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly statuses: CommandStatusRepository,
  ) {}

  newCommandId(): string {
    return uuidv7();
  }

  async dispatch<C extends { type: string }>(request: Dispatch<C>): Promise<string> {
    const commandId = request.commandId ?? uuidv7();
    const envelope: CommandEnvelope<C> = {
      kind: 'command',
      context: request.context,
      streamId: request.streamId,
      command: request.command,
      metadata: {
        commandId,
        correlationId: request.correlationId ?? commandId,
        causationId: commandId,
        actor: request.actor,
        issuedAt: new Date().toISOString(),
      },
    };
    await this.statuses.recordStarted(commandId, request.context, request.command.type, request.actor);
    try {
      await this.bus.publish(commandsTopic(request.context, this.config.kafkaTopicPrefix), [
        { key: request.streamId, value: envelope, headers: { 'message-kind': 'command', 'command-type': request.command.type } },
      ]);
    } catch {
      await this.statuses.markDispatchFailed(commandId, ErrorCodes.commandDispatchFailed);
      throw new ServiceUnavailableException({ error: ErrorCodes.commandDispatchFailed, message: 'The command could not be dispatched; try again.' });
    }
    return commandId;
  }
}
