import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';

describe('branches API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;

  beforeAll(async () => {
    api = await startCoreApi();
    owner = await createBusiness(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the business the credential belongs to', async () => {
    const res = await owner.get('/third-party-api-server/api/business');
    expect(res.status).toBe(200);
    expect(res.body._embedded.businesses).toEqual([expect.objectContaining({ businessId: owner.businessId })]);
  });

  it('refuses missing or wrong credentials with 401 and a Basic challenge', async () => {
    const none = await owner.as(undefined).get(owner.branch);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await owner.as(`Basic ${Buffer.from('global/nobody@example.test:nope').toString('base64')}`).get(owner.branch);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('UNAUTHORIZED');
  });

  it('creates a branch with time zone, currency and slug, and pages the list', async () => {
    const created = await owner.post(`${owner.business}/branch`, {
      name: 'Rathmines',
      slug: `rathmines-${owner.businessId.slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`,
      timeZone: 'Europe/Dublin',
      country: 'IE',
      currencyCode: 'EUR',
      phone: '01 555 0199',
      openingHours: [{ dayOfWeek: 'MONDAY', startTime: '09:00', endTime: '17:00' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Rathmines', phone: '+35315550199', version: 1, openingHours: [{ dayOfWeek: 'MONDAY', startTime: '09:00', endTime: '17:00' }] });
    const page0 = await owner.get(`${owner.business}/branch?size=1&page=0`);
    const page1 = await owner.get(`${owner.business}/branch?size=1&page=1`);
    expect(page0.body.page).toEqual({ size: 1, totalElements: 2, totalPages: 2, number: 0 });
    expect(page0.body._embedded.branches[0].branchId).not.toBe(page1.body._embedded.branches[0].branchId);
  });

  it('answers the reference’s timezone and one-line address beside timeZone and the address lines', async () => {
    const created = await owner.post(`${owner.business}/branch`, {
      name: 'Ranelagh',
      slug: `ranelagh-${owner.businessId.slice(0, 6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`,
      timeZone: 'Europe/Dublin',
      country: 'IE',
      currencyCode: 'EUR',
      streetAddress1: '12 Main Street',
      city: 'Dublin 6',
      postalCode: 'D06 X2Y3',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      timeZone: 'Europe/Dublin',
      timezone: 'Europe/Dublin',
      streetAddress1: '12 Main Street',
      streetAddress2: null,
      city: 'Dublin 6',
      address: '12 Main Street, Dublin 6, D06 X2Y3',
    });
    const read = await owner.get(`${owner.business}/branch/${created.body.branchId}`);
    expect(read.body).toMatchObject({ timezone: 'Europe/Dublin', address: '12 Main Street, Dublin 6, D06 X2Y3' });
    const listed = (await owner.get(`${owner.business}/branch?size=100`)).body._embedded.branches;
    expect(listed.find((b: { branchId: string }) => b.branchId === created.body.branchId)).toMatchObject({ timezone: 'Europe/Dublin' });
    // No address lines: address is null.
    const bare = (await owner.get(owner.branch)).body;
    expect(bare.timezone).toBe(bare.timeZone);
    if (!bare.streetAddress1 && !bare.streetAddress2 && !bare.city && !bare.state && !bare.postalCode) expect(bare.address).toBeNull();
  });

  it('sends an ETag and answers 304 to If-None-Match', async () => {
    const first = await owner.get(owner.branch);
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${owner.branchId}.${first.body.version}"`);
    const again = await owner.get(owner.branch, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('updates with the version read, and answers 409 with the current version when stale', async () => {
    const current = await owner.get(owner.branch);
    const updated = await owner.put(owner.branch, { version: current.body.version, name: 'Renamed', onlineBooking: { slotStepMinutes: 30 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Renamed', version: current.body.version + 1, onlineBooking: expect.objectContaining({ slotStepMinutes: 30 }) });
    const stale = await owner.put(owner.branch, { version: current.body.version, name: 'Lost update' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: current.body.version + 1 });
    expect((await owner.get(owner.branch)).body.name).toBe('Renamed');
  });

  it.each([
    ['an invalid time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['an unknown field', { businessId: 'x' }, 'businessId'],
    ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'name'],
    ['a wrong type', { name: 42 }, 'name'],
    ['a bad slot step', { onlineBooking: { slotStepMinutes: 7 } }, 'onlineBooking.slotStepMinutes'],
    ['null for a required field', { name: null }, 'name'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_label, patch, field) => {
    const before = await owner.get(owner.branch);
    const res = await owner.put(owner.branch, { version: before.body.version, ...patch });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await owner.get(owner.branch)).body.version).toBe(before.body.version);
  });

  it('refuses malformed ids with 400 and page sizes over 100 with 400', async () => {
    expect((await owner.get(`${owner.business}/branch/not-an-id`)).status).toBe(400);
    const big = await owner.get(`${owner.business}/branch?size=101`);
    expect(big.status).toBe(400);
    expect(big.body.fields[0].field).toBe('size');
  });

  it('ignores unknown query parameters, as Phorest does', async () => {
    expect((await owner.get(`${owner.business}/branch?whatever=1`)).status).toBe(200);
  });

  it('lets only owners open branches and managers edit them', async () => {
    const reception = await addUser(api, owner, 'RECEPTION');
    expect((await reception.get(owner.branch)).status).toBe(200);
    const denied = await reception.post(`${owner.business}/branch`, { name: 'x', slug: 'x-y', timeZone: 'Europe/Dublin', country: 'IE', currencyCode: 'EUR' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const version = (await owner.get(owner.branch)).body.version;
    expect((await reception.put(owner.branch, { version, name: 'nope' })).status).toBe(403);
  });

  it('hides other businesses: their ids answer 404, never 200', async () => {
    const other = await createBusiness(api);
    expect((await owner.get(`/third-party-api-server/api/business/${other.businessId}/branch`)).status).toBe(404);
    expect((await owner.get(`${owner.business}/branch/${other.branchId}`)).status).toBe(404);
    const version = (await other.get(other.branch)).body.version;
    expect((await owner.put(`${owner.business}/branch/${other.branchId}`, { version, name: 'hijack' })).status).toBe(404);
    expect((await other.get(other.branch)).body.name).not.toBe('hijack');
  });

  it('serves the opening hours as a worktimetable', async () => {
    const res = await owner.get(`${owner.branch}/worktimetable`);
    expect(res.status).toBe(200);
    expect(res.body.openingHours).toEqual(expect.arrayContaining([{ dayOfWeek: 'MONDAY', startTime: '09:00', endTime: '18:00' }]));
  });
});
