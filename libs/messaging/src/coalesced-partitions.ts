import type { BatchHandler, IncomingMessage } from './message-bus';

interface Waiting {
  batch: IncomingMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * How a gathering is handled: the returned promise settles when the gathering's shared work is done (the
 * next gathering waits for it), and gives each batch's own outcome, which may settle later (a batch
 * whose retries go on after the shared try failed must not hold the next gathering back).
 */
export type GatheringHandler = (batches: IncomingMessage[][]) => Promise<Array<Promise<void>>>;

/** The batches of one topic that are handled together, one gathering's shared work in flight at a time. */
class Gathering {
  private waiting: Waiting[] = [];
  private running = false;
  private scheduled = false;

  constructor(private readonly handle: GatheringHandler) {}

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
        (outcomes) => taken.forEach(({ resolve, reject }, index) => outcomes[index].then(resolve, reject)),
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
 * the previous gathering's shared work runs) and hands them to `handle` at once, each partition's
 * messages still consecutive and in order; each caller settles with its batch's outcome. A partition's
 * next batch only comes once its caller settled, so per-partition order is kept.
 */
export function coalescedPartitions(handle: GatheringHandler): BatchHandler {
  const byTopic = new Map<string, Gathering>();
  return (batch) => {
    const topic = batch[0].topic;
    let gathering = byTopic.get(topic);
    if (!gathering) byTopic.set(topic, (gathering = new Gathering(handle)));
    return gathering.submit(batch);
  };
}
