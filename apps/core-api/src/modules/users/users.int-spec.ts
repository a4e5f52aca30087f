import { waitFor } from '@chairbook/testing';
import { ApiClient, basicAuth, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';

describe('users, roles and credential changes (real MariaDB and RabbitMQ, two core-api copies)', () => {
  let api: CoreApiHarness;
  let second: CoreApiHarness;
  let owner: ApiClient;

  beforeAll(async () => {
    api = await startCoreApi();
    // A second copy on the same database and broker, as behind a load balancer.
    second = await startCoreApi({ rabbitUrl: api.rabbitUrl, env: { CORE_API_DB_NAME: api.database } });
    owner = await createBusiness(api);
  });
  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await api?.close();
  });

  it('lets the owner add a receptionist who can then log in with that role', async () => {
    const created = await owner.post(`${owner.business}/user`, { email: 'Desk@Example.test', password: 'front-desk-pass', role: 'RECEPTION' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'desk@example.test', username: 'global/desk@example.test', role: 'RECEPTION' });
    const desk = owner.as(basicAuth('desk@example.test', 'front-desk-pass'));
    expect((await desk.get(owner.branch)).status).toBe(200);
    expect((await desk.post(`${owner.business}/user`, { email: 'x@example.test', password: 'xxxxxxxxxxxx', role: 'OWNER' })).status).toBe(403);
    expect((await owner.post(`${owner.business}/user`, { email: 'desk@example.test', password: 'another-pass', role: 'STYLIST' })).body.code).toBe('EMAIL_TAKEN');
  });

  it('stops the old password working on every copy as soon as it changes', async () => {
    const created = await owner.post(`${owner.business}/user`, { email: 'stylist@example.test', password: 'first-password', role: 'STYLIST' });
    const oldCredential = basicAuth('stylist@example.test', 'first-password');
    const onFirst = owner.as(oldCredential);
    const onSecond = new ApiClient(second.baseUrl, owner.businessId, owner.branchId, oldCredential);
    // Both copies now have the credential verified and cached.
    expect((await onFirst.get(owner.branch)).status).toBe(200);
    expect((await onSecond.get(owner.branch)).status).toBe(200);

    const changed = await owner.post(`${owner.business}/user/${created.body.userId}/password`, { password: 'second-password' });
    expect(changed.status).toBe(204);
    expect((await onFirst.get(owner.branch)).status).toBe(401);
    await waitFor(async () => (await onSecond.get(owner.branch)).status === 401, { timeoutMs: 5_000, what: 'the other copy to drop the old credential' });
    expect((await owner.as(basicAuth('stylist@example.test', 'second-password')).get(owner.branch)).status).toBe(200);
  });

  it('refuses short passwords and unknown roles', async () => {
    const res = await owner.post(`${owner.business}/user`, { email: 'a@example.test', password: 'short', role: 'GOD' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['password', 'role']);
  });
});
