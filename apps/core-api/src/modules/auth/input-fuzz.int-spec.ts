import { DataSource } from 'typeorm';
import { registeredRoutes } from '../../shared/http/route-registry';
import { CoreApiHarness, publishedEvents, startCoreApi } from '../../test-support/core-api-harness';
import { createSalon, TestSalon } from '../../test-support/salon';

/**
 * Malformed input on every route of the router: wrong types, huge strings, invalid dates and
 * time zones, unknown fields, broken JSON. The answer is always a 4xx with a stable `code`,
 * never a 5xx, and nothing is written.
 */
describe('malformed input on every route (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  const ids: Record<string, string> = {};

  const counts = async () => {
    const ds = api.app.get(DataSource);
    const versioned = ['branch', 'staff', 'service', 'client', 'booking', 'appointment', 'staff_break', 'staff_time_off', 'room', 'machine', 'api_user'];
    // Row counts catch inserts; the sum of versions catches any update; the events published
    // (once every committed one has left) catch any change that only emitted an event.
    const events = (await publishedEvents(api)).length;
    const [row] = await ds.query(`SELECT ${versioned.map((t) => `(SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(version), 0)) FROM ${t}) AS ${t}`).join(', ')}`);
    return { ...(row as Record<string, string | number>), events };
  };

  beforeAll(async () => {
    api = await startCoreApi({ env: { RATE_LIMIT_PER_SECOND: '100000' } });
    salon = await createSalon(api);
    ids['branchId'] = salon.owner.branchId;
    ids['staffId'] = salon.staff.aoife;
    ids['serviceId'] = salon.services.cut;
    ids['clientId'] = salon.clients.siobhan;
  });
  afterAll(async () => {
    await api?.close();
  });

  const huge = 'x'.repeat(10_000);
  const bodies: [string, unknown][] = [
    ['an array', [1, 2, 3]],
    ['a string', '"hello"'],
    ['wrong types everywhere', { name: 42, firstName: [], startTime: true, version: 'one', duration: 'long', price: '£5', clientServiceSelections: 'all', weekly: {} }],
    ['huge strings', { name: huge, firstName: huge, lastName: huge, email: `${huge}@x.io`, mobile: huge, notes: huge, startTime: huge, slug: huge }],
    ['invalid dates and zones', { startTime: '2026-02-30T25:61:00Z', endTime: 'yesterday', timeZone: 'Mars/Olympus', birthDate: '1990-13-45', appointmentDate: '31/12/2026', breakDate: '2026-02-30' }],
    ['unknown and forbidden fields', { businessId: 'x', createdAt: '2020-01-01', id: 1, __proto__: { admin: true }, constructor: { prototype: {} } }],
    ['negative and absurd numbers', { version: -1, duration: -30, price: -5, capacity: 1e12, bufferTime: Number.MAX_SAFE_INTEGER, page: -1, size: 1e9 }],
  ];

  it('answers every route with a 4xx (never a 5xx) and writes nothing', async () => {
    const before = await counts();
    const failures: string[] = [];
    // DELETE takes nothing but its path, so it has no malformed input to send.
    const routes = registeredRoutes(api.app).filter((r) => r.url.includes(':businessId') && r.method !== 'DELETE');
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'businessId' ? salon.owner.businessId : name === 'date' ? 'not-a-date' : name === 'action' ? 'explode' : (ids[name] ?? 'AAAAAAAAAAAAAAAAAAAAAA')));
      const attempts: [string, string, unknown][] = [
        ['bad query', `${path}?page=-1&size=1000&from_date=2026-99-99&to_date=x&updatedAfter=never&staff_id=${huge.slice(0, 500)}`, undefined],
        ['broken JSON', path, '{"name": '],
        ...bodies.map(([label, body]) => [label, path, body] as [string, string, unknown]),
      ];
      for (const [label, url, body] of attempts) {
        if (route.method === 'GET' && body !== undefined) continue;
        const res = await salon.owner.request(route.method, url, body);
        if (res.status >= 500 || (res.status >= 400 && typeof res.body?.code !== 'string')) {
          failures.push(`${route.method} ${route.url} [${label}] -> ${res.status} ${JSON.stringify(res.body).slice(0, 100)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});
