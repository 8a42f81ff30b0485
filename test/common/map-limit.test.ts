/** The bounded pool: order, the bound, waits that hold their slot, and what a failure stops. */
import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/common/map-limit.js';

/** Work whose items finish when the test says so, counting how many run at once. */
function controlled() {
  let running = 0;
  let most = 0;
  const pending = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  const started: number[] = [];
  const work = (item: number) =>
    new Promise<number>((resolve, reject) => {
      running++;
      most = Math.max(most, running);
      started.push(item);
      pending.set(item, {
        resolve: (v) => (running--, resolve(v)),
        reject: (e) => (running--, reject(e)),
      });
    });
  const tick = () => new Promise((r) => setImmediate(r));
  return { work, pending, started, tick, most: () => most, running: () => running };
}

describe('mapLimit', () => {
  it('keeps input order and never runs more than the limit, whatever order items finish in', async () => {
    for (const limit of [1, 2, 3, 7, 20]) {
      const c = controlled();
      const items = Array.from({ length: 10 }, (_, i) => i);
      const done = mapLimit(items, limit, c.work);
      while (c.started.length < items.length || c.running() > 0) {
        await c.tick();
        const [last] = [...c.pending.keys()].slice(-1);
        if (last !== undefined) {
          c.pending.get(last)!.resolve(last * 10);
          c.pending.delete(last);
        }
      }
      expect(await done).toEqual(items.map((i) => i * 10));
      expect(c.most()).toBe(Math.min(limit, items.length));
    }
  });

  it('a slot stays taken while its work waits (a retry after Retry-After): the next item starts only when it ends', async () => {
    const c = controlled();
    const done = mapLimit([0, 1, 2], 2, c.work);
    await c.tick();
    expect(c.started).toEqual([0, 1]);
    await c.tick();
    expect(c.started).toEqual([0, 1]);
    c.pending.get(1)!.resolve(1);
    await c.tick();
    expect(c.started).toEqual([0, 1, 2]);
    c.pending.get(0)!.resolve(0);
    c.pending.get(2)!.resolve(2);
    expect(await done).toEqual([0, 1, 2]);
  });

  it('after a failure starts nothing more and throws the first failure', async () => {
    const c = controlled();
    const done = mapLimit([0, 1, 2, 3, 4], 2, c.work);
    done.catch(() => undefined);
    await c.tick();
    c.pending.get(0)!.reject(new Error('first'));
    await c.tick();
    c.pending.get(1)!.resolve(1);
    await expect(done).rejects.toThrow('first');
    expect(c.started).toEqual([0, 1]);
  });

  it('an empty list resolves at once; a limit that is not a whole number of 1 or more is refused', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    for (const limit of [0, -1, 1.5, Number.NaN]) await expect(mapLimit([1], limit, async () => 1)).rejects.toThrow(RangeError);
  });
});
