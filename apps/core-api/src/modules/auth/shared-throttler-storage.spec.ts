import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { CoreApiConfig } from '../../config/core-api.config';
import { SharedThrottlerStorage } from './shared-throttler-storage';

/** A DataSource that records statements and answers from a tiny in-memory rate_limit_window. */
function fakeDatabase() {
  const rows = new Map<string, number>();
  const statements: string[] = [];
  let failure: Error | undefined;
  const query = jest.fn(async (sql: string, params: unknown[] = []) => {
    statements.push(sql.replace(/\s+/g, ' ').trim());
    if (failure) throw failure;
    if (sql.startsWith('INSERT')) {
      for (let i = 0; i < params.length; i += 3) {
        const id = `${(params[i] as Buffer).toString('hex')}:${params[i + 1]}`;
        rows.set(id, (rows.get(id) ?? 0) + (params[i + 2] as number));
      }
      return { affectedRows: params.length / 3 };
    }
    if (sql.startsWith('SELECT')) {
      const since = params[0] as number;
      const busy = sql.includes('hits >= ?') ? (params[1] as number) : Number.POSITIVE_INFINITY;
      const keys = new Set((params.slice(busy === Number.POSITIVE_INFINITY ? 1 : 2) as Buffer[]).map((k) => k.toString('hex')));
      return [...rows]
        .map(([id, hits]) => ({ hex: id.split(':')[0], start: Number(id.split(':')[1]), hits }))
        .filter((r) => r.start >= since && (keys.has(r.hex) || r.hits >= busy))
        .map((r) => ({ key_hash: Buffer.from(r.hex, 'hex'), window_start: String(r.start), hits: r.hits }));
    }
    return { affectedRows: 0 };
  });
  return {
    dataSource: { query } as unknown as DataSource,
    rows,
    statements,
    fail: (err?: Error) => (failure = err),
  };
}

const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });
const config = { auth: { rateLimitSyncMs: 100 } } as CoreApiConfig;

describe('SharedThrottlerStorage', () => {
  it('answers from memory, then writes every key in one upsert and reads the totals back', async () => {
    const db = fakeDatabase();
    const storage = new SharedThrottlerStorage(db.dataSource, logger() as unknown as Logger, config);
    const now = Date.now();
    for (let i = 0; i < 3; i++) await storage.increment('default:cred:one', 1_000, 100);
    await storage.increment('default:cred:two', 1_000, 100);
    expect(db.statements).toEqual([]);

    await storage.sync(now);
    expect(db.statements[0]).toMatch(
      /^INSERT INTO rate_limit_window \(key_hash, window_start, hits\) VALUES \(\?, \?, \?\), \(\?, \?, \?\) ON DUPLICATE KEY UPDATE hits = hits \+ VALUES\(hits\)$/,
    );
    expect(db.statements[1]).toMatch(
      /^SELECT key_hash, window_start, hits FROM rate_limit_window WHERE window_start >= \? AND \(hits >= \? OR key_hash IN \(\?, \?\)\)$/,
    );
    expect(db.statements[2]).toMatch(/^DELETE FROM rate_limit_window WHERE window_start < \? LIMIT 1000$/);
    expect([...db.rows.values()].sort()).toEqual([1, 3]);
    // The raw credential never reaches the table: keys are SHA-256 hashes.
    expect([...db.rows.keys()].every((id) => /^[0-9a-f]{64}:\d+$/.test(id))).toBe(true);
  });

  it('refuses once the hits of other copies, read back, fill the limit', async () => {
    const db = fakeDatabase();
    const storage = new SharedThrottlerStorage(db.dataSource, logger() as unknown as Logger, config);
    const other = new SharedThrottlerStorage(db.dataSource, logger() as unknown as Logger, config);
    // Well inside one window, so the two syncs see the same window.
    const start = Math.ceil(Date.now() / 1_000) * 1_000 + 1_000;
    await new Promise((r) => setTimeout(r, start - Date.now() + 10));
    for (let i = 0; i < 8; i++) expect((await other.increment('default:cred:one', 1_000, 10)).isBlocked).toBe(false);
    await other.sync();
    expect((await storage.increment('default:cred:one', 1_000, 10)).isBlocked).toBe(false);
    await storage.sync();
    const results = await Promise.all(Array.from({ length: 3 }, () => storage.increment('default:cred:one', 1_000, 10)));
    expect(results.map((r) => r.isBlocked)).toEqual([false, true, true]);
    expect(results[1].timeToBlockExpire).toBeGreaterThanOrEqual(1);
  });

  it('knows a credential busy on another copy before its first request here', async () => {
    const db = fakeDatabase();
    const storage = new SharedThrottlerStorage(db.dataSource, logger() as unknown as Logger, config);
    const other = new SharedThrottlerStorage(db.dataSource, logger() as unknown as Logger, config);
    const start = Math.ceil(Date.now() / 1_000) * 1_000 + 1_000;
    await new Promise((r) => setTimeout(r, start - Date.now() + 10));
    for (let i = 0; i < 10; i++) await other.increment('default:cred:busy', 1_000, 10);
    await other.sync();
    await storage.increment('default:cred:quiet', 1_000, 10); // this copy serves some other caller
    await storage.sync();
    expect((await storage.increment('default:cred:busy', 1_000, 10)).isBlocked).toBe(true);
  });

  it('keeps answering when the database is away, logs once, and catches up when it is back', async () => {
    const db = fakeDatabase();
    const log = logger();
    const storage = new SharedThrottlerStorage(db.dataSource, log as unknown as Logger, config);
    db.fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    for (let round = 0; round < 3; round++) {
      expect((await storage.increment('default:cred:one', 60_000, 100)).isBlocked).toBe(false);
      await storage.sync();
    }
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.error).not.toHaveBeenCalled();
    db.fail(undefined);
    await storage.sync();
    expect(log.info).toHaveBeenCalledTimes(1);
    expect([...db.rows.values()]).toEqual([3]);
  });

  it('syncs every interval once started and stops before shutdown', async () => {
    const db = fakeDatabase();
    const storage = new SharedThrottlerStorage(
      db.dataSource,
      logger() as unknown as Logger,
      { auth: { rateLimitSyncMs: 20 } } as CoreApiConfig,
    );
    storage.onApplicationBootstrap();
    await storage.increment('default:cred:one', 1_000, 100);
    await new Promise((r) => setTimeout(r, 100));
    expect(db.rows.size).toBe(1);
    await storage.beforeApplicationShutdown();
    const seen = db.statements.length;
    await storage.increment('default:cred:one', 1_000, 100);
    await new Promise((r) => setTimeout(r, 100));
    expect(db.statements.length).toBe(seen);
  });
});
