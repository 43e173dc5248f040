import type { BusLogger } from './bus-logger';
import type { FailedMessageStore } from './failed-messages';
import type { MessageHandler } from './message-bus';

export interface FailedMessageReplayerOptions {
  consumer: string;
  store: FailedMessageStore;
  handler: MessageHandler;
  log: BusLogger;
  /** How often to look for replay requests (default 1 s). */
  pollIntervalMs?: number;
}

/**
 * Replays parked messages on request (`npm run replay-failed`), inside the consumer that owns the
 * handler: every pending message of a requested key, oldest first; the first one that fails again
 * stops its key. Handlers are idempotent, so a replay applies a message at most once.
 */
export class FailedMessageReplayer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: FailedMessageReplayerOptions) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.replayRequested()
        .then(() => undefined)
        .catch((error: unknown) => this.options.log('warn', `replaying failed messages of ${this.options.consumer}`, error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 1_000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Replays what was requested; returns how many messages were applied. */
  async replayRequested(): Promise<number> {
    const { store, consumer, handler } = this.options;
    let applied = 0;
    for (const key of await store.keysToReplay(consumer)) {
      for (let failed = await store.nextPending(consumer, key); failed && !this.stopped; failed = await store.nextPending(consumer, key)) {
        try {
          await handler(failed.message);
        } catch (error) {
          this.options.log('error', `replay of failed message ${failed.id} failed again`, error);
          await store.failedAgain(failed.id, error, failed.attempts + 1);
          break;
        }
        await store.resolve(failed.id);
        applied += 1;
      }
    }
    return applied;
  }
}
