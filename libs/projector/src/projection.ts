import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@platform/contracts';

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
}

export const eventKey = (event: Pick<RecordedEvent, 'context' | 'type'>): string => `${event.context}:${event.type}`;
