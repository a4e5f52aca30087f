import { queryDatabase } from '@chairbook/testing';
import type { ApiClient } from '../../test-support/api-client';
import { createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';

const LIMIT = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `offsetMs` into the next whole second (the limit's windows are aligned on it). */
const untilNextSecond = (offsetMs: number) => sleep(1_000 - (Date.now() % 1_000) + offsetMs);

/**
 * The per-credential limit is one limit however many copies of core-api serve the credential:
 * two copies on one database, RATE_LIMIT_PER_SECOND=20, counts shared every 100 ms.
 */
describe('rate limit shared across core-api copies (real MariaDB)', () => {
  let first: CoreApiHarness;
  let second: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;

  beforeAll(async () => {
    const env = { RATE_LIMIT_PER_SECOND: String(LIMIT), RATE_LIMIT_SYNC_MS: '100' };
    first = await startCoreApi({ env });
    second = await startCoreApi({ rabbitUrl: first.rabbitUrl, env: { ...env, CORE_API_DB_NAME: first.database } });
    owner = await createBusiness(first);
    other = await createBusiness(first);
    // Verify both credentials once on each copy (the slow hash), outside the measured bursts.
    for (const client of [owner, other])
      for (const api of [first, second]) expect((await client.at(api.baseUrl).get(client.business)).status).toBe(200);
  });
  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await first?.close();
  });

  it('admits about the limit per second in total when a steady burst is split over two copies', async () => {
    await sleep(2_100); // the setup's requests have slid out of the window
    // A steady stream over 4 whole seconds; the first warms the counts and is not measured.
    const seconds = 3;
    const everyMs = 10; // 100 requests/s offered, 50 to each copy: each copy alone would admit 20/s
    const copies = [owner.at(first.baseUrl), owner.at(second.baseUrl)];
    const requests: Array<Promise<{ copy: number; status: number; measured: boolean }>> = [];
    await untilNextSecond(0);
    const start = Date.now();
    for (let i = 0; Date.now() - start < (1 + seconds) * 1_000; i++) {
      const copy = i % 2;
      const measured = Date.now() - start >= 1_000;
      requests.push(copies[copy].get(owner.business).then((r) => ({ copy, status: r.status, measured })));
      await sleep(start + (i + 1) * everyMs - Date.now());
    }
    const results = await Promise.all(requests);
    const ok = results.filter((r) => r.status === 200 && r.measured);
    const perSecond = ok.length / seconds;
    process.stdout.write(
      `shared rate limit: ${JSON.stringify({ offered: results.length, ok: ok.length, perSecond, byCopy: [0, 1].map((c) => ok.filter((r) => r.copy === c).length) })}\n`,
    );
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // Each copy may run ahead of the other's counts by what one sync interval frees (~2 of 20).
    const slack = 3;
    expect(perSecond).toBeLessThanOrEqual(LIMIT + 2 * slack);
    expect(perSecond).toBeGreaterThanOrEqual(LIMIT * 0.9);
    // Both copies served: the limit was shared, not taken by whichever copy came first.
    expect(ok.filter((r) => r.copy === 0).length).toBeGreaterThanOrEqual(LIMIT);
    expect(ok.filter((r) => r.copy === 1).length).toBeGreaterThanOrEqual(LIMIT);
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit on one copy, then on the other copy too, without touching another credential', async () => {
    await sleep(2_100);
    await untilNextSecond(20);
    const burst = await Promise.all(Array.from({ length: 2 * LIMIT }, () => owner.get(owner.business)));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(LIMIT);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited).toHaveLength(LIMIT);
    expect(limited[0].body.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Still in the same window, after a few syncs: the second copy knows the credential is spent.
    const elapsed = Date.now() % 1_000;
    expect(elapsed).toBeLessThan(900);
    await sleep(Math.max(0, 350 - elapsed));
    const viaSecond = await Promise.all(Array.from({ length: 5 }, () => owner.at(second.baseUrl).get(owner.business)));
    expect(viaSecond.map((r) => r.status)).toEqual(Array(5).fill(429));
    expect(Number(viaSecond[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Another credential, on either copy, still has its whole limit.
    const others = await Promise.all(
      Array.from({ length: LIMIT }, (_, i) => other.at(i % 2 ? second.baseUrl : first.baseUrl).get(other.business)),
    );
    expect(others.map((r) => r.status)).toEqual(Array(LIMIT).fill(200));
  });

  it('stores only hashes of the counted keys, and deletes old windows', async () => {
    const rows = await queryDatabase<{ len: number; hits: number; window_start: string }>(
      first.database,
      'SELECT LENGTH(key_hash) AS len, hits, window_start FROM rate_limit_window',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => Number(r.len) === 32)).toBe(true);
    await sleep(7_500);
    const old = await queryDatabase<{ n: number }>(first.database, 'SELECT COUNT(*) AS n FROM rate_limit_window WHERE window_start < ?', [
      Date.now() - 7_000,
    ]);
    expect(Number(old[0].n)).toBe(0);
  }, 20_000);
});
