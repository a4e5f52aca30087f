import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { createSalon, serviceCredential, TestSalon } from '../../test-support/salon';

const LIMIT = 15;
/**
 * What a burst from `start` to now may be admitted: the limit once per one-second window it
 * touched (windows are aligned to the second, and a loaded machine can stretch a burst across two).
 */
const allowedSince = (start: number) => LIMIT * (Math.floor(Date.now() / 1_000) - Math.floor(start / 1_000) + 1);

describe('rate limit per credential (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;

  beforeAll(async () => {
    api = await startCoreApi({ env: { RATE_LIMIT_PER_SECOND: String(LIMIT), SERVICE_RATE_LIMIT_PER_SECOND: '1000' } });
    salon = await createSalon(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the credential’s limit, and health stays open', async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 45 }, () => salon.owner.get(salon.owner.branch)));
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(allowedSince(started));
    expect(limited.length).toBeGreaterThanOrEqual(45 - allowedSince(started));
    expect(limited[0].body.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  });

  it('counts a credential once across every route, not per route', async () => {
    await new Promise((r) => setTimeout(r, 2_100));
    const paths = [salon.owner.branch, `${salon.owner.business}/client`, `${salon.owner.branch}/staff`];
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => salon.owner.get(paths[i % paths.length])));
    const allowed = allowedSince(started);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(allowed);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(45 - allowed);
  });

  it('gives the booking site’s credential its own, higher limit', async () => {
    const site = await serviceCredential(api, salon);
    await site.get(salon.owner.branch); // verified once, then recognised
    await new Promise((r) => setTimeout(r, 1_100));
    const results = await Promise.all(Array.from({ length: 20 }, () => site.get(salon.owner.branch)));
    expect(results.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
