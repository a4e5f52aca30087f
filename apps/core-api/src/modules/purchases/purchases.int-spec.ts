import { DataSource } from 'typeorm';
import { ApiClient, addUser } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { expectNotFound } from '../catalogue/test-support/catalogue-checks';
import {
  bookAppointment,
  createRetailSalon,
  issueVoucher,
  nextNumber,
  outboxPayload,
  outboxTypesMentioning,
  RetailSalon,
  stockOf,
} from '../retail/test-support/retail-salon';

describe('purchases API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: RetailSalon;
  let other: RetailSalon;
  let owner: ApiClient;
  const purchases = (c: ApiClient = owner) => `${c.branch}/purchase`;
  const buy = (body: Record<string, unknown>, c: ApiClient = owner) => c.post(purchases(c), { number: nextNumber(), ...body });

  beforeAll(async () => {
    api = await startCoreApi();
    // One after the other: two salons set up at once can deadlock in the rosters module (answered 503).
    salon = await createRetailSalon(api);
    other = await createRetailSalon(api);
    owner = salon.owner;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('rings up an appointment, products and a tip: tax per line, cash change, the appointment completed, stock out, purchase.completed', async () => {
    const appointmentId = await bookAppointment(salon);
    const number = nextNumber();
    const res = await owner.post(purchases(), {
      number,
      items: [
        { appointmentId },
        { productId: salon.products.shampoo, quantity: 2 },
        { itemType: 'TIP', price: 5, staffId: salon.staff.aoife },
      ],
      payments: [{ type: 'CASH', amount: 120 }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      purchaseId: expect.stringMatching(/^[\w-]{22}$/),
      number,
      transactionId: number,
      kind: 'SALE',
      clientId: salon.clients.siobhan,
      currencyCode: 'EUR',
      grossAmount: 109,
      discount: 0,
      total: 109,
      tax: 15.7,
      net: 93.3,
      tips: 5,
      amountPaid: 109,
      changeDue: 11,
      payments: [{ type: 'CASH', amount: 109, tendered: 120, voucherId: null, reference: null }],
      taxBreakdown: [
        { taxRate: 0, net: 5, tax: 0, total: 5 },
        { taxRate: 13.5, net: 48.46, tax: 6.54, total: 55 },
        { taxRate: 23, net: 39.84, tax: 9.16, total: 49 },
      ],
    });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        itemType: 'APPOINTMENT',
        appointmentId,
        serviceId: salon.services.cut,
        staffId: salon.staff.aoife,
        description: 'Cut',
        quantity: 1,
        price: 55,
        total: 55,
        tax: 6.54,
        taxRate: 13.5,
        taxRateId: salon.rates.services,
        refundedQuantity: 0,
      }),
      expect.objectContaining({
        itemType: 'PRODUCT',
        productId: salon.products.shampoo,
        quantity: 2,
        price: 24.5,
        total: 49,
        tax: 9.16,
        net: 39.84,
        taxRateId: salon.rates.products,
      }),
      expect.objectContaining({ itemType: 'TIP', staffId: salon.staff.aoife, total: 5, tax: 0, taxRate: 0, taxRateId: null }),
    ]);
    const appointment = await owner.get(`${owner.branch}/appointment/${appointmentId}`);
    expect(appointment.body).toMatchObject({ state: 'COMPLETED', version: 3 });
    expect(await stockOf(owner, salon.products.shampoo)).toBe(18);
    expect(await outboxTypesMentioning(api, res.body.purchaseId)).toEqual(['purchase.completed']);
    expect((await outboxTypesMentioning(api, appointmentId)).slice(-3)).toEqual([
      'appointment.checked_in',
      'appointment.completed',
      'purchase.completed',
    ]);
    const event = await outboxPayload(api, 'purchase.completed', res.body.purchaseId);
    expect(event).toMatchObject({
      type: 'purchase.completed',
      version: 1,
      businessId: owner.businessId,
      branchId: owner.branchId,
      data: {
        purchaseId: res.body.purchaseId,
        number,
        kind: 'SALE',
        totalMinor: 10900,
        taxMinor: 1570,
        tipMinor: 500,
        changeMinor: 1100,
        currency: 'EUR',
        completedAppointmentIds: [appointmentId],
      },
    });
    const stored = await owner.get(`${purchases()}/${res.body.purchaseId}`);
    expect(stored.body).toEqual(res.body);
    expect(stored.headers.get('etag')).toBe(`"${res.body.purchaseId}.1"`);
  });

  it('answers each item’s itemId (the reference’s, read with itemType) beside purchaseItemId and the typed ids', async () => {
    const appointmentId = await bookAppointment(salon);
    const res = await buy({
      clientId: salon.clients.siobhan,
      items: [
        { itemType: 'APPOINTMENT', itemId: appointmentId },
        { itemType: 'PRODUCT', itemId: salon.products.shampoo, quantity: 1 },
        { serviceId: salon.services.cut, staffId: salon.staff.aoife },
        { itemType: 'VOUCHER', price: 10 },
        { itemType: 'TIP', price: 2, staffId: salon.staff.aoife },
      ],
      payments: [{ type: 'CARD', amount: 146.5 }],
    });
    expect(res.status).toBe(201);
    const items = res.body.items as Record<string, unknown>[];
    expect(items.map((i) => [i.itemType, i.itemId])).toEqual([
      ['APPOINTMENT', appointmentId],
      ['PRODUCT', salon.products.shampoo],
      ['SERVICE', salon.services.cut],
      ['VOUCHER', items[3].voucherId],
      ['TIP', null],
    ]);
    expect(items[0]).toMatchObject({ appointmentId, purchaseItemId: expect.any(Number) });
    expect(items[1]).toMatchObject({ productId: salon.products.shampoo });
    expect(items[3].voucherId).toEqual(expect.stringMatching(/^[\w-]{22}$/));
    const read = await owner.get(`${purchases()}/${res.body.purchaseId}`);
    expect(read.body.items.map((i: { itemId: string | null }) => i.itemId)).toEqual(items.map((i) => i.itemId));
  });

  it('takes split tenders (card, voucher, cash with change) and keeps every amount exact', async () => {
    const voucher = await issueVoucher(owner, 20);
    const res = await buy({
      clientId: salon.clients.maeve,
      items: [{ productId: salon.products.conditioner, quantity: 3 }],
      payments: [
        { type: 'VOUCHER', amount: 20, serialNumber: voucher.serialNumber },
        { type: 'CARD', amount: 30, reference: 'AUTH-1' },
        { type: 'CASH', amount: 10 },
      ],
    });
    expect(res.status).toBe(201);
    // 3 × 19.99 = 59.97: voucher 20 + card 30 + cash 9.97 (0.03 change)
    expect(res.body).toMatchObject({ total: 59.97, amountPaid: 59.97, changeDue: 0.03 });
    expect(res.body.payments).toEqual([
      { type: 'VOUCHER', amount: 20, tendered: 20, voucherId: voucher.voucherId, reference: null },
      { type: 'CARD', amount: 30, tendered: 30, voucherId: null, reference: 'AUTH-1' },
      { type: 'CASH', amount: 9.97, tendered: 10, voucherId: null, reference: null },
    ]);
    expect((await owner.get(`${owner.business}/voucher/${voucher.voucherId}`)).body.remainingBalance).toBe(0);
  });

  it('applies discounts per line (amount or percentage, half-up to the cent) before tax', async () => {
    const res = await buy({
      items: [
        { serviceId: salon.services.colour, discountPercent: 12.5 },
        { productId: salon.products.conditioner, discount: 4.99 },
      ],
      payments: [{ type: 'CARD', amount: 98.12 }],
    });
    expect(res.status).toBe(201);
    // Colour 95 − 12.5% (11.875 → 11.88) = 83.12; conditioner 19.99 − 4.99 = 15.00.
    expect(res.body.items.map((i: Record<string, number>) => [i.grossAmount, i.discount, i.total, i.net, i.tax])).toEqual([
      [95, 11.88, 83.12, 73.23, 9.89],
      [19.99, 4.99, 15, 12.2, 2.8],
    ]);
    expect(res.body).toMatchObject({ grossAmount: 114.99, discount: 16.87, total: 98.12, tax: 12.69, changeDue: 0 });
  });

  it('refuses tenders that do not cover the total (400 PAYMENT_SHORT) and changes nothing', async () => {
    const appointmentId = await bookAppointment(salon);
    const before = await stockOf(owner, salon.products.shampoo);
    const number = nextNumber();
    const body = {
      number,
      items: [{ appointmentId }, { productId: salon.products.shampoo }],
      payments: [
        { type: 'CARD', amount: 50 },
        { type: 'CASH', amount: 29.49 },
      ],
    };
    const res = await owner.post(purchases(), body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'PAYMENT_SHORT', fields: [{ field: 'payments', message: 'must cover 79.5 EUR' }] });
    expect(await stockOf(owner, salon.products.shampoo)).toBe(before);
    expect((await owner.get(`${owner.branch}/appointment/${appointmentId}`)).body.state).toBe('BOOKED');
    // The number was not used up: the corrected purchase goes through with it.
    const fixed = await owner.post(purchases(), {
      ...body,
      payments: [
        { type: 'CARD', amount: 50 },
        { type: 'CASH', amount: 29.5 },
      ],
    });
    expect(fixed.status).toBe(201);
    expect(
      (
        await owner.post(purchases(), {
          ...body,
          number: nextNumber(),
          items: [{ productId: salon.products.shampoo }],
          payments: [{ type: 'CARD', amount: 30 }],
        })
      ).body.code,
    ).toBe('OVERPAYMENT');
    expect((await buy({ items: [{ productId: salon.products.shampoo }], payments: [] })).body.code).toBe('PAYMENT_SHORT');
  });

  it('replays a purchase number sent again with the same body: the first purchase, nothing charged twice; another body is 409', async () => {
    const voucher = await issueVoucher(owner, 100);
    const stockBefore = await stockOf(owner, salon.products.shampoo);
    const body = {
      number: nextNumber('R'),
      items: [{ productId: salon.products.shampoo }],
      payments: [{ type: 'VOUCHER', amount: 24.5, voucherId: voucher.voucherId }],
    };
    const first = await owner.post(purchases(), body);
    expect(first.status).toBe(201);
    const again = await owner.post(purchases(), body);
    expect(again.status).toBe(200);
    expect(again.headers.get('purchase-replayed')).toBe('true');
    expect(again.body.purchaseId).toBe(first.body.purchaseId);
    expect(await stockOf(owner, salon.products.shampoo)).toBe(stockBefore - 1);
    expect((await owner.get(`${owner.business}/voucher/${voucher.voucherId}`)).body.remainingBalance).toBe(75.5);
    const different = await owner.post(purchases(), {
      ...body,
      items: [{ productId: salon.products.shampoo, quantity: 2 }],
      payments: [{ type: 'CARD', amount: 49 }],
    });
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({
      code: 'PURCHASE_NUMBER_TAKEN',
      purchaseId: first.body.purchaseId,
      fields: [{ field: 'number', message: 'already used in this branch' }],
    });
    // Another branch may use the same number.
    expect(
      (
        await other.owner.post(purchases(other.owner), {
          ...body,
          items: [{ productId: other.products.shampoo }],
          payments: [{ type: 'CARD', amount: 24.5 }],
        })
      ).status,
    ).toBe(201);
  });

  it('replays 12 concurrent copies of one purchase as one: one 201, the rest the same purchase, stock and voucher touched once', async () => {
    const voucher = await issueVoucher(owner, 50);
    const appointmentId = await bookAppointment(salon);
    const stockBefore = await stockOf(owner, salon.products.conditioner);
    const body = {
      number: nextNumber('C'),
      items: [{ appointmentId }, { productId: salon.products.conditioner }],
      payments: [
        { type: 'VOUCHER', amount: 50, voucherId: voucher.voucherId },
        { type: 'CASH', amount: 50 },
      ],
    };
    const results = await Promise.all(Array.from({ length: 12 }, () => owner.post(purchases(), body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.purchaseId)).size).toBe(1);
    expect(await stockOf(owner, salon.products.conditioner)).toBe(stockBefore - 1);
    const history = (await owner.get(`${owner.business}/voucher/${voucher.voucherId}/history`)).body._embedded.voucherTransactions;
    expect(history.map((h: { type: string; amount: number }) => [h.type, h.amount])).toEqual([
      ['ISSUE', 50],
      ['REDEEM', -50],
    ]);
    const [{ n }] = await api.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM purchase WHERE branch_id = ? AND number = ?', [owner.branchId, body.number]);
    expect(Number(n)).toBe(1);
    expect((await owner.get(`${owner.branch}/appointment/${appointmentId}`)).body.state).toBe('COMPLETED');
  });

  describe('appointments', () => {
    it('pays for a completed appointment without moving it; refuses a no-show, a cancelled one, and paying twice', async () => {
      const done = await bookAppointment(salon);
      await owner.post(`${owner.branch}/appointment/${done}/start`);
      await owner.post(`${owner.branch}/appointment/${done}/complete`);
      const version = (await owner.get(`${owner.branch}/appointment/${done}`)).body.version;
      const paid = await buy({ items: [{ itemType: 'APPOINTMENT', itemId: done }], payments: [{ type: 'CARD', amount: 55 }] });
      expect(paid.status).toBe(201);
      expect((await owner.get(`${owner.branch}/appointment/${done}`)).body.version).toBe(version);
      const twice = await buy({ items: [{ appointmentId: done }], payments: [{ type: 'CARD', amount: 55 }] });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('APPOINTMENT_ALREADY_PAID');

      const noShow = await bookAppointment(salon);
      await owner.post(`${owner.branch}/appointment/${noShow}/no-show`);
      const refused = await buy({ items: [{ appointmentId: noShow }], payments: [{ type: 'CARD', amount: 55 }] });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION', currentState: 'NO_SHOW' });

      const cancelled = await bookAppointment(salon);
      await owner.post(`${owner.branch}/appointment/${cancelled}/cancel`);
      expect((await buy({ items: [{ appointmentId: cancelled }], payments: [{ type: 'CARD', amount: 55 }] })).body.code).toBe(
        'ILLEGAL_STATE_TRANSITION',
      );
    });

    it('takes a price other than the appointment’s, and a refund of it lets it be paid again', async () => {
      const appointmentId = await bookAppointment(salon);
      const sale = await buy({ items: [{ appointmentId, price: 40 }], payments: [{ type: 'CARD', amount: 40 }] });
      expect(sale.body.total).toBe(40);
      const refund = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        payments: [{ type: 'CARD', amount: 40 }],
      });
      expect(refund.status).toBe(201);
      expect((await owner.get(`${owner.branch}/appointment/${appointmentId}`)).body.state).toBe('COMPLETED');
      expect((await buy({ items: [{ appointmentId }], payments: [{ type: 'CARD', amount: 55 }] })).status).toBe(201);
    });
  });

  describe('stock', () => {
    it('refuses to sell more than is in stock (409 INSUFFICIENT_STOCK) and refuses professional and archived products', async () => {
      const product = (await owner.post(`${owner.branch}/product`, { name: 'Last two', price: 5, openingStock: 2 })).body.productId;
      const res = await buy({ items: [{ productId: product, quantity: 3 }], payments: [{ type: 'CARD', amount: 15 }] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        available: 2,
        requested: 3,
        fields: [{ field: 'items[0].quantity', message: 'only 2 in stock' }],
      });
      expect(await stockOf(owner, product)).toBe(2);
      expect((await buy({ items: [{ productId: salon.products.bleach }], payments: [{ type: 'CARD', amount: 30 }] })).body.code).toBe(
        'PRODUCT_NOT_FOR_SALE',
      );
      await owner.delete(`${owner.branch}/product/${product}`);
      expect((await buy({ items: [{ productId: product }], payments: [{ type: 'CARD', amount: 5 }] })).body.code).toBe('PRODUCT_ARCHIVED');
    });
  });

  describe('vouchers sold at the till', () => {
    it('issues a voucher worth the line’s price, with the serial given (412 when taken) or a generated one', async () => {
      const serial = `GIFT-${Date.now()}`;
      const res = await buy({
        clientId: salon.clients.maeve,
        items: [
          { itemType: 'VOUCHER', price: 50, voucherSerialNumber: serial, voucherExpiryDate: '2030-01-01T00:00:00Z', discount: 5 },
          { itemType: 'VOUCHER', price: 25 },
        ],
        payments: [{ type: 'CARD', amount: 70 }],
      });
      expect(res.status).toBe(201);
      expect(
        res.body.items.map((i: { voucherSerialNumber: string; total: number; tax: number }) => [i.voucherSerialNumber, i.total, i.tax]),
      ).toEqual([
        [serial, 45, 0],
        [expect.stringMatching(/^[A-Z2-9]{10}$/), 25, 0],
      ]);
      const voucher = await owner.get(`${owner.business}/voucher/${res.body.items[0].voucherId}`);
      expect(voucher.body).toMatchObject({
        serialNumber: serial,
        originalBalance: 50,
        remainingBalance: 50,
        clientId: salon.clients.maeve,
        soldInPurchaseId: res.body.purchaseId,
        expiryDate: '2030-01-01T00:00:00.000Z',
      });
      const taken = await buy({
        items: [{ itemType: 'VOUCHER', price: 10, voucherSerialNumber: serial }],
        payments: [{ type: 'CARD', amount: 10 }],
      });
      expect(taken.status).toBe(412);
      expect(taken.body).toMatchObject({
        code: 'SERIAL_NUMBER_TAKEN',
        fields: [{ field: 'items[0].voucherSerialNumber', message: 'already used in this business' }],
      });
    });

    it('refuses an expired voucher, an unknown one (404) and more than its balance (409), and never charges a refused purchase', async () => {
      const expired = await issueVoucher(owner, 10, { issueDate: '2020-01-01T00:00:00Z', expiryDate: '2021-01-01T00:00:00Z' });
      const r1 = await buy({
        items: [{ productId: salon.products.shampoo }],
        payments: [
          { type: 'VOUCHER', amount: 10, voucherId: expired.voucherId },
          { type: 'CARD', amount: 14.5 },
        ],
      });
      expect(r1.status).toBe(409);
      expect(r1.body).toMatchObject({ code: 'VOUCHER_EXPIRED', fields: [{ field: 'payments[0]', message: 'expired' }] });
      const unknown = await buy({
        items: [{ productId: salon.products.shampoo }],
        payments: [{ type: 'VOUCHER', amount: 24.5, serialNumber: 'NOPE-NOPE' }],
      });
      expectNotFound(unknown);
      const small = await issueVoucher(owner, 10);
      const r3 = await buy({
        items: [{ productId: salon.products.shampoo }],
        payments: [{ type: 'VOUCHER', amount: 24.5, voucherId: small.voucherId }],
      });
      expect(r3.status).toBe(409);
      expect(r3.body).toMatchObject({ code: 'VOUCHER_INSUFFICIENT_BALANCE', remainingBalance: 10 });
      expect((await owner.get(`${owner.business}/voucher/${small.voucherId}`)).body.remainingBalance).toBe(10);
    });
  });

  describe('refunds and voids', () => {
    it('refunds part of a sale as a new purchase with negative amounts, puts products back, and never refunds a unit twice', async () => {
      const voucher = await issueVoucher(owner, 30);
      const sale = await buy({
        items: [{ productId: salon.products.conditioner, quantity: 3 }, { serviceId: salon.services.blowDry }],
        payments: [
          { type: 'VOUCHER', amount: 30, voucherId: voucher.voucherId },
          { type: 'CARD', amount: 59.97 },
        ],
      });
      expect(sale.status).toBe(201);
      const [conditioner, blowDry] = sale.body.items;
      const stock = await stockOf(owner, salon.products.conditioner);
      const refund = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        items: [{ purchaseItemId: conditioner.purchaseItemId, quantity: 1 }],
        payments: [{ type: 'CARD', amount: 19.99 }],
      });
      expect({ status: refund.status, body: refund.status === 201 ? null : refund.body }).toEqual({ status: 201, body: null });
      expect(refund.body).toMatchObject({
        kind: 'REFUND',
        originalPurchaseId: sale.body.purchaseId,
        total: -19.99,
        tax: -3.74,
        payments: [{ type: 'CARD', amount: -19.99 }],
      });
      expect(refund.body.items).toEqual([
        expect.objectContaining({ itemType: 'PRODUCT', quantity: -1, total: -19.99, originalPurchaseItemId: conditioner.purchaseItemId }),
      ]);
      expect(await stockOf(owner, salon.products.conditioner)).toBe(stock + 1);
      expect(await outboxTypesMentioning(api, refund.body.purchaseId)).toEqual(['purchase.refunded']);

      const tooMany = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        items: [{ purchaseItemId: conditioner.purchaseItemId, quantity: 3 }],
        payments: [{ type: 'CARD', amount: 59.97 }],
      });
      expect(tooMany.status).toBe(409);
      expect(tooMany.body).toMatchObject({
        code: 'REFUND_EXCEEDS_PURCHASE',
        fields: [{ field: 'items[0].quantity', message: 'at most 2' }],
      });
      const mismatch = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        payments: [{ type: 'CARD', amount: 1 }],
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('REFUND_MISMATCH');

      // The rest: two conditioners and the blow dry, back onto the voucher and the card.
      const rest = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        payments: [
          { type: 'VOUCHER', amount: 30, voucherId: voucher.voucherId },
          { type: 'CARD', amount: 39.98 },
        ],
        restock: false,
      });
      expect(rest.status).toBe(201);
      expect(
        rest.body.items.map((i: { quantity: number; total: number; originalPurchaseItemId: number }) => [
          i.originalPurchaseItemId,
          i.quantity,
          i.total,
        ]),
      ).toEqual([
        [conditioner.purchaseItemId, -2, -39.98],
        [blowDry.purchaseItemId, -1, -30],
      ]);
      expect(await stockOf(owner, salon.products.conditioner)).toBe(stock + 1);
      expect((await owner.get(`${owner.business}/voucher/${voucher.voucherId}`)).body.remainingBalance).toBe(30);
      const original = await owner.get(`${purchases()}/${sale.body.purchaseId}`);
      expect(original.body.items.map((i: { refundedQuantity: number }) => i.refundedQuantity)).toEqual([3, 1]);
      const nothing = await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, { number: nextNumber('RF'), payments: [] });
      expect(nothing.body.code).toBe('NOTHING_TO_REFUND');
      // Every line nets to exactly zero over its sale and refunds.
      const [sums] = await api.app
        .get(DataSource)
        .query(
          'SELECT SUM(total_minor) AS total, SUM(tax_minor) AS tax, SUM(quantity) AS q FROM purchase_item WHERE id IN (?) OR original_item_id IN (?)',
          [
            [conditioner.purchaseItemId, blowDry.purchaseItemId],
            [conditioner.purchaseItemId, blowDry.purchaseItemId],
          ],
        );
      expect({ total: Number(sums.total), tax: Number(sums.tax), q: Number(sums.q) }).toEqual({ total: 0, tax: 0, q: 0 });
    });

    it('voids a sale onto its own tenders: stock back, vouchers re-credited, a sold voucher taken back; once', async () => {
      const paidWith = await issueVoucher(owner, 10);
      const stock = await stockOf(owner, salon.products.shampoo);
      const sale = await buy({
        items: [{ productId: salon.products.shampoo }, { itemType: 'VOUCHER', price: 20 }],
        payments: [
          { type: 'VOUCHER', amount: 10, voucherId: paidWith.voucherId },
          { type: 'CASH', amount: 40 },
        ],
      });
      expect(sale.status).toBe(201);
      const sold = sale.body.items[1].voucherId;
      const voided = await owner.post(`${purchases()}/${sale.body.purchaseId}/void`, { note: 'Rang up the wrong client' });
      expect(voided.status).toBe(201);
      expect(voided.body).toMatchObject({
        kind: 'VOID',
        number: `VOID-${sale.body.number}`,
        total: -44.5,
        originalPurchaseId: sale.body.purchaseId,
      });
      expect(voided.body.payments).toEqual([
        expect.objectContaining({ type: 'VOUCHER', amount: -10, voucherId: paidWith.voucherId }),
        expect.objectContaining({ type: 'CASH', amount: -34.5 }),
      ]);
      expect(await stockOf(owner, salon.products.shampoo)).toBe(stock);
      expect((await owner.get(`${owner.business}/voucher/${paidWith.voucherId}`)).body.remainingBalance).toBe(10);
      expect((await owner.get(`${owner.business}/voucher/${sold}`)).body).toMatchObject({ remainingBalance: 0, archived: true });
      const again = await owner.post(`${purchases()}/${sale.body.purchaseId}/void`, { note: 'Rang up the wrong client' });
      expect(again.status).toBe(200);
      expect(again.body.purchaseId).toBe(voided.body.purchaseId);
      const otherNumber = await owner.post(`${purchases()}/${sale.body.purchaseId}/void`, { number: nextNumber('V') });
      expect(otherNumber.status).toBe(409);
      expect(otherNumber.body.code).toBe('ALREADY_VOIDED');
      expect((await owner.post(`${purchases()}/${voided.body.purchaseId}/void`, {})).body.code).toBe('NOT_REVERSIBLE');
    });

    it('will not void a sale whose voucher was spent, nor a partly refunded sale', async () => {
      const sale = await buy({
        items: [{ itemType: 'VOUCHER', price: 20 }, { productId: salon.products.shampoo }],
        payments: [{ type: 'CARD', amount: 44.5 }],
      });
      const sold = sale.body.items[0].voucherId;
      await buy({ items: [{ productId: salon.products.conditioner }], payments: [{ type: 'VOUCHER', amount: 19.99, voucherId: sold }] });
      const refused = await owner.post(`${purchases()}/${sale.body.purchaseId}/void`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('VOUCHER_ALREADY_USED');
      await owner.post(`${purchases()}/${sale.body.purchaseId}/refund`, {
        number: nextNumber('RF'),
        items: [{ purchaseItemId: sale.body.items[1].purchaseItemId }],
        payments: [{ type: 'CARD', amount: 24.5 }],
      });
      expect((await owner.post(`${purchases()}/${sale.body.purchaseId}/void`, {})).body.code).toBe('ALREADY_REFUNDED');
    });
  });

  it.each([
    ['two ids on one item', { items: [{ productId: 'AAAAAAAAAAAAAAAAAAAAAA', serviceId: 'AAAAAAAAAAAAAAAAAAAAAA' }] }, 'items[0]'],
    ['itemId without itemType', { items: [{ itemId: 'AAAAAAAAAAAAAAAAAAAAAA' }] }, 'items[0].itemType'],
    ['an item naming nothing', { items: [{ quantity: 1 }] }, 'items[0]'],
    ['a TIP without a price', { items: [{ itemType: 'TIP' }] }, 'items[0].price'],
    ['a TIP with a discount', { items: [{ itemType: 'TIP', price: 5, discount: 1 }] }, 'items[0].discount'],
    [
      'two appointments of one',
      { items: [{ appointmentId: 'AAAAAAAAAAAAAAAAAAAAAA' }, { appointmentId: 'AAAAAAAAAAAAAAAAAAAAAA' }] },
      'items[1].appointmentId',
    ],
    ['a price with 3 decimals in EUR', { items: [{ itemType: 'TIP', price: 1.005 }] }, 'items[0].price'],
    ['a negative price', { items: [{ itemType: 'TIP', price: -1 }] }, 'items[0].price'],
    ['a zero quantity', { items: [{ productId: 'AAAAAAAAAAAAAAAAAAAAAA', quantity: 0 }] }, 'items[0].quantity'],
    [
      'a discount and a percentage',
      { items: [{ productId: 'AAAAAAAAAAAAAAAAAAAAAA', discount: 1, discountPercent: 5 }] },
      'items[0].discount',
    ],
    ['a discount over the price', { items: [{ productId: 'PRODUCT', discount: 30 }] }, 'items[0].discount'],
    ['an unknown tender', { payments: [{ type: 'CHEQUE', amount: 10 }] }, 'payments[0].type'],
    ['a tender of zero', { payments: [{ type: 'CARD', amount: 0 }] }, 'payments[0].amount'],
    ['a voucher tender naming no voucher', { payments: [{ type: 'VOUCHER', amount: 10 }] }, 'payments[0]'],
    ['a card naming a voucher', { payments: [{ type: 'CARD', amount: 10, voucherId: 'AAAAAAAAAAAAAAAAAAAAAA' }] }, 'payments[0].voucherId'],
    ['no items', { items: [] }, 'items'],
    ['no number', { number: undefined }, 'number'],
    ['a number with spaces', { number: 'T 1' }, 'number'],
    ['an unknown field', { total: 5 }, 'total'],
  ])('refuses %s with 400', async (_label, patch, field) => {
    const body: Record<string, unknown> = {
      number: nextNumber(),
      items: [{ itemType: 'TIP', price: 5 }],
      payments: [{ type: 'CARD', amount: 5 }],
      ...patch,
    };
    body['items'] = JSON.parse(JSON.stringify(body['items']).replaceAll('"PRODUCT"', `"${salon.products.shampoo}"`));
    const res = await owner.post(purchases(), body);
    expect({ status: res.status, fields: res.body.fields }).toEqual({
      status: 400,
      fields: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('lets reception ring up and read, managers refund and void; stylists none of it', async () => {
    const [reception, stylist] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'STYLIST')]);
    const sale = await buy({ items: [{ itemType: 'TIP', price: 2 }], payments: [{ type: 'CASH', amount: 2 }] }, reception);
    expect(sale.status).toBe(201);
    expect((await reception.get(`${purchases()}/${sale.body.purchaseId}`)).status).toBe(200);
    expect((await reception.post(`${purchases()}/${sale.body.purchaseId}/void`, {})).status).toBe(403);
    expect((await reception.post(`${purchases()}/${sale.body.purchaseId}/refund`, { number: nextNumber(), payments: [] })).status).toBe(
      403,
    );
    expect((await buy({ items: [{ itemType: 'TIP', price: 2 }], payments: [{ type: 'CASH', amount: 2 }] }, stylist)).status).toBe(403);
    expect((await stylist.get(purchases())).status).toBe(403);
  });

  it('lists purchases newest first, by local date, client and number', async () => {
    const mine = await buy({
      clientId: salon.clients.maeve,
      items: [{ itemType: 'TIP', price: 1 }],
      payments: [{ type: 'CARD', amount: 1 }],
    });
    const today = mine.body.purchaseDate;
    const listed = await owner.get(`${purchases()}?from_date=${today}&to_date=${today}&clientId=${salon.clients.maeve}&size=1`);
    expect(listed.status).toBe(200);
    expect(listed.body._embedded.purchases[0].purchaseId).toBe(mine.body.purchaseId);
    expect((await owner.get(`${purchases()}?number=${mine.body.number}`)).body._embedded.purchases).toHaveLength(1);
    expect((await owner.get(`${purchases()}?from_date=2000-01-01&to_date=2000-01-02`)).body.page.totalElements).toBe(0);
    expect((await owner.get(`${purchases()}?from_date=2020-01-01&to_date=2022-01-01`)).body.code).toBe('DATE_RANGE_TOO_LONG');
  });

  it('hides other businesses: their appointments, products, services, clients, staff, vouchers, tax rates and tills answer 404', async () => {
    const theirAppointment = await bookAppointment(other);
    const theirVoucher = await issueVoucher(other.owner, 50);
    const tip = { itemType: 'TIP', price: 5 };
    const card = [{ type: 'CARD', amount: 100 }];
    const cases: [string, Record<string, unknown>][] = [
      ['appointment', { items: [{ appointmentId: theirAppointment }], payments: card }],
      ['product', { items: [{ productId: other.products.shampoo }], payments: card }],
      ['service', { items: [{ serviceId: other.services.cut }], payments: card }],
      ['client', { clientId: other.clients.siobhan, items: [tip], payments: [{ type: 'CARD', amount: 5 }] }],
      ['staff', { items: [{ ...tip, staffId: other.staff.aoife }], payments: [{ type: 'CARD', amount: 5 }] }],
      ['voucher', { items: [tip], payments: [{ type: 'VOUCHER', amount: 5, voucherId: theirVoucher.voucherId }] }],
      ['voucher serial', { items: [tip], payments: [{ type: 'VOUCHER', amount: 5, serialNumber: theirVoucher.serialNumber }] }],
      [
        'tax rate',
        { items: [{ serviceId: salon.services.cut, taxRateId: other.rates.services }], payments: [{ type: 'CARD', amount: 55 }] },
      ],
      [
        'till',
        {
          tillId: (await other.owner.post(`${other.owner.branch}/till`, { name: 'Theirs' })).body.tillId,
          items: [tip],
          payments: [{ type: 'CARD', amount: 5 }],
        },
      ],
    ];
    for (const [label, body] of cases) {
      const res = await buy(body);
      expect({ label, status: res.status }).toEqual({ label, status: 404 });
    }
    const theirSale = await buy({ items: [tip], payments: [{ type: 'CARD', amount: 5 }] }, other.owner);
    expectNotFound(await owner.get(`${purchases()}/${theirSale.body.purchaseId}`));
    expectNotFound(await owner.post(`${purchases()}/${theirSale.body.purchaseId}/void`, {}));
    expect((await other.owner.get(`${owner.business}/voucher/${theirVoucher.voucherId}`)).status).toBe(404);
    expect((await other.owner.get(`${other.owner.business}/voucher/${theirVoucher.voucherId}`)).body.remainingBalance).toBe(50);
    expect((await other.owner.get(`${other.owner.branch}/appointment/${theirAppointment}`)).body.state).toBe('BOOKED');
  });
});
