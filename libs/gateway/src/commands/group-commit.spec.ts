import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('commits a lone item at once and gathers what arrives meanwhile into the next batch, answering each in order', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((item) => item * 10);
    });
    const first = group.submit(1);
    const rest = [2, 3, 4].map((item) => group.submit(item));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed batch and goes on with the next', async () => {
    const group = new GroupCommit(async (items: string[]) => {
      if (items.includes('bad')) throw new Error('commit failed');
      return items.map((item) => item.toUpperCase());
    }, 2);
    // 'a' goes alone; 'bad' and 'x' gather into one batch of at most two, 'y' into the next.
    const results = await Promise.allSettled(['a', 'bad', 'x', 'y'].map((item) => group.submit(item)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[3]).toMatchObject({ value: 'Y' });
  });
});
