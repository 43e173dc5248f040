import { Inject, Injectable } from '@nestjs/common';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandStatusRepository, type CommandStatusRow } from './command-status.repository';
import { CHANNELS, PgNotifications } from './pg-notifications';

/**
 * Waits for a command's terminal status. Notifications come through PostgreSQL LISTEN, so the
 * replica that waits need not be the one whose consumer recorded the result.
 */
@Injectable()
export class CommandWaiter {
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly statuses: CommandStatusRepository,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.commandStatus, (commandId) => {
      for (const wake of this.waiting.get(commandId) ?? []) wake();
    });
  }

  /** The terminal status, or `undefined` when it did not come within `timeoutMs`. */
  async waitForTerminal(commandId: string, timeoutMs = this.config.commandWaitTimeoutMs): Promise<CommandStatusRow | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notified = this.nextNotification(commandId, Math.min(500, Math.max(0, deadline - Date.now())));
      const row = await this.statuses.find(commandId);
      if (row && row.status !== 'started') {
        notified.cancel();
        return row;
      }
      if (Date.now() >= deadline) {
        notified.cancel();
        return undefined;
      }
      await notified.promise;
    }
  }

  private nextNotification(commandId: string, timeoutMs: number) {
    let wake!: () => void;
    let timer!: NodeJS.Timeout;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    const set = this.waiting.get(commandId) ?? new Set();
    set.add(wake);
    this.waiting.set(commandId, set);
    const cancel = () => {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0) this.waiting.delete(commandId);
    };
    return { promise: promise.finally(cancel), cancel };
  }
}
