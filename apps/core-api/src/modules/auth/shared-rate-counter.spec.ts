import { createHash } from 'node:crypto';
import { RateTotal, SharedRateCounter } from './shared-rate-counter';

const T0 = 1_800_000_000_000; // a window start (a multiple of 1 000 ms)
const hash = (key: string) => createHash('sha256').update(key).digest();

/** Admits `n` hits at `now`, returns how many were allowed. */
const burst = (counter: SharedRateCounter, key: string, n: number, limit: number, now: number) =>
  Array.from({ length: n }, () => counter.hit(key, 1_000, limit, now)).filter((d) => d.allowed).length;

describe('SharedRateCounter', () => {
  it('admits up to the limit in a window and refuses the rest with a Retry-After', () => {
    const counter = new SharedRateCounter();
    expect(burst(counter, 'a', 5, 5, T0 + 10)).toBe(5);
    const refused = counter.hit('a', 1_000, 5, T0 + 10);
    expect(refused).toMatchObject({ allowed: false, totalHits: 6, resetSeconds: 1 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('counts each key on its own', () => {
    const counter = new SharedRateCounter();
    expect(burst(counter, 'a', 10, 5, T0)).toBe(5);
    expect(burst(counter, 'b', 10, 5, T0)).toBe(5);
  });

  it('weighs the previous window by the share of it still inside the last second', () => {
    const counter = new SharedRateCounter();
    expect(burst(counter, 'a', 10, 10, T0 + 900)).toBe(10);
    // Just after the boundary almost all of the previous window still counts...
    expect(burst(counter, 'a', 10, 10, T0 + 1_050)).toBe(0);
    // ...half way through, half of it does: 10 × 0.5 = 5, so 5 more fit.
    expect(burst(counter, 'a', 10, 10, T0 + 1_500)).toBe(5);
    // Two windows later nothing of it is left.
    expect(burst(counter, 'a', 20, 10, T0 + 3_000)).toBe(10);
  });

  it('does not count refused requests, so a caller that keeps trying gets in as old hits age out', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'a', 100, 10, T0);
    expect(burst(counter, 'a', 100, 10, T0 + 1_999)).toBe(9);
  });

  it('writes pending hits once, in key order, and adds what other copies wrote when read back', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'b', 3, 20, T0 + 10);
    burst(counter, 'a', 2, 20, T0 + 10);
    const batch = counter.takeBatch(T0 + 100);
    expect(batch.increments.map((i) => [i.keyHash, i.windowStart, i.hits])).toEqual(
      [
        [hash('a'), T0, 2],
        [hash('b'), T0, 3],
      ].sort((x, y) => Buffer.compare(x[0] as Buffer, y[0] as Buffer)),
    );
    expect(batch.since).toBe(T0 - 1_000);
    expect(batch.reads).toHaveLength(2);
    // Hits arriving during the sync stay pending for the next one.
    expect(burst(counter, 'a', 1, 20, T0 + 120)).toBe(1);
    // Another copy has written 15 hits of 'a' in this window: 2 + 15 are in the table.
    const totals: RateTotal[] = [
      { keyHash: hash('a'), windowStart: T0, hits: 17 },
      { keyHash: hash('b'), windowStart: T0, hits: 3 },
    ];
    counter.settle(batch, totals);
    // 17 read + 1 pending = 18 of 20: two more fit.
    expect(burst(counter, 'a', 5, 20, T0 + 150)).toBe(2);
    const next = counter.takeBatch(T0 + 200);
    expect(next.increments).toEqual([{ keyHash: hash('a'), windowStart: T0, hits: 3 }]);
    expect(counter.takeBatch(T0 + 300).increments).toEqual([]);
  });

  it('keeps counting locally when a sync fails, and writes the hits later', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'a', 4, 10, T0 + 10);
    const failed = counter.takeBatch(T0 + 100);
    counter.fail(failed, false);
    expect(burst(counter, 'a', 10, 10, T0 + 150)).toBe(6);
    const retry = counter.takeBatch(T0 + 200);
    expect(retry.increments).toEqual([{ keyHash: hash('a'), windowStart: T0, hits: 10 }]);
    // Written, but the read failed: the hits are not pending again, and still count.
    counter.fail(retry, true);
    expect(counter.takeBatch(T0 + 300).increments).toEqual([]);
    expect(burst(counter, 'a', 1, 10, T0 + 350)).toBe(0);
  });

  it('never lets a read-back below its own written hits lower the count', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'a', 8, 10, T0 + 10);
    const batch = counter.takeBatch(T0 + 100);
    counter.settle(batch, []); // e.g. the row was deleted by a copy with a fast clock
    expect(burst(counter, 'a', 5, 10, T0 + 150)).toBe(2);
  });

  it('starts a key new here from what other copies counted, when it is busy there', () => {
    const counter = new SharedRateCounter();
    counter.hit('quiet', 1_000, 50, T0 + 10);
    const batch = counter.takeBatch(T0 + 100);
    expect(batch).toMatchObject({ readBusy: true, busyHits: 5, since: T0 - 1_000 });
    counter.settle(batch, [
      { keyHash: hash('quiet'), windowStart: T0, hits: 1 },
      { keyHash: hash('busy'), windowStart: T0, hits: 45 },
    ]);
    expect(burst(counter, 'busy', 10, 50, T0 + 200)).toBe(5);
    // A copy with no request for a minute reads nothing.
    expect(counter.takeBatch(T0 + 61_000)).toMatchObject({ readBusy: false, reads: [] });
  });

  it('shares at most so many keys per sync, counting the rest locally', () => {
    const counter = new SharedRateCounter(2);
    for (const key of ['a', 'b', 'c']) counter.hit(key, 1_000, 10, T0);
    const batch = counter.takeBatch(T0 + 100);
    expect(batch.reads).toEqual([hash('a'), hash('b')]);
    expect(batch.increments).toHaveLength(2);
    expect(burst(counter, 'c', 20, 10, T0 + 150)).toBe(9);
  });

  it('forgets keys whose windows have passed', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'a', 1, 10, T0);
    counter.takeBatch(T0 + 1_500);
    expect(counter.size).toBe(1);
    counter.takeBatch(T0 + 2_000);
    expect(counter.size).toBe(0);
  });

  it('tells a refused caller when the estimate lets one more in', () => {
    const counter = new SharedRateCounter();
    burst(counter, 'a', 10, 10, T0 + 100);
    // Full window: the next window must also let 10% of this one slide out.
    expect(counter.hit('a', 1_000, 10, T0 + 200).retryAfterSeconds).toBe(1);
    const sliding = new SharedRateCounter();
    burst(sliding, 'a', 10, 10, T0 + 900);
    // At T0 + 1 100, 10 × 0.9 = 9 still count: one more fits once a tenth more has slid out.
    expect(sliding.hit('a', 1_000, 10, T0 + 1_100)).toMatchObject({ allowed: true });
    expect(sliding.hit('a', 1_000, 10, T0 + 1_100).retryAfterSeconds).toBe(1);
    const long = new SharedRateCounter();
    burst(long, 'a', 10, 10, T0);
    expect(long.hit('a', 1_000, 10, T0).retryAfterSeconds).toBe(2); // 1 s to the window end + 0.1 s of the next
  });
});
