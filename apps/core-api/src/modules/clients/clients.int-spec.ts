import { queryDatabase } from '@chairbook/testing';
import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, publishedEvents, startCoreApi } from '../../test-support/core-api-harness';

describe('clients API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let clientId: string;

  beforeAll(async () => {
    api = await startCoreApi();
    owner = await createBusiness(api);
    const res = await owner.post(`${owner.business}/client`, {
      firstName: 'Siobhán',
      lastName: 'Murphy',
      mobile: '087 765 4321',
      email: 'Siobhan@Example.com',
      address: { streetAddress1: '4 Camden Row', city: 'Dublin 8', country: 'IE' },
      birthDate: '1990-04-21',
      smsReminderConsent: true,
    });
    expect(res.status).toBe(201);
    clientId = res.body.clientId;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('stores the mobile in E.164 and the email lower-cased, with Phorest’s client shape', async () => {
    const res = await owner.get(`${owner.business}/client/${clientId}`);
    expect(res.body).toMatchObject({
      clientId,
      firstName: 'Siobhán',
      mobile: '+353877654321',
      email: 'siobhan@example.com',
      address: { streetAddress1: '4 Camden Row', city: 'Dublin 8', country: 'IE', postalCode: null },
      birthDate: '1990-04-21',
      smsReminderConsent: true,
      emailReminderConsent: false,
      smsMarketingConsent: false,
      emailMarketingConsent: false,
      loyaltyCard: { serial: clientId, points: 0 },
      version: 1,
    });
  });

  it.each([['+353877654321'], ['353877654321'], ['087 765 4321'], ['0877654321'], ['%2B353%2087%20765%204321'], ['00353877654321'], ['00353%2087%20765%204321']])('finds the client by phone written as %s', async (phone) => {
    const res = await owner.get(`${owner.business}/client?phone=${phone}`);
    expect(res.status).toBe(200);
    expect(res.body._embedded.clients.map((c: { clientId: string }) => c.clientId)).toEqual([clientId]);
  });

  it('takes the address as one string (the reference’s ClientInput), kept as streetAddress1', async () => {
    const created = await owner.post(`${owner.business}/client`, { firstName: 'Aisling', lastName: 'Walsh', address: ' 7 Harcourt Street, Dublin 2 ' });
    expect(created.status).toBe(201);
    expect(created.body.address).toEqual({
      streetAddress1: '7 Harcourt Street, Dublin 2',
      streetAddress2: null,
      city: null,
      state: null,
      postalCode: null,
      country: null,
    });
    const updated = await owner.put(`${owner.business}/client/${created.body.clientId}`, { version: 1, address: '9 Leeson Street' });
    expect(updated.status).toBe(200);
    expect(updated.body.address).toMatchObject({ streetAddress1: '9 Leeson Street', city: null });
    // Updating the line keeps the other parts; the object form still works.
    const withCity = await owner.put(`${owner.business}/client/${created.body.clientId}`, { version: 2, address: { city: 'Dublin 2' } });
    expect(withCity.body.address).toMatchObject({ streetAddress1: '9 Leeson Street', city: 'Dublin 2' });
    const kept = await owner.put(`${owner.business}/client/${created.body.clientId}`, { version: 3, address: '10 Leeson Street' });
    expect(kept.body.address).toMatchObject({ streetAddress1: '10 Leeson Street', city: 'Dublin 2' });
    const tooLong = await owner.post(`${owner.business}/client`, { firstName: 'A', lastName: 'B', address: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields.map((f: { field: string }) => f.field).join()).toContain('address');
    expect((await owner.post(`${owner.business}/client`, { firstName: 'A', lastName: 'B', address: 42 })).status).toBe(400);
  });

  it('finds the client by email in any case, and returns an empty page for strangers', async () => {
    expect((await owner.get(`${owner.business}/client?email=SIOBHAN@example.com`)).body._embedded.clients).toHaveLength(1);
    const none = await owner.get(`${owner.business}/client?email=nobody@example.com`);
    expect(none.body).toEqual({ _embedded: { clients: [] }, page: { size: 20, totalElements: 0, totalPages: 0, number: 0 } });
  });

  it('uses indexes for phone and email search (EXPLAIN over 3,000 clients)', async () => {
    const now = new Date();
    const rows = Array.from({ length: 3000 }, (_, i) => [
      `idx${String(i).padStart(19, '0')}`,
      owner.businessId,
      `First${i}`,
      `Last${i}`,
      `+3538${String(70000000 + i)}`,
      `client${i}@example.com`,
      now,
      now,
    ]);
    await queryDatabase(api.database, 'INSERT INTO client (id, business_id, first_name, last_name, mobile, email, created_at, updated_at) VALUES ?', [rows]);
    await queryDatabase(api.database, 'ANALYZE TABLE client');
    for (const [column, value, index] of [
      ['mobile', '+353870001234', 'ix_client_mobile'],
      ['email', 'client1234@example.com', 'ix_client_email'],
    ]) {
      const plan = await queryDatabase<{ key: string | null; type: string; rows: number }>(
        api.database,
        `EXPLAIN SELECT * FROM client WHERE business_id = ? AND archived = 0 AND ${column} = ? ORDER BY last_name, first_name, id LIMIT 20`,
        [owner.businessId, value],
      );
      expect(plan[0]).toMatchObject({ key: index, type: 'ref' });
      expect(Number(plan[0].rows)).toBeLessThan(10);
    }
  });

  it('pages incremental sync by updatedAfter in change order', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const t0 = new Date().toISOString();
    await owner.post(`${owner.business}/client`, { firstName: 'A', lastName: 'Later' });
    const res = await owner.get(`${owner.business}/client?updatedAfter=${encodeURIComponent(t0)}&size=100`);
    expect(res.body._embedded.clients.map((c: { lastName: string }) => c.lastName)).toEqual(['Later']);
  });

  it('updates with version and publishes consent changes; 409 on a stale version', async () => {
    const updated = await owner.put(`${owner.business}/client/${clientId}`, { version: 1, smsMarketingConsent: true, notes: 'Prefers mornings' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, smsMarketingConsent: true, notes: 'Prefers mornings', smsReminderConsent: true });
    const stale = await owner.put(`${owner.business}/client/${clientId}`, { version: 1, notes: 'lost' });
    expect(stale.status).toBe(409);
    const events = await publishedEvents(api, clientId);
    expect(events.map((e) => e.type)).toEqual(['client.created', 'client.updated', 'client.consent_changed']);
  });

  it.each([
    ['an invalid email', { firstName: 'A', lastName: 'B', email: 'not-an-email' }, 'email'],
    ['an invalid mobile', { firstName: 'A', lastName: 'B', mobile: '+1 555' }, 'mobile'],
    ['a bad birth date', { firstName: 'A', lastName: 'B', birthDate: '21/04/1990' }, 'birthDate'],
    ['a version on create', { firstName: 'A', lastName: 'B', version: 3 }, 'version'],
    ['businessId in the body', { firstName: 'A', lastName: 'B', businessId: 'x' }, 'businessId'],
    ['10,000 characters of name', { firstName: 'x'.repeat(10_000), lastName: 'B' }, 'firstName'],
    ['a consent that is not a boolean', { firstName: 'A', lastName: 'B', smsMarketingConsent: 'yes' }, 'smsMarketingConsent'],
  ])('refuses %s with 400 and creates nothing', async (_label, body, field) => {
    const before = (await owner.get(`${owner.business}/client?size=1&includeArchived=true`)).body.page.totalElements;
    const res = await owner.post(`${owner.business}/client`, body);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await owner.get(`${owner.business}/client?size=1&includeArchived=true`)).body.page.totalElements).toBe(before);
  });

  it('keeps each business’s clients apart', async () => {
    const other = await createBusiness(api);
    expect((await other.get(`${other.business}/client/${clientId}`)).status).toBe(404);
    expect((await other.get(`${other.business}/client?phone=%2B353877654321`)).body._embedded.clients).toEqual([]);
    expect((await other.put(`${other.business}/client/${clientId}`, { version: 2, notes: 'x' })).status).toBe(404);
  });

  it('lets stylists read clients but not create them', async () => {
    const stylist = await addUser(api, owner, 'STYLIST');
    expect((await stylist.get(`${owner.business}/client`)).status).toBe(200);
    expect((await stylist.post(`${owner.business}/client`, { firstName: 'A', lastName: 'B' })).status).toBe(403);
  });
});
