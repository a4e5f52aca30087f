import { DataSource } from 'typeorm';
import { ApiClient, addUser } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { auditFields, expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';
import { createRetailSalon, issueVoucher, nextNumber, RetailSalon } from '../retail/test-support/retail-salon';

describe('vouchers API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: RetailSalon;
  let other: RetailSalon;
  let owner: ApiClient;
  const vouchers = (c: ApiClient = owner) => `${c.business}/voucher`;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createRetailSalon(api);
    other = await createRetailSalon(api);
    owner = salon.owner;
  });
  afterAll(async () => {
    await api?.close();
  });

  /** The balance is the sum of the voucher's history, always. */
  async function expectBalanceIsHistory(voucherId: string) {
    const [row] = await api.app
      .get(DataSource)
      .query(
        'SELECT v.remaining_balance_minor AS balance, (SELECT SUM(amount_minor) FROM voucher_transaction t WHERE t.voucher_id = v.id) AS sum FROM voucher v WHERE v.id = ?',
        [voucherId],
      );
    expect(Number(row.sum)).toBe(row.balance);
    expect(row.balance).toBeGreaterThanOrEqual(0);
  }

  it('issues a voucher with Phorest’s fields, and 412 on a serial number the business has already', async () => {
    const res = await owner.post(vouchers(), {
      serialNumber: 'GV-0001',
      issueDate: '2026-12-01T10:00:00.000Z',
      expiryDate: '2027-12-01T10:00:00.000Z',
      clientId: salon.clients.siobhan,
      creatingBranchId: owner.branchId,
      originalBalance: 75.5,
      notes: 'Christmas',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      voucherId: expect.stringMatching(/^[\w-]{22}$/),
      serialNumber: 'GV-0001',
      issueDate: '2026-12-01T10:00:00.000Z',
      expiryDate: '2027-12-01T10:00:00.000Z',
      originalBalance: 75.5,
      remainingBalance: 75.5,
      currencyCode: 'EUR',
      clientId: salon.clients.siobhan,
      creatingBranchId: owner.branchId,
      notes: 'Christmas',
      soldInPurchaseId: null,
      ...auditFields(),
    });
    const dup = await owner.post(vouchers(), { serialNumber: 'gv-0001', creatingBranchId: owner.branchId, originalBalance: 5 });
    expect(dup.status).toBe(412);
    expect(dup.body).toMatchObject({
      code: 'SERIAL_NUMBER_TAKEN',
      fields: [{ field: 'serialNumber', message: 'already used in this business' }],
    });
    // Another business may use the same serial.
    expect(
      (
        await other.owner.post(vouchers(other.owner), {
          serialNumber: 'GV-0001',
          creatingBranchId: other.owner.branchId,
          originalBalance: 5,
        })
      ).status,
    ).toBe(201);
    const generated = await issueVoucher(owner, 10);
    expect(generated.serialNumber).toMatch(/^[A-Z2-9]{10}$/);
    const history = await owner.get(`${vouchers()}/${res.body.voucherId}/history`);
    expect(history.body._embedded.voucherTransactions).toEqual([
      expect.objectContaining({
        type: 'ISSUE',
        amount: 75.5,
        balanceAfter: 75.5,
        branchId: owner.branchId,
        purchaseId: null,
        createdAt: expect.any(String),
      }),
    ]);
  });

  it.each([
    ['no balance', { originalBalance: undefined }, 'originalBalance'],
    ['a zero balance', { originalBalance: 0 }, 'originalBalance'],
    ['a negative balance', { originalBalance: -5 }, 'originalBalance'],
    ['3 decimals in EUR', { originalBalance: 1.005 }, 'originalBalance'],
    ['no branch', { creatingBranchId: undefined }, 'creatingBranchId'],
    ['a serial with spaces', { serialNumber: 'A B' }, 'serialNumber'],
    ['an expiry before the issue date', { issueDate: '2027-01-01T00:00:00Z', expiryDate: '2026-01-01T00:00:00Z' }, 'expiryDate'],
    ['an expiry that is not a date', { expiryDate: 'soon' }, 'expiryDate'],
    ['an unknown field', { remainingBalance: 5 }, 'remainingBalance'],
  ])('refuses %s with 400', async (_label, patch, field) => {
    expectValidationError(await owner.post(vouchers(), { creatingBranchId: owner.branchId, originalBalance: 20, ...patch }), field);
  });

  it('sets the remaining balance (never below zero), with a version check when one is sent, each change in the history', async () => {
    const v = await issueVoucher(owner, 40);
    const set = await owner.put(`${vouchers()}/${v.voucherId}`, { remainingBalance: 25, note: 'Partly used before migration' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ remainingBalance: 25, originalBalance: 40, version: 2 });
    expectValidationError(await owner.put(`${vouchers()}/${v.voucherId}`, { remainingBalance: -1 }), 'remainingBalance');
    const stale = await owner.put(`${vouchers()}/${v.voucherId}`, { remainingBalance: 10, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await owner.put(`${vouchers()}/${v.voucherId}`, { remainingBalance: 10, version: 2 })).body.remainingBalance).toBe(10);
    const history = (await owner.get(`${vouchers()}/${v.voucherId}/history`)).body._embedded.voucherTransactions;
    expect(history.map((h: { type: string; amount: number; balanceAfter: number }) => [h.type, h.amount, h.balanceAfter])).toEqual([
      ['ISSUE', 40, 40],
      ['ADJUST', -15, 25],
      ['ADJUST', -15, 10],
    ]);
    expect(history[1].note).toBe('Partly used before migration');
    await expectBalanceIsHistory(v.voucherId);
  });

  it('lists with Phorest’s filters (clientId, serialNumber, includeUsed, updated_from) and sends an ETag', async () => {
    const mine = await issueVoucher(owner, 30, { clientId: salon.clients.maeve, serialNumber: `M-${Date.now()}` });
    const used = await issueVoucher(owner, 5, { clientId: salon.clients.maeve });
    await owner.put(`${vouchers()}/${used.voucherId}`, { remainingBalance: 0 });
    const ids = async (query: string) =>
      ((await owner.get(`${vouchers()}${query}`)).body._embedded.vouchers as { voucherId: string }[]).map((v) => v.voucherId);
    expect(await ids(`?clientId=${salon.clients.maeve}`)).toEqual([mine.voucherId]);
    expect((await ids(`?clientId=${salon.clients.maeve}&includeUsed=true`)).sort()).toEqual([mine.voucherId, used.voucherId].sort());
    expect(await ids(`?serialNumber=${mine.serialNumber}`)).toEqual([mine.voucherId]);
    expect(await ids('?updated_from=2999-01-01T00:00:00Z')).toEqual([]);
    const page = await owner.get(`${vouchers()}?size=1&includeUsed=true`);
    expect(page.body.page).toMatchObject({ size: 1, number: 0 });
    expect(page.body.page.totalElements).toBeGreaterThanOrEqual(2);
    const got = await owner.get(`${vouchers()}/${mine.voucherId}`);
    expect(got.headers.get('etag')).toBe(`"${mine.voucherId}.1"`);
    expect((await owner.get(`${vouchers()}/${mine.voucherId}`, { 'if-none-match': got.headers.get('etag')! })).status).toBe(304);
    expectValidationError(await owner.get(`${vouchers()}?clientId=nope`), 'clientId');
  });

  it('redeems at most the balance under 20 concurrent purchases spending all of it: exactly one succeeds', async () => {
    const v = await issueVoucher(owner, 50);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        owner.post(`${owner.branch}/purchase`, {
          number: nextNumber('VC'),
          items: [{ itemType: 'TIP', price: 50 }],
          payments: [{ type: 'VOUCHER', amount: 50, voucherId: v.voucherId }],
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['VOUCHER_INSUFFICIENT_BALANCE']));
    expect((await owner.get(`${vouchers()}/${v.voucherId}`)).body.remainingBalance).toBe(0);
    const history = (await owner.get(`${vouchers()}/${v.voucherId}/history`)).body._embedded.voucherTransactions;
    expect(history.map((h: { type: string }) => h.type)).toEqual(['ISSUE', 'REDEEM']);
    await expectBalanceIsHistory(v.voucherId);
  });

  it('redeems part-payments under 20 concurrent purchases: as many as the balance covers, never below zero', async () => {
    const v = await issueVoucher(owner, 100);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        owner.post(`${owner.branch}/purchase`, {
          number: nextNumber('VP'),
          items: [{ itemType: 'TIP', price: 20 }],
          payments: [
            { type: 'VOUCHER', amount: 15, serialNumber: v.serialNumber },
            { type: 'CARD', amount: 5 },
          ],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    expect(results.filter((r) => r.status === 409)).toHaveLength(14);
    expect((await owner.get(`${vouchers()}/${v.voucherId}`)).body.remainingBalance).toBe(10);
    const history = (await owner.get(`${vouchers()}/${v.voucherId}/history?size=100`)).body._embedded.voucherTransactions;
    expect(history.filter((h: { type: string }) => h.type === 'REDEEM')).toHaveLength(6);
    expect(history.map((h: { balanceAfter: number }) => h.balanceAfter)).toEqual([100, 85, 70, 55, 40, 25, 10]);
    expect(new Set(history.filter((h: { type: string }) => h.type === 'REDEEM').map((h: { purchaseId: string }) => h.purchaseId))).toEqual(
      new Set(results.filter((r) => r.status === 201).map((r) => r.body.purchaseId)),
    );
    await expectBalanceIsHistory(v.voucherId);
  });

  it('lets reception read vouchers (they sell them at the till), managers issue and adjust; stylists none of it', async () => {
    const [reception, stylist, manager] = await Promise.all([
      addUser(api, owner, 'RECEPTION'),
      addUser(api, owner, 'STYLIST'),
      addUser(api, owner, 'MANAGER'),
    ]);
    const v = await issueVoucher(owner, 10);
    expect((await reception.get(`${vouchers()}/${v.voucherId}`)).status).toBe(200);
    expect((await reception.get(`${vouchers()}/${v.voucherId}/history`)).status).toBe(200);
    expect((await reception.post(vouchers(), { creatingBranchId: owner.branchId, originalBalance: 5 })).status).toBe(403);
    expect((await reception.put(`${vouchers()}/${v.voucherId}`, { remainingBalance: 100 })).status).toBe(403);
    expect((await stylist.get(vouchers())).status).toBe(403);
    expect((await manager.post(vouchers(), { creatingBranchId: owner.branchId, originalBalance: 5 })).status).toBe(201);
  });

  it('hides other businesses: their vouchers, branches and clients answer 404', async () => {
    const theirs = await issueVoucher(other.owner, 20);
    expectNotFound(await owner.get(`${vouchers()}/${theirs.voucherId}`));
    expectNotFound(await owner.put(`${vouchers()}/${theirs.voucherId}`, { remainingBalance: 0 }));
    expectNotFound(await owner.get(`${vouchers()}/${theirs.voucherId}/history`));
    expectNotFound(await owner.post(vouchers(), { creatingBranchId: other.owner.branchId, originalBalance: 5 }));
    expectNotFound(await owner.post(vouchers(), { creatingBranchId: owner.branchId, originalBalance: 5, clientId: other.clients.siobhan }));
    expect((await owner.get(`${vouchers()}?serialNumber=${theirs.serialNumber}`)).body._embedded.vouchers).toEqual([]);
    expect((await other.owner.get(`${vouchers(other.owner)}/${theirs.voucherId}`)).body.remainingBalance).toBe(20);
  });
});
