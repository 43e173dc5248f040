import type { BatchHandler, IncomingMessage } from './message-bus';

interface Waiting {
  batch: IncomingMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The batches of one topic that are handled together, one gathering in flight at a time. */
class Gathering {
  private waiting: Waiting[] = [];
  private running = false;
  private scheduled = false;

  constructor(private readonly handle: (batches: IncomingMessage[][]) => Promise<void>) {}

  submit(batch: IncomingMessage[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.schedule();
    });
  }

  /** Waits one turn of the event loop, so the batches a fetch hands out side by side go together. */
  private schedule(): void {
    if (this.running || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    const taken = this.waiting.splice(0);
    this.running = true;
    this.handle(taken.map(({ batch }) => batch))
      .then(
        () => taken.forEach(({ resolve }) => resolve()),
        (error: unknown) => taken.forEach(({ reject }) => reject(error)),
      )
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}

/**
 * The partitions of a topic are consumed side by side, each batch through its own handler call. This
 * gathers the batches of one topic that arrive together (in the same turn of the event loop, or while
 * the previous gathering runs) and hands them to `handle` at once, each partition's messages still
 * consecutive and in order; every caller resolves (or rejects) with that one call. A partition's next
 * batch only comes once its caller resolved, so per-partition order is kept.
 */
export function coalescedPartitions(handle: (batches: IncomingMessage[][]) => Promise<void>): BatchHandler {
  const byTopic = new Map<string, Gathering>();
  return (batch) => {
    const topic = batch[0].topic;
    let gathering = byTopic.get(topic);
    if (!gathering) byTopic.set(topic, (gathering = new Gathering(handle)));
    return gathering.submit(batch);
  };
}
