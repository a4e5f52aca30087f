import { queryDatabase, waitFor } from '@chairbook/testing';
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
    const started = Date.now();
    // A burst on a loaded machine can outlast its one-second window, which then frees more of the
    // limit: every bound below counts the windows the requests actually spanned.
    const allowedSince = () => LIMIT * Math.max(1, Math.ceil((Date.now() - started) / 1_000));
    const burst = await Promise.all(Array.from({ length: 2 * LIMIT }, () => owner.get(owner.business)));
    const admitted = burst.filter((r) => r.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(LIMIT - 2);
    expect(admitted).toBeLessThanOrEqual(allowedSince());
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBe(2 * LIMIT - admitted);
    expect(limited[0].body.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // A few syncs later the second copy knows the credential is spent: what both copies admitted
    // together stays within the limit of the windows spanned (a copy counting alone would admit 5 more).
    // The first copy has written its hits (the table's newest window holds them), then the second
    // copy has had three sync intervals to read them back.
    await waitFor(
      async () => {
        const [row] = await queryDatabase<{ hits: number | null }>(first.database, 'SELECT MAX(hits) AS hits FROM rate_limit_window WHERE window_start >= ?', [
          Math.floor(started / 1_000) * 1_000,
        ]);
        return Number(row?.hits ?? 0) >= LIMIT - 2 || undefined;
      },
      { timeoutMs: 5_000, intervalMs: 20, what: 'the first copy to share its hits' },
    );
    await sleep(300);
    const viaSecond = await Promise.all(Array.from({ length: 5 }, () => owner.at(second.baseUrl).get(owner.business)));
    expect(viaSecond.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(admitted + viaSecond.filter((r) => r.status === 200).length).toBeLessThanOrEqual(allowedSince());
    const refused = viaSecond.find((r) => r.status === 429);
    if (Date.now() - started < 900) expect(refused).toBeDefined();
    if (refused) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Another credential, on either copy, still has its whole limit.
    const others = await Promise.all(
      Array.from({ length: LIMIT }, (_, i) => other.at(i % 2 ? second.baseUrl : first.baseUrl).get(other.business)),
    );
    // Under load a copy's estimate can run a hit or two ahead of the truth (a sync's read-back
    // may already hold hits it still counts as unsent): it errs towards refusing, never more.
    expect(others.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(others.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(LIMIT - 2);
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
