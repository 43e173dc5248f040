import { Injectable } from '@nestjs/common';

const MAX_REMEMBERED = 100_000;

/**
 * What this replica already applied inline (events by stream and version, results by command id), so
 * their later delivery through the bus is skipped without a database round trip. Forgetting is safe:
 * the projector's per-stream checkpoints skip them anyway, only more slowly.
 */
@Injectable()
export class InlineApplied {
  private readonly keys = new Set<string>();

  remember(key: string): void {
    if (this.keys.size >= MAX_REMEMBERED) this.keys.delete(this.keys.values().next().value as string);
    this.keys.add(key);
  }

  /** True once for a remembered key. */
  consume(key: string): boolean {
    return this.keys.delete(key);
  }
}

export const eventKeyOf = (streamId: string, version: number) => `event:${streamId}:${version}`;
export const resultKeyOf = (commandId: string) => `result:${commandId}`;
