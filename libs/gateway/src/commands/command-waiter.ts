import { Inject, Injectable } from '@nestjs/common';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandStatusRepository, type CommandStatusRow } from './command-status.repository';
import { CHANNELS, PgNotifications } from './pg-notifications';

const HEARD_CAPACITY = 50_000;
/** How long a terminal status read from the table may wait for this replica to hear its notification. */
const HEARD_WAIT_MS = 1_000;

/**
 * Waits for a command's terminal status. Notifications come through PostgreSQL LISTEN, so the
 * replica that waits need not be the one whose consumer recorded the result.
 *
 * Read your writes on this replica: a terminal status is answered only once this replica has heard
 * its `command_status` notification. PostgreSQL delivers notifications in commit order, so by then the
 * replica has also heard every notification the command's read-model updates sent before it (cache
 * evictions of applications, grants, tokens) and a follow-up request cannot read a stale cache.
 */
@Injectable()
export class CommandWaiter {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly heard = new Set<string>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly statuses: CommandStatusRepository,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.commandStatus, (commandId) => {
      this.remember(commandId);
      for (const wake of this.waiting.get(commandId) ?? []) wake();
    });
  }

  /** Resolves once this replica has heard the command's status notification, or after `timeoutMs`. */
  async untilHeard(commandId: string, timeoutMs = HEARD_WAIT_MS): Promise<void> {
    if (this.heard.has(commandId)) return;
    const notified = this.nextNotification(commandId, timeoutMs);
    if (this.heard.has(commandId)) notified.cancel();
    else await notified.promise;
  }

  private remember(commandId: string): void {
    this.heard.add(commandId);
    if (this.heard.size > HEARD_CAPACITY) this.heard.delete(this.heard.values().next().value as string);
  }

  /** The terminal status, or `undefined` when it did not come within `timeoutMs`. */
  async waitForTerminal(commandId: string, timeoutMs = this.config.commandWaitTimeoutMs): Promise<CommandStatusRow | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notified = this.nextNotification(commandId, Math.min(500, Math.max(0, deadline - Date.now())));
      const row = await this.statuses.find(commandId);
      if (row && row.status !== 'started') {
        notified.cancel();
        await this.untilHeard(commandId);
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
