import { DataSource } from 'typeorm';
import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { newId } from '../../shared/ids';
import { expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';
import { bookAppointment, createRetailSalon, nextNumber, RetailSalon } from '../retail/test-support/retail-salon';

describe('reports API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: RetailSalon;
  let owner: ApiClient;
  let today: string;
  const report = (name: string, query: string, c: ApiClient = owner) => c.get(`${c.branch}/report/${name}?${query}`);

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createRetailSalon(api);
    owner = salon.owner;
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('revenue', () => {
    beforeAll(async () => {
      // Today: a cut (Aoife), two shampoos sold by Conor, a tip, a voucher; then one shampoo refunded.
      const appointmentId = await bookAppointment(salon);
      const sale = await owner.post(`${owner.branch}/purchase`, {
        number: nextNumber(),
        staffId: salon.staff.conor,
        items: [
          { appointmentId },
          { productId: salon.products.shampoo, quantity: 2 },
          { itemType: 'TIP', price: 5, staffId: salon.staff.aoife },
          { itemType: 'VOUCHER', price: 20 },
        ],
        payments: [{ type: 'CARD', amount: 129 }],
      });
      expect(sale.status).toBe(201);
      today = sale.body.purchaseDate;
      const refund = await owner.post(`${owner.branch}/purchase/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        items: [{ purchaseItemId: sale.body.items[1].purchaseItemId, quantity: 1 }],
        payments: [{ type: 'CARD', amount: 24.5 }],
      });
      expect(refund.status).toBe(201);
    });

    it('adds up revenue (refunds taken off on their day), with the tax split, by day, staff, service and product', async () => {
      const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const res = await report('revenue', `from_date=${yesterday}&to_date=${today}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        branchId: owner.branchId,
        currencyCode: 'EUR',
        fromDate: yesterday,
        toDate: today,
        staffId: null,
        totals: { revenue: 79.5, net: 68.38, tax: 11.12, discounts: 0, services: 55, products: 24.5, tips: 5, vouchersSold: 20, lines: 5 },
        taxSplit: [
          { taxRate: 13.5, total: 55, net: 48.46, tax: 6.54 },
          { taxRate: 23, total: 24.5, net: 19.92, tax: 4.58 },
        ],
        byDay: [
          { date: yesterday, total: 0, net: 0, tax: 0 },
          { date: today, total: 79.5, net: 68.38, tax: 11.12 },
        ],
        byStaff: [
          { staffId: salon.staff.aoife, name: 'Aoife', total: 55, net: 48.46, tax: 6.54, services: 55, products: 0 },
          { staffId: salon.staff.conor, name: 'Conor', total: 24.5, net: 19.92, tax: 4.58, services: 0, products: 24.5 },
        ],
        byService: [{ serviceId: salon.services.cut, name: 'Cut', quantity: 1, total: 55, net: 48.46, tax: 6.54 }],
        byProduct: [
          { productId: salon.products.shampoo, name: 'Shampoo', quantity: 1, total: 24.5, net: 19.92, tax: 4.58, cost: 10, margin: 9.92 },
        ],
      });
    });

    it('narrows to one staff member', async () => {
      const res = await report('revenue', `from_date=${today}&to_date=${today}&staff_id=${salon.staff.aoife}`);
      expect(res.body.totals).toMatchObject({ revenue: 55, services: 55, products: 0, tips: 5 });
      expect(res.body.byStaff).toEqual([expect.objectContaining({ staffId: salon.staff.aoife })]);
    });

    it('draws revenue by day as SVG', async () => {
      const res = await report('revenue.svg', `from_date=${today}&to_date=${today}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(res.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(res.body).toContain(`Revenue by day, ${today} to ${today} (EUR)`);
      expect(res.body).toContain(': 79.50 EUR</title>');
    });
  });

  describe('appointments and utilisation', () => {
    const day = '2027-05-10'; // a Monday; Dublin is UTC+1
    let ids: Record<string, string>;

    beforeAll(async () => {
      const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
      ids = {
        done: await bookAppointment(salon, salon.services.cut, salon.staff.aoife, salon.clients.siobhan, at('09:00')),
        booked: await bookAppointment(salon, salon.services.colour, salon.staff.aoife, salon.clients.maeve, at('11:00')),
        noShow: await bookAppointment(salon, salon.services.cut, salon.staff.conor, salon.clients.maeve, at('09:00')),
        cancelled: await bookAppointment(salon, salon.services.blowDry, salon.staff.conor, salon.clients.siobhan, at('11:00')),
        online: await bookAppointment(salon, salon.services.blowDry, salon.staff.conor, salon.clients.siobhan, at('13:00')),
      };
      await owner.post(`${owner.branch}/appointment/${ids.done}/start`);
      await owner.post(`${owner.branch}/appointment/${ids.done}/complete`);
      await owner.post(`${owner.branch}/appointment/${ids.noShow}/no-show`);
      await owner.post(`${owner.branch}/appointment/${ids.cancelled}/cancel`);
      await api.app.get(DataSource).query("UPDATE appointment SET source = 'ONLINE' WHERE id = ?", [ids.online]);
      const lunch = await owner.post(`${owner.branch}/staff/${salon.staff.aoife}/break`, {
        breakDate: day,
        startTime: '15:00',
        endTime: '15:30',
      });
      expect(lunch.status).toBe(201);
    });

    it('counts booked, completed, cancelled, no-shows (rate over those not cancelled) and online against front desk', async () => {
      const res = await report('appointments', `from_date=${day}&to_date=${day}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        booked: 5,
        completed: 1,
        cancelled: 1,
        noShows: 1,
        noShowRate: 0.25,
        online: 1,
        frontDesk: 4,
        onlineShare: 0.2,
      });
      expect(res.body.byStaff).toEqual([
        expect.objectContaining({
          staffId: salon.staff.conor,
          name: 'Conor',
          booked: 3,
          cancelled: 1,
          noShows: 1,
          noShowRate: 0.5,
          online: 1,
        }),
        expect.objectContaining({ staffId: salon.staff.aoife, name: 'Aoife', booked: 2, completed: 1, noShows: 0, online: 0 }),
      ]);
      const aoife = await report('appointments', `from_date=${day}&to_date=${day}&staff_id=${salon.staff.aoife}`);
      expect(aoife.body).toMatchObject({ booked: 2, staffId: salon.staff.aoife });
      expect((await report('appointments', 'from_date=2027-05-11&to_date=2027-05-11')).body).toMatchObject({
        booked: 0,
        noShowRate: 0,
        onlineShare: 0,
      });
    });

    it('works out utilisation as booked stylist hours over rostered hours (breaks out, gaps out, no-shows in, cancellations out)', async () => {
      const res = await report('utilisation', `from_date=${day}&to_date=${day}`);
      expect(res.status).toBe(200);
      // Aoife: 8 h rostered − 0.5 h break; cut 0.75 h + colour 1.5 h − 0.5 h gap. Conor: 8 h; cut 0.75 h (no-show) + blow dry 0.5 h.
      expect(res.body.byStaff).toEqual([
        { staffId: salon.staff.aoife, name: 'Aoife', rosteredHours: 7.5, bookedHours: 1.75, utilisation: 0.2333 },
        { staffId: salon.staff.conor, name: 'Conor', rosteredHours: 8, bookedHours: 1.25, utilisation: 0.1563 },
      ]);
      expect(res.body).toMatchObject({ rosteredHours: 15.5, bookedHours: 3, utilisation: 0.1935 });
      const chart = await report('utilisation.svg', `from_date=${day}&to_date=${day}`);
      expect(chart.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(chart.body).toContain('>23%</text>');
      expect(chart.body).toContain('>16%</text>');
    });
  });

  describe('retention', () => {
    it('is the share of clients who came back within N weeks of their first visit in the range', async () => {
      const biz = await createBusiness(api);
      const ds = api.app.get(DataSource);
      const staff = newId();
      const service = newId();
      await ds.query(
        'INSERT INTO staff (id, business_id, branch_id, first_name, created_at, updated_at) VALUES (?, ?, ?, ?, NOW(3), NOW(3))',
        [staff, biz.businessId, biz.branchId, 'Retained'],
      );
      await ds.query(
        'INSERT INTO service (id, business_id, branch_id, name, duration_minutes, price_minor, created_at, updated_at) VALUES (?, ?, ?, ?, 30, 1000, NOW(3), NOW(3))',
        [service, biz.businessId, biz.branchId, 'Trim'],
      );
      const clients = await Promise.all(
        [1, 2, 3, 4, 5].map(
          async (i) => (await biz.post(`${biz.business}/client`, { firstName: `C${i}`, lastName: 'Retention' })).body.clientId as string,
        ),
      );
      const visit = (client: string, at: string, state = 'COMPLETED', activation = 'ACTIVE') =>
        ds.query(
          `INSERT INTO appointment (id, business_id, branch_id, client_id, staff_id, service_id, start_at, end_at, busy_end_at, state, activation_state, price_minor, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1000, NOW(3), NOW(3))`,
          [
            newId(),
            biz.businessId,
            biz.branchId,
            client,
            staff,
            service,
            new Date(at),
            new Date(Date.parse(at) + 1_800_000),
            new Date(Date.parse(at) + 1_800_000),
            state,
            activation,
          ],
        );
      const [c1, c2, c3, c4, c5] = clients;
      await visit(c1, '2026-03-02T10:00:00Z');
      await visit(c1, '2026-03-20T10:00:00Z'); // back in 18 days
      await visit(c2, '2026-03-05T10:00:00Z');
      await visit(c2, '2026-03-05T14:00:00Z'); // the same day is not a return
      await visit(c2, '2026-05-01T10:00:00Z'); // 8 weeks later: too late
      await visit(c3, '2026-03-10T10:00:00Z');
      await visit(c3, '2026-03-15T10:00:00Z', 'NO_SHOW'); // not a visit
      await visit(c4, '2026-03-28T10:00:00Z');
      await visit(c4, '2026-04-10T10:00:00Z'); // after the range, within 4 weeks
      await visit(c5, '2026-03-12T10:00:00Z', 'BOOKED', 'CANCELED'); // never came
      const res = await biz.get(`${biz.branch}/report/retention?from_date=2026-03-01&to_date=2026-03-31&weeks=4`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        branchId: biz.branchId,
        fromDate: '2026-03-01',
        toDate: '2026-03-31',
        staffId: null,
        weeks: 4,
        clients: 4,
        returned: 2,
        pending: 0,
        retentionRate: 0.5,
      });
      expect((await biz.get(`${biz.branch}/report/retention?from_date=2026-03-01&to_date=2026-03-31&weeks=10`)).body).toMatchObject({
        clients: 4,
        returned: 3,
        retentionRate: 0.75,
      });
      expectValidationError(await biz.get(`${biz.branch}/report/retention?from_date=2026-03-01&to_date=2026-03-31&weeks=0`), 'weeks');
    });
  });

  describe('stock', () => {
    it('values the stock at cost and retail and lists what is low', async () => {
      const biz = await createBusiness(api);
      const product = async (body: object) => (await biz.post(`${biz.branch}/product`, body)).body.productId as string;
      await product({ name: 'Argan oil', price: 10, costPrice: 4, openingStock: 10, reorderLevel: 2 });
      const empty = await product({ name: 'Balm', price: 8, costPrice: 2, reorderLevel: 1 });
      const colour = await product({
        name: 'Colour tube',
        type: 'PROFESSIONAL',
        price: 12,
        costPrice: 5,
        openingStock: 3,
        reorderLevel: 5,
      });
      const gone = await product({ name: 'Old stock', price: 1, costPrice: 1, openingStock: 100 });
      await biz.delete(`${biz.branch}/product/${gone}`);
      const res = await biz.get(`${biz.branch}/report/stock`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        branchId: biz.branchId,
        currencyCode: 'EUR',
        valuation: {
          products: 3,
          units: 13,
          cost: 55,
          retail: 136,
          byType: expect.arrayContaining([
            { type: 'RETAIL', units: 10, cost: 40 },
            { type: 'PROFESSIONAL', units: 3, cost: 15 },
          ]),
        },
        outOfStock: 1,
        lowStock: [
          { productId: colour, name: 'Colour tube', type: 'PROFESSIONAL', quantityInStock: 3, reorderLevel: 5, shortfall: 2, costPrice: 5 },
          { productId: empty, name: 'Balm', type: 'RETAIL', quantityInStock: 0, reorderLevel: 1, shortfall: 1, costPrice: 2 },
        ],
      });
    });
  });

  it.each([
    ['no dates', '', 'from_date'],
    ['a malformed date', 'from_date=2026-1-1&to_date=2026-01-02', 'from_date'],
    ['a bad staff id', 'from_date=2026-01-01&to_date=2026-01-02&staff_id=nope', 'staff_id'],
  ])('refuses %s with 400', async (_label, query, field) => {
    expectValidationError(await report('revenue', query), field);
  });

  it('refuses a range over 366 days or backwards (400), and another business’s staff (404)', async () => {
    expect((await report('appointments', 'from_date=2025-01-01&to_date=2026-01-03')).body.code).toBe('DATE_RANGE_TOO_LONG');
    expect((await report('utilisation', 'from_date=2026-01-02&to_date=2026-01-01')).body.code).toBe('INVALID_DATE_RANGE');
    expect((await report('revenue', 'from_date=2025-01-01&to_date=2025-12-31')).status).toBe(200);
    const other = await createRetailSalon(api);
    expectNotFound(await report('revenue', `from_date=2026-01-01&to_date=2026-01-02&staff_id=${other.staff.aoife}`));
    expect((await owner.get(`${owner.business}/branch/${other.owner.branchId}/report/stock`)).status).toBe(404);
  });

  it('documents the till, stock, voucher, loyalty, report and export routes in the OpenAPI document', async () => {
    const doc = await owner.as(undefined).get('/docs-json');
    const paths = Object.keys(doc.body.paths);
    const base = '/third-party-api-server/api/business/{businessId}';
    const branch = `${base}/branch/{branchId}`;
    for (const path of [
      `${branch}/product/{productId}`,
      `${branch}/taxrate/{taxRateId}`,
      `${branch}/stock/adjustment`,
      `${branch}/stock/take`,
      `${branch}/inventorytransaction`,
      `${branch}/purchase`,
      `${branch}/purchase/{purchaseId}/refund`,
      `${branch}/purchase/{purchaseId}/void`,
      `${branch}/till/{tillId}/balance`,
      `${branch}/till/{tillId}/open`,
      `${base}/voucher/{voucherId}/history`,
      `${base}/loyaltypoints`,
      `${branch}/report/revenue`,
      `${branch}/report/utilisation.svg`,
      `${branch}/csvexportjob/{jobId}`,
      `${branch}/csvexportjob/{jobId}/download`,
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('is for managers and owners only', async () => {
    const [reception, manager] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'MANAGER')]);
    for (const name of ['revenue', 'revenue.svg', 'appointments', 'utilisation', 'utilisation.svg', 'retention', 'stock']) {
      expect({ name, status: (await report(name, 'from_date=2026-01-01&to_date=2026-01-02', reception)).status }).toEqual({
        name,
        status: 403,
      });
    }
    expect((await report('revenue', 'from_date=2026-01-01&to_date=2026-01-02', manager)).status).toBe(200);
  });
});
