import { DataSource } from 'typeorm';
import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';

describe('loyalty points API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  let clientId: string;
  const points = (c: ApiClient = owner) => `${c.business}/loyaltypoints`;
  const client = async (c: ApiClient) => {
    const res = await c.post(`${c.business}/client`, { firstName: 'Loyal', lastName: `Client ${Math.random().toString(36).slice(2, 6)}` });
    expect(res.status).toBe(201);
    return res.body.clientId as string;
  };
  const change = (body: Record<string, unknown>, c: ApiClient = owner) =>
    c.post(points(c), { clientId, branchId: c.branchId, description: 'Visit', pointsChange: 10, operationType: 'ADD', ...body });

  beforeAll(async () => {
    api = await startCoreApi();
    owner = await createBusiness(api);
    other = await createBusiness(api);
    clientId = await client(owner);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('adds and deducts points (Phorest’s body), shows them on the client’s loyalty card, and keeps a ledger', async () => {
    const before = await owner.get(`${owner.business}/client/${clientId}`);
    const added = await change({ pointsChange: 120, description: 'Welcome bonus' });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      transactionId: expect.stringMatching(/^[\w-]{22}$/),
      clientId,
      branchId: owner.branchId,
      operationType: 'ADD',
      pointsChange: 120,
      points: 120,
      description: 'Welcome bonus',
      createdBy: expect.any(String),
      createdAt: expect.any(String),
    });
    const deducted = await change({ pointsChange: 20, operationType: 'DEDUCT', description: 'Redeemed for a treatment' });
    expect(deducted.body).toMatchObject({ pointsChange: -20, points: 100 });
    const card = await owner.get(`${owner.business}/client/${clientId}`);
    expect(card.body.loyaltyCard.points).toBe(100);
    expect(card.body.version).toBe(before.body.version + 2);
    const ledger = await owner.get(`${points()}?clientId=${clientId}`);
    expect(ledger.body).toMatchObject({ clientId, points: 100, page: { totalElements: 2, number: 0 } });
    expect(
      ledger.body._embedded.loyaltyTransactions.map((t: { pointsChange: number; points: number }) => [t.pointsChange, t.points]),
    ).toEqual([
      [-20, 100],
      [120, 120],
    ]);
  });

  it('never goes below zero: a deduction beyond the balance is 409, also under 20 concurrent deductions', async () => {
    const id = await client(owner);
    await change({ clientId: id, pointsChange: 100 });
    const over = await change({ clientId: id, pointsChange: 101, operationType: 'DEDUCT' });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'INSUFFICIENT_LOYALTY_POINTS', points: 100 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => change({ clientId: id, pointsChange: 10, operationType: 'DEDUCT' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(10);
    const [row] = await api.app
      .get(DataSource)
      .query(
        'SELECT c.loyalty_points AS points, (SELECT SUM(points_change) FROM loyalty_transaction t WHERE t.client_id = c.id) AS sum FROM client c WHERE c.id = ?',
        [id],
      );
    expect({ points: row.points, sum: Number(row.sum) }).toEqual({ points: 0, sum: 0 });
  });

  it.each([
    ['a zero change', { pointsChange: 0 }, 'pointsChange'],
    ['a negative change', { pointsChange: -5 }, 'pointsChange'],
    ['a fractional change', { pointsChange: 1.5 }, 'pointsChange'],
    ['an unknown operation', { operationType: 'SET' }, 'operationType'],
    ['no description', { description: undefined }, 'description'],
    ['no branch', { branchId: undefined }, 'branchId'],
    ['a malformed client id', { clientId: 'x' }, 'clientId'],
  ])('refuses %s with 400', async (_label, patch, field) => {
    expectValidationError(await change(patch), field);
  });

  it('lets reception change and read points; stylists cannot', async () => {
    const [reception, stylist] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'STYLIST')]);
    expect((await change({}, reception)).status).toBe(200);
    expect((await reception.get(`${points()}?clientId=${clientId}`)).status).toBe(200);
    expect((await change({}, stylist)).status).toBe(403);
    expect((await stylist.get(`${points()}?clientId=${clientId}`)).status).toBe(403);
  });

  it('hides other businesses: their clients and branches answer 404 and keep their points', async () => {
    const theirs = await client(other);
    await change({ clientId: theirs, pointsChange: 50 }, other);
    expectNotFound(await change({ clientId: theirs, operationType: 'DEDUCT', pointsChange: 50 }));
    expectNotFound(await change({ branchId: other.branchId }));
    expectNotFound(await owner.get(`${points()}?clientId=${theirs}`));
    expect((await other.get(`${points(other)}?clientId=${theirs}`)).body.points).toBe(50);
    expectValidationError(await owner.get(points()), 'clientId');
  });
});
