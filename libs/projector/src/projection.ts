import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@platform/contracts';
import type { PendingEvent, StatementParts } from '@platform/event-store';

/**
 * A read model: its tables, and how one event changes them. `apply` runs inside the projector's
 * transaction; it loads the affected row, calls a pure `evolve(row, event)`, and writes the result.
 */
export interface Projection {
  name: string;
  /** Event types this projection reads (`context:Type`). */
  handles: readonly string[];
  tables: readonly string[];
  apply(client: PoolClient, schema: string, event: RecordedEvent): Promise<void>;
  /**
   * The same change as `apply` of each event in order, in a few multi-row statements (an inline
   * projection's batch). Optional: without it, the events are applied one by one.
   */
  applyBatch?(client: PoolClient, schema: string, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * The same change as `apply` of each event in order, as writes of a statement the projector shares
   * with the other projections and the checkpoints (its values pushed onto `params`); it may read on
   * `client` first. Preferred over `applyBatch` when both are given. The events may not have their
   * global position yet (a writer's batch, written in the same statement as its events).
   */
  batchParts?(client: PoolClient, schema: string, events: readonly PendingEvent[], params: unknown[]): Promise<StatementParts>;
}

export const eventKey = (event: Pick<RecordedEvent, 'context' | 'type'>): string => `${event.context}:${event.type}`;
