import { createHash } from 'node:crypto';

/** One key's count in one window, as this copy knows it. */
interface WindowCount {
  /** The total of every copy as last read from the shared table (never below `flushed`). */
  global: number;
  /** This copy's hits already written to the shared table. */
  flushed: number;
  /** This copy's hits in the statement being written now. */
  inFlight: number;
  /** This copy's hits not yet written. */
  pending: number;
}

interface KeyState {
  keyHash: Buffer;
  hex: string;
  ttlMs: number;
  /** By window start (epoch ms): only the current and the previous window are kept. */
  windows: Map<number, WindowCount>;
}

export interface RateDecision {
  allowed: boolean;
  /** The weighted count including this hit when allowed (for X-RateLimit-Remaining). */
  totalHits: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  /** Seconds until a refused caller may try again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateIncrement {
  keyHash: Buffer;
  windowStart: number;
  hits: number;
}

/** What one sync writes (the increments) and then reads back (the totals of the active keys). */
export interface SyncBatch {
  increments: RateIncrement[];
  /** Keys whose totals to read, and the oldest window still of use. */
  reads: Buffer[];
  since: number;
  /**
   * Also read any other key with at least this many hits in a window: another copy's busy
   * credential is then known here before its first request arrives (the smallest limit seen / 10).
   */
  busyHits: number;
  /** False while this copy has had no request for a minute: nothing to read then. */
  readBusy: boolean;
  /** Internal: the per-window counts moved to inFlight, to settle when the sync ends. */
  readonly moved: Array<{ count: WindowCount; hits: number }>;
}

export interface RateTotal {
  keyHash: Buffer;
  windowStart: number;
  hits: number;
}

const total = (c: WindowCount | undefined): number => (c ? c.global + c.inFlight + c.pending : 0);

/**
 * The counting behind the shared per-credential rate limit, without any I/O.
 *
 * Windows are aligned on the epoch (every copy agrees where a window starts), and a request is
 * weighed against a sliding estimate: the previous window's total, scaled by the share of it
 * still inside the last `ttl`, plus the current window's. Without that weighting every copy
 * would start each window from zero and admit up to the whole limit before its first sync.
 *
 * A window's total is what every copy had written when this copy last read it, plus this
 * copy's hits not yet read back. The decision never waits for the database; a sync
 * (`takeBatch` → write and read → `settle` or `fail`) runs every ~100 ms. When the database is
 * away the synced totals simply stop growing and the limit is counted locally. Refused
 * requests are not counted, so a caller that keeps hammering is let in again as its earlier
 * requests age out.
 *
 * Each sync also reads the keys busy on other copies (a tenth of the smallest limit or more
 * in a window), so a credential new to this copy starts from its total elsewhere rather than
 * from zero. At most `maxKeysPerSync` keys are shared per sync (the longest-known first); a
 * flood of made-up credentials beyond that is counted locally and cannot flood the table.
 */
export class SharedRateCounter {
  constructor(private readonly maxKeysPerSync = 5_000) {}

  private readonly keys = new Map<string, KeyState>();
  /** Busy keys of other copies, by hex hash, as last read: a key new here starts from these. */
  private remote = new Map<string, RateTotal[]>();
  private smallestLimit = Number.POSITIVE_INFINITY;
  private ttlMs = 1_000;
  private lastHitAt = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.keys.size;
  }

