interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent submissions are gathered and committed together. One batch is in flight at
 * a time and the next gathers while it runs (no timer, so a lone submission goes at once). `commit`
 * answers one result per item, in order; if it throws, every item of its batch is rejected with that.
 */
export class GroupCommit<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private running = false;

  constructor(
    private readonly commit: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.running = true;
    this.commit(batch.map(({ item }) => item))
      .then(
        (results) => batch.forEach(({ resolve }, index) => resolve(results[index])),
        (error: unknown) => batch.forEach(({ reject }) => reject(error)),
      )
      .finally(() => {
        this.running = false;
        this.flush();
      });
  }
}
