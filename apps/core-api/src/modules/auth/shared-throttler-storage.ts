import { isTransientDbError, LOGGER } from '@chairbook/platform';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CoreApiConfig } from '../../config/core-api.config';
import { RateTotal, SharedRateCounter, SyncBatch } from './shared-rate-counter';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Rows per statement (three placeholders each, far below the protocol's limits). */
const CHUNK = 500;
/** Old windows deleted per statement. */
const DELETE_LIMIT = 1_000;
/** How long a written window is kept: the current and the previous one, with room for clock skew. */
const RETAIN_MS = 5_000;

/**
 * The throttler's storage, shared by every copy of core-api through the service's MariaDB
 * without a database round trip on any request: requests are counted in memory
 * (SharedRateCounter), and every RATE_LIMIT_SYNC_MS one loop adds this copy's new hits to
 * `rate_limit_window` in one multi-row upsert, reads back the totals of the keys in use here
 * and of the keys busy elsewhere (one SELECT), and now and then deletes windows a few seconds
 * old. A copy may admit a little more than the limit between two syncs (what one interval
 * frees), never the limit once per copy. A copy with no request for a minute stays quiet.
 *
 * When the database is away, requests are never failed: the totals stop growing and each copy
 * counts locally until a sync succeeds again (logged once each way).
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly counter = new SharedRateCounter();
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private degraded = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastCleanupAt = 0;
  private cleanupBacklog = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    config: CoreApiConfig,
  ) {
    this.intervalMs = config.auth.rateLimitSyncMs;
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const decision = this.counter.hit(key, ttl, limit);
    return {
      totalHits: decision.totalHits,
      timeToExpire: decision.resetSeconds,
      isBlocked: !decision.allowed,
      timeToBlockExpire: decision.retryAfterSeconds,
    };
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  // Before TypeORM closes the pool: a sync in progress finishes with its database.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sync().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One pass: write this copy's new hits, read the totals back, delete old windows. */
  async sync(now = Date.now()): Promise<void> {
    const batch = this.counter.takeBatch(now);
    let written = false;
    try {
      if (batch.increments.length) {
        await this.write(batch);
        written = true;
        this.lastWriteAt = now;
      }
      const totals = batch.reads.length || batch.readBusy ? await this.read(batch) : [];
      this.counter.settle(batch, totals);
    } catch (err) {
      // A write that failed after some of its chunks went in is retried whole: over-counting
      // for a second is the safe side.
      this.counter.fail(batch, written);
      this.degrade(err);
      return;
    }
    try {
      await this.cleanup(now);
    } catch (err) {
      this.degrade(err);
      return;
    }
    if (this.degraded) {
      this.degraded = false;
      this.logger.info('rate-limit counts are shared again through the database');
    }
  }

  private degrade(err: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    const log = isTransientDbError(err) ? this.logger.warn.bind(this.logger) : this.logger.error.bind(this.logger);
    log({ err }, 'rate-limit counts cannot reach the database; each copy counts on its own until it is back');
  }

  private async write(batch: SyncBatch): Promise<void> {
    for (let i = 0; i < batch.increments.length; i += CHUNK) {
      const rows = batch.increments.slice(i, i + CHUNK);
      await this.dataSource.query(
        `INSERT INTO rate_limit_window (key_hash, window_start, hits) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits)`,
        rows.flatMap((r) => [r.keyHash, r.windowStart, r.hits]),
      );
    }
  }

  /** The totals of this copy's keys, and of any key busy enough elsewhere (one statement for up to CHUNK keys). */
  private async read(batch: SyncBatch): Promise<RateTotal[]> {
    const totals: RateTotal[] = [];
    for (let i = 0; i === 0 || i < batch.reads.length; i += CHUNK) {
      const keys = batch.reads.slice(i, i + CHUNK);
      const busy = i === 0 && batch.readBusy;
      if (!keys.length && !busy) break;
      const which = [busy ? 'hits >= ?' : '', keys.length ? `key_hash IN (${keys.map(() => '?').join(', ')})` : '']
        .filter(Boolean)
        .join(' OR ');
      const rows: Array<{ key_hash: Buffer; window_start: string | number; hits: string | number }> = await this.dataSource.query(
        `SELECT key_hash, window_start, hits FROM rate_limit_window WHERE window_start >= ? AND (${which})`,
        [batch.since, ...(busy ? [batch.busyHits] : []), ...keys],
      );
      for (const row of rows) totals.push({ keyHash: row.key_hash, windowStart: Number(row.window_start), hits: Number(row.hits) });
    }
    return totals;
  }

  /**
   * About once a second while this copy has written recently (or the last pass hit its LIMIT),
   * deletes windows older than RETAIN_MS. Every copy may do it; the statement is idempotent.
   */
  private async cleanup(now: number): Promise<void> {
    if (now - this.lastCleanupAt < 1_000) return;
    if (!this.cleanupBacklog && now - this.lastWriteAt > RETAIN_MS + 2_000) return;
    this.lastCleanupAt = now;
    const result: unknown = await this.dataSource.query(`DELETE FROM rate_limit_window WHERE window_start < ? LIMIT ${DELETE_LIMIT}`, [
      now - RETAIN_MS,
    ]);
    this.cleanupBacklog = ((result as { affectedRows?: number } | undefined)?.affectedRows ?? 0) >= DELETE_LIMIT;
  }
}