  hit(key: string, ttlMs: number, limit: number, now = Date.now()): RateDecision {
    this.lastHitAt = now;
    let state = this.keys.get(key);
    if (!state) {
      const keyHash = createHash('sha256').update(key).digest();
      state = { keyHash, hex: keyHash.toString('hex'), ttlMs, windows: new Map() };
      for (const t of this.remote.get(state.hex) ?? [])
        state.windows.set(t.windowStart, { global: t.hits, flushed: 0, inFlight: 0, pending: 0 });
      this.keys.set(key, state);
      if (limit < this.smallestLimit) this.smallestLimit = limit;
      this.ttlMs = ttlMs;
    }
    const windowStart = now - (now % ttlMs);
    const prune = windowStart - ttlMs;
    for (const start of state.windows.keys()) if (start < prune) state.windows.delete(start);

    const previous = total(state.windows.get(windowStart - ttlMs));
    let current = state.windows.get(windowStart);
    const elapsed = (now - windowStart) / ttlMs;
    const estimate = previous * (1 - elapsed) + total(current);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + ttlMs - now) / 1000));

    if (estimate + 1 > limit) {
      return {
        allowed: false,
        totalHits: limit + 1,
        resetSeconds,
        retryAfterSeconds: retryAfter(previous, total(current), limit, elapsed, ttlMs),
      };
    }
    if (!current) {
      current = { global: 0, flushed: 0, inFlight: 0, pending: 0 };
      state.windows.set(windowStart, current);
    }
    current.pending++;
    return { allowed: true, totalHits: Math.ceil(estimate + 1), resetSeconds, retryAfterSeconds: 0 };
  }

  /**
   * Moves every pending count to in-flight and lists what to write and which keys to read.
   * Keys whose windows have all passed are forgotten here.
   */
  takeBatch(now = Date.now()): SyncBatch {
    const batch: SyncBatch = {
      increments: [],
      reads: [],
      since: Number.POSITIVE_INFINITY,
      busyHits: Number.isFinite(this.smallestLimit) ? Math.max(1, Math.floor(this.smallestLimit / 10)) : 1,
      readBusy: now - this.lastHitAt < 60_000,
      moved: [],
    };
    if (batch.readBusy) batch.since = now - (now % this.ttlMs) - this.ttlMs;
    for (const [key, state] of this.keys) {
      const windowStart = now - (now % state.ttlMs);
      const oldest = windowStart - state.ttlMs;
      for (const start of state.windows.keys()) if (start < oldest) state.windows.delete(start);
      if (!state.windows.size) {
        this.keys.delete(key);
        continue;
      }
      if (batch.reads.length >= this.maxKeysPerSync) continue;
      for (const [start, count] of state.windows) {
        if (count.pending > 0) {
          batch.increments.push({ keyHash: state.keyHash, windowStart: start, hits: count.pending });
          batch.moved.push({ count, hits: count.pending });
          count.inFlight += count.pending;
          count.pending = 0;
        }
      }
      batch.reads.push(state.keyHash);
      batch.since = Math.min(batch.since, oldest);
    }
    // One order for every copy, so two upserts never lock the same rows the other way round.
    batch.increments.sort((a, b) => Buffer.compare(a.keyHash, b.keyHash) || a.windowStart - b.windowStart);
    return batch;
  }

  /** The increments were written and these are the totals read back for the batch's keys. */
  settle(batch: SyncBatch, totals: RateTotal[]): void {
    this.markWritten(batch);
    const asked = new Set(batch.reads.map((k) => k.toString('hex')));
    const read = new Map<string, number>();
    const remote = new Map<string, RateTotal[]>();
    for (const t of totals) {
      const hex = t.keyHash.toString('hex');
      read.set(`${hex}:${t.windowStart}`, t.hits);
      if (!asked.has(hex)) remote.set(hex, [...(remote.get(hex) ?? []), t]);
    }
    this.remote = remote;
    for (const state of this.keys.values()) {
      if (!asked.has(state.hex)) continue;
      for (const [start, count] of state.windows) {
        if (start < batch.since) continue;
        count.global = Math.max(read.get(`${state.hex}:${start}`) ?? 0, count.flushed);
      }
    }
  }

  /** The sync failed: `written` says whether the increments reached the table before it did. */
  fail(batch: SyncBatch, written: boolean): void {
    if (written) {
      this.markWritten(batch);
      return;
    }
    for (const { count, hits } of batch.moved) {
      count.inFlight -= hits;
      count.pending += hits;
    }
  }

  private markWritten(batch: SyncBatch): void {
    for (const { count, hits } of batch.moved) {
      count.inFlight -= hits;
      count.flushed += hits;
      // The table's total grew by at least these hits since it was last read.
      count.global += hits;
    }
  }
}

/** Seconds until the estimate lets one more request in, if nothing else arrives. */
function retryAfter(previous: number, current: number, limit: number, elapsed: number, ttlMs: number): number {
  let waitWindows: number;
  if (current + 1 <= limit && previous > 0) {
    // Later in this window, once enough of the previous one has slid out.
    waitWindows = Math.max(0, 1 - (limit - 1 - current) / previous - elapsed);
  } else {
    // In the next window, once enough of this one has slid out.
    waitWindows = 1 - elapsed + Math.max(0, 1 - (limit - 1) / Math.max(current, 1));
  }
  return Math.max(1, Math.ceil((waitWindows * ttlMs) / 1000));
}
