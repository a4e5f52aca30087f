import { DomainEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { IdempotencyScope } from '../../shared/http/idempotency-scope';
import { limitOffset, pageOf } from '../../shared/http/paging';
import { newId } from '../../shared/ids';
import { toMajor } from '../../shared/money';
import { checkDateRange } from '../../shared/time';
import { AppointmentReader, AppointmentRow, effectiveActivation } from '../appointments/appointment.views';
import { AppointmentAction, AppointmentState, shownState, transition } from '../appointments/appointment-state';
import type { Principal } from '../auth/principal';
import { BranchRow } from '../branches/branch.view';
import { BranchesService } from '../branches/branches.service';
import { TaxRatesService } from '../products/tax-rates.service';
import { duplicateKeyOf, invalid, localDateOf, retryOnDeadlock } from '../retail/amounts';
import { PricedLine, priceLine, settle, shareOf } from '../retail/tax';
import { StockLedger } from '../stock/stock-ledger';
import { TillAttachment, TillsService } from '../tills/tills.service';
import { VoucherLedger, VoucherRef } from '../vouchers/voucher-ledger';
import { CreatePurchaseDto, PurchaseListQuery, RefundPurchaseDto, VoidPurchaseDto } from './dto/purchase.dto';
import { lineError, readItem, readPayment, RequestedLine, RequestedPayment, requestHash, settlementError } from './purchase-lines';
import {
  PurchaseItemRow,
  PurchaseKind,
  PurchaseParts,
  PurchasePaymentRow,
  PurchaseRow,
  purchaseEvent,
  purchaseView,
  PurchaseView,
} from './purchase.view';

/** The legal steps from each state to COMPLETED (the state machine refuses the rest). */
const TO_COMPLETED: Record<AppointmentState, AppointmentAction[]> = {
  BOOKED: ['check-in', 'complete'],
  CHECKED_IN: ['complete'],
  STARTED: ['complete'],
  COMPLETED: [],
  NO_SHOW: ['complete'],
};

/** A line ready to store. */
interface Line extends PricedLine {
  type: PurchaseItemRow['item_type'];
  appointmentId: string | null;
  serviceId: string | null;
  productId: string | null;
  voucherId: string | null;
  staffId: string | null;
  clientId: string | null;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  taxRateId: string | null;
  rateMilli: number;
  unitCostMinor: number;
  originalItemId: number | null;
}

interface Tender {
  type: PurchasePaymentRow['type'];
  amountMinor: number;
  tenderedMinor: number;
  voucherId: string | null;
  reference: string | null;
}

export interface PurchaseResult {
  view: PurchaseView;
  /** The number had been used with this very body: this is the first purchase, nothing charged again. */
  replayed: boolean;
}

class NumberTaken extends Error {}

/**
 * The till. A purchase is one transaction: it claims its number (a unique key per branch, so a
 * replay waits for the first and then gets it back, charging nothing twice), takes its tenders
 * into the open till session, completes the appointments paid for (through the appointment
 * state machine), takes products out of stock, redeems and sells vouchers under their row
 * locks, stores lines and tenders, and writes purchase.completed to the outbox. Refunds and
 * voids are new purchases with negative quantities and amounts that name the original.
 *
 * Locks are always taken in one order: the request's Idempotency-Key (when it has one), the purchase number, the till session (shared), the
 * original purchase (reversals), appointments, products, vouchers; each set by id.
 */
@Injectable()
export class PurchasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly taxRates: TaxRatesService,
    private readonly stock: StockLedger,
    private readonly vouchers: VoucherLedger,
    private readonly tills: TillsService,
    private readonly appointments: AppointmentReader,
    private readonly events: DomainEvents,
  ) {}

  // ------------------------------------------------------------------ reads

  async get(businessId: string, branchId: string, purchaseId: string): Promise<PurchaseView> {
    const [row]: PurchaseRow[] = await this.dataSource.query('SELECT * FROM purchase WHERE id = ? AND business_id = ? AND branch_id = ?', [
      purchaseId,
      businessId,
      branchId,
    ]);
    if (!row) throw ApiError.notFound('Purchase');
    return (await this.views([row]))[0];
  }

  async list(businessId: string, branchId: string, q: PurchaseListQuery) {
    await this.branches.require(businessId, branchId);
    const where = ['business_id = ?', 'branch_id = ?'];
    const params: unknown[] = [businessId, branchId];
    if (q.from_date || q.to_date) {
      const from = q.from_date ?? q.to_date!;
      const to = q.to_date ?? q.from_date!;
      checkDateRange(from, to, 366);
      where.push('local_date BETWEEN ? AND ?');
      params.push(from, to);
    }
    if (q.clientId) {
      where.push('client_id = ?');
      params.push(q.clientId);
    }
    if (q.number) {
      where.push('number = ?');
      params.push(q.number);
    }
    const clause = where.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM purchase WHERE ${clause} ORDER BY purchased_at DESC, id LIMIT ? OFFSET ?`, [
        ...params,
        ...limitOffset(q),
      ]) as Promise<PurchaseRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM purchase WHERE ${clause}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf('purchases', await this.views(rows), Number(total), q);
  }

  // ------------------------------------------------------------------ sale

  async create(principal: Principal, businessId: string, branchId: string, dto: CreatePurchaseDto): Promise<PurchaseResult> {
    const branch = await this.branches.require(businessId, branchId);
    const requested = dto.items.map((item, i) => readItem(item, i, branch.currency));
    const payments = dto.payments.map((p, i) => readPayment(p, i, branch.currency));
    const seen = new Set<string>();
    for (const line of requested) {
      if (line.type !== 'APPOINTMENT') continue;
      if (seen.has(line.refId!)) throw invalid(`${line.field}.appointmentId`, 'the same appointment twice');
      seen.add(line.refId!);
    }
    const hash = requestHash({ kind: 'SALE', dto });
    return this.claimed(businessId, branchId, dto.number, hash, (m) => this.sell(m, principal, branch, dto, requested, payments, hash));
  }

  private async sell(
    m: EntityManager,
    principal: Principal,
    branch: BranchRow,
    dto: CreatePurchaseDto,
    requested: RequestedLine[],
    payments: RequestedPayment[],
    hash: string,
  ): Promise<{ parts: PurchaseParts; events: DomainEvent[] }> {
    const businessId = branch.business_id;
    const now = new Date();
    const purchaseId = await this.claim(m, principal, branch, { kind: 'SALE', number: dto.number, hash, now, note: dto.note });
    const till = await this.tills.attach(m, businessId, branch.id, dto.tillId);

    // What the lines name, all of it this branch's (or this business's) or a 404.
    const idsOf = (type: RequestedLine['type']) => [...new Set(requested.filter((l) => l.type === type).map((l) => l.refId!))];
    const appointmentIds = idsOf('APPOINTMENT');
    if (appointmentIds.length)
      await m.query('SELECT id FROM appointment WHERE id IN (?) ORDER BY id FOR UPDATE', [[...appointmentIds].sort()]);
    const appointments = new Map((await this.appointments.byIds(appointmentIds, m)).map((a) => [a.id, a]));
    const services = await this.byId<{ id: string; name: string; price_minor: number }>(
      m,
      'SELECT id, name, price_minor FROM service WHERE business_id = ? AND branch_id = ? AND id IN (?)',
      [businessId, branch.id, idsOf('SERVICE')],
    );
    const products = await this.byId<{
      id: string;
      name: string;
      price_minor: number;
      cost_price_minor: number;
      type: string;
      archived: number;
      tax_rate_id: string | null;
    }>(
      m,
      'SELECT id, name, price_minor, cost_price_minor, type, archived, tax_rate_id FROM product WHERE business_id = ? AND branch_id = ? AND id IN (?)',
      [businessId, branch.id, idsOf('PRODUCT')],
    );
    const staffIds = [...new Set([...requested.map((l) => l.staffId), dto.staffId].filter((s): s is string => !!s))];
    const staff = await this.byId<{ id: string }>(m, 'SELECT id FROM staff WHERE business_id = ? AND id IN (?)', [businessId, staffIds]);
    if (dto.staffId && !staff.has(dto.staffId)) throw notFoundAt('Staff member', 'staffId');
    let clientId = dto.clientId ?? null;
    if (clientId) {
      const client: unknown[] = await m.query('SELECT id FROM client WHERE id = ? AND business_id = ?', [clientId, businessId]);
      if (!client.length) throw notFoundAt('Client', 'clientId');
    }
    const rates = await this.taxRates.forPurchase(
      m,
      businessId,
      branch.id,
      requested.flatMap((l) => (l.taxRateId ? [l.taxRateId] : [])),
    );

    // Price every line.
    const lines: Line[] = requested.map((l) => {
      if (l.staffId && !staff.has(l.staffId)) throw notFoundAt('Staff member', `${l.field}.staffId`);
      let unitPrice = l.priceMinor;
      let description = l.description;
      let staffId = l.staffId ?? null;
      let serviceId: string | null = null;
      let productId: string | null = null;
      let appointmentId: string | null = null;
      let unitCost = 0;
      let rate = l.taxRateId ? rates.byId.get(l.taxRateId) : undefined;
      if (l.taxRateId && !rate) throw notFoundAt('Tax rate', `${l.field}.taxRateId`);
      switch (l.type) {
        case 'APPOINTMENT': {
          const a = appointments.get(l.refId!);
          if (!a || a.business_id !== businessId || a.branch_id !== branch.id) throw notFoundAt('Appointment', `${l.field}.appointmentId`);
          appointmentId = a.id;
          serviceId = a.service_id;
          staffId ??= a.staff_id;
          clientId ??= a.client_id;
          unitPrice ??= a.price_minor;
          description ??= a.service_name;
          rate ??= rates.services ?? undefined;
          break;
        }
        case 'SERVICE': {
          const s = services.get(l.refId!);
          if (!s) throw notFoundAt('Service', `${l.field}.serviceId`);
          serviceId = s.id;
          unitPrice ??= s.price_minor;
          description ??= s.name;
          rate ??= rates.services ?? undefined;
          break;
        }
        case 'PRODUCT': {
          const p = products.get(l.refId!);
          if (!p) throw notFoundAt('Product', `${l.field}.productId`);
          if (p.archived) throw invalid(`${l.field}.productId`, 'this product is archived', 'PRODUCT_ARCHIVED');
          if (p.type !== 'RETAIL')
            throw invalid(`${l.field}.productId`, 'professional products are used in services, not sold', 'PRODUCT_NOT_FOR_SALE');
          productId = p.id;
          staffId ??= dto.staffId ?? null;
          unitPrice ??= p.price_minor;
          unitCost = p.cost_price_minor;
          description ??= p.name;
          rate ??= (p.tax_rate_id ? rates.byId.get(p.tax_rate_id) : undefined) ?? rates.products ?? undefined;
          break;
        }
        case 'VOUCHER':
          description ??= 'Gift voucher';
          break;
        case 'TIP':
          description ??= 'Tip';
          staffId ??= dto.staffId ?? null;
          break;
      }
      const priced = priceLine({
        unitPriceMinor: unitPrice!,
        quantity: l.quantity,
        rateMilli: rate?.rate_milli ?? 0,
        discountMinor: l.discountMinor,
        discountBasisPoints: l.discountBasisPoints,
      });
      if ('error' in priced) throw lineError(priced.error, l.field);
      return {
        ...priced,
        type: l.type,
        appointmentId,
        serviceId,
        productId,
        voucherId: null,
        staffId,
        clientId: null,
        description,
        quantity: l.quantity,
        unitPriceMinor: unitPrice!,
        taxRateId: rate?.id ?? null,
        rateMilli: rate?.rate_milli ?? 0,
        unitCostMinor: unitCost,
        originalItemId: null,
      };
    });
    for (const line of lines) line.clientId = clientId;

    const total = lines.reduce((s, l) => s + l.totalMinor, 0);
    const settlement = settle(
      total,
      payments.map((p) => ({ type: p.type, amountMinor: p.amountMinor })),
    );
    if ('error' in settlement) throw settlementError(settlement.error, `${toMajor(total, branch.currency)} ${branch.currency}`);

    // Appointments paid for are completed, unless they already are; one payment each.
    const completed: AppointmentRow[] = [];
    for (const a of appointments.values()) {
      const paid: { n: number | null }[] = await m.query(
        "SELECT SUM(i.quantity) AS n FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id WHERE i.appointment_id = ? AND i.item_type = 'APPOINTMENT' AND p.id <> ?",
        [a.id, purchaseId],
      );
      if (Number(paid[0]?.n ?? 0) > 0)
        throw new ApiError(409, 'APPOINTMENT_ALREADY_PAID', 'This appointment has been paid for already', { appointmentId: a.id });
      let status = { state: a.state, activation: effectiveActivation(a, now.getTime()) };
      for (const action of TO_COMPLETED[a.state]) {
        const result = transition(status, action);
        if (!result.ok) {
          throw new ApiError(409, 'ILLEGAL_STATE_TRANSITION', `Appointment ${a.id}: ${result.reason}`, {
            appointmentId: a.id,
            currentState: shownState({ state: a.state, activation: effectiveActivation(a, now.getTime()) }),
            activationState: status.activation,
          });
        }
        status = result.next;
      }
      if (TO_COMPLETED[a.state].length) completed.push(a);
    }

    // Stock out, vouchers redeemed and sold.
    await this.stock.apply(
      m,
      { businessId, branchId: branch.id, batchId: purchaseId, userId: principal.userId },
      lines.flatMap((l, i) =>
        l.productId
          ? [{ productId: l.productId, change: -l.quantity, reason: 'SALE' as const, purchaseId, field: `items[${i}].quantity` }]
          : [],
      ),
    );
    const tenders: Tender[] = payments.map((p, i) => ({
      type: p.type,
      amountMinor: settlement.applied[i],
      tenderedMinor: p.amountMinor,
      voucherId: null,
      reference: p.reference,
    }));
    const voucherPayments = payments.map((p, i) => ({ p, i })).filter(({ p }) => p.type === 'VOUCHER');
    if (voucherPayments.length) {
      const ctx = { businessId, branchId: branch.id, purchaseId, userId: principal.userId, now };
      const locked = await this.vouchers.lock(
        m,
        businessId,
        voucherPayments.map(({ p }) => ({ voucherId: p.voucherId, serialNumber: p.serialNumber })),
        (k) => voucherPayments[k].p.field,
      );
      for (const [k, { p, i }] of voucherPayments.entries()) {
        await this.vouchers.redeem(m, ctx, locked[k], settlement.applied[i], branch.currency, p.field);
        tenders[i].voucherId = locked[k].id;
      }
    }
    for (const [i, line] of lines.entries()) {
      if (line.type !== 'VOUCHER') continue;
      const voucher = await this.vouchers.issue(
        m,
        { businessId, branchId: branch.id, purchaseId, userId: principal.userId, now },
        {
          serialNumber: requested[i].voucherSerialNumber,
          balanceMinor: line.unitPriceMinor,
          currency: branch.currency,
          creatingBranchId: branch.id,
          issueDate: now,
          expiryDate: requested[i].voucherExpiryDate ?? null,
          clientId,
          soldInPurchaseId: purchaseId,
          field: `items[${i}].voucherSerialNumber`,
        },
      );
      line.voucherId = voucher.id;
    }

    await this.store(m, purchaseId, branch, lines, tenders, till, now, {
      clientId,
      staffId: dto.staffId ?? null,
      paid: settlement.paidMinor,
      change: settlement.changeMinor,
    });

    // The appointments, completed through the state machine, announced with the purchase.
    const events: DomainEvent[] = [];
    for (const a of completed) {
      let status = { state: a.state, activation: effectiveActivation(a, now.getTime()) };
      for (const action of TO_COMPLETED[a.state]) {
        const result = transition(status, action);
        if (!result.ok) throw new Error('unreachable: transition checked above');
        status = result.next;
        await m.query('UPDATE appointment SET state = ?, version = version + 1, updated_at = ? WHERE id = ?', [status.state, now, a.id]);
        const [after] = await this.appointments.byIds([a.id], m);
        if (result.event) events.push(this.appointments.event(result.event, after));
      }
    }
    const parts = await this.parts(m, purchaseId);
    events.push(
      purchaseEvent(
        parts,
        completed.map((a) => a.id),
      ),
    );
    return { parts, events };
  }

  // ------------------------------------------------------------------ refunds and voids

  async refund(
    principal: Principal,
    businessId: string,
    branchId: string,
    purchaseId: string,
    dto: RefundPurchaseDto,
  ): Promise<PurchaseResult> {
    const branch = await this.branches.require(businessId, branchId);
    const payments = dto.payments.map((p, i) => readPayment(p, i, branch.currency));
    const hash = requestHash({ kind: 'REFUND', purchaseId, dto });
    return this.claimed(businessId, branchId, dto.number, hash, (m) =>
      this.reverse(m, principal, branch, purchaseId, {
        kind: 'REFUND',
        number: dto.number,
        hash,
        items: dto.items,
        payments,
        restock: dto.restock ?? true,
        tillId: dto.tillId,
        note: dto.note,
      }),
    );
  }

  async void(
    principal: Principal,
    businessId: string,
    branchId: string,
    purchaseId: string,
    dto: VoidPurchaseDto,
  ): Promise<PurchaseResult> {
    const branch = await this.branches.require(businessId, branchId);
    const [original]: { number: string }[] = await this.dataSource.query(
      'SELECT number FROM purchase WHERE id = ? AND business_id = ? AND branch_id = ?',
      [purchaseId, businessId, branchId],
    );
    if (!original) throw ApiError.notFound('Purchase');
    const number = dto.number ?? `VOID-${original.number}`.slice(0, 64);
    const hash = requestHash({ kind: 'VOID', purchaseId, dto: { ...dto, number } });
    try {
      return await this.claimed(businessId, branchId, number, hash, (m) =>
        this.reverse(m, principal, branch, purchaseId, { kind: 'VOID', number, hash, restock: true, tillId: dto.tillId, note: dto.note }),
      );
    } catch (err) {
      if (duplicateKeyOf(err) === 'uq_purchase_void') throw ApiError.conflict('ALREADY_VOIDED', 'This purchase has been voided already');
      throw err;
    }
  }

  private async reverse(
    m: EntityManager,
    principal: Principal,
    branch: BranchRow,
    originalId: string,
    spec: {
      kind: Exclude<PurchaseKind, 'SALE'>;
      number: string;
      hash: string;
      items?: { purchaseItemId: number; quantity?: number }[];
      payments?: RequestedPayment[];
      restock: boolean;
      tillId?: string;
      note?: string;
    },
  ): Promise<{ parts: PurchaseParts; events: DomainEvent[] }> {
    const businessId = branch.business_id;
    const now = new Date();
    const purchaseId = await this.claim(m, principal, branch, {
      kind: spec.kind,
      number: spec.number,
      hash: spec.hash,
      now,
      note: spec.note,
      originalId,
    });
    const till = await this.tills.attach(m, businessId, branch.id, spec.tillId);
    const [original]: PurchaseRow[] = await m.query(
      'SELECT * FROM purchase WHERE id = ? AND business_id = ? AND branch_id = ? FOR UPDATE',
      [originalId, businessId, branch.id],
    );
    if (!original) throw ApiError.notFound('Purchase');
    if (original.kind !== 'SALE') throw ApiError.conflict('NOT_REVERSIBLE', 'Only a sale can be refunded or voided');
    const items = (
      (await m.query('SELECT * FROM purchase_item WHERE purchase_id = ? ORDER BY line_no', [originalId])) as PurchaseItemRow[]
    ).map(numericId);
    const done = await this.reversedSoFar(
      m,
      items.map((i) => i.id),
    );
    if (spec.kind === 'VOID' && done.size)
      throw ApiError.conflict('ALREADY_REFUNDED', 'Part of this purchase was refunded; refund the rest instead of voiding it');

    // Which units of which lines go back.
    const wanted = spec.items ?? items.map((i) => ({ purchaseItemId: i.id, quantity: undefined as number | undefined }));
    const byId = new Map(items.map((i) => [i.id, i]));
    const lines: Line[] = [];
    const seen = new Set<number>();
    for (const [k, w] of wanted.entries()) {
      const item = byId.get(w.purchaseItemId);
      const field = `items[${k}]`;
      if (!item) throw invalid(`${field}.purchaseItemId`, 'not a line of this purchase');
      if (seen.has(item.id)) throw invalid(`${field}.purchaseItemId`, 'the same line twice');
      seen.add(item.id);
      const before = done.get(item.id) ?? { quantity: 0, total: 0, tax: 0, gross: 0, discount: 0 };
      const left = item.quantity - before.quantity;
      const quantity = w.quantity ?? left;
      if (quantity === 0 && spec.items === undefined) continue;
      if (quantity <= 0 || quantity > left) {
        throw new ApiError(409, 'REFUND_EXCEEDS_PURCHASE', `Only ${left} of this line can still be refunded`, {
          fields: [{ field: `${field}.quantity`, message: `at most ${left}` }],
        });
      }
      // The last units refunded take what is left of each amount, so a line nets to exactly zero.
      const part = (amount: number, already: number) => -(quantity === left ? amount - already : shareOf(amount, quantity, item.quantity));
      const total = part(item.total_minor, before.total);
      const tax = part(item.tax_minor, before.tax);
      lines.push({
        type: item.item_type,
        appointmentId: item.appointment_id,
        serviceId: item.service_id,
        productId: item.product_id,
        voucherId: item.voucher_id,
        staffId: item.staff_id,
        clientId: item.client_id,
        description: item.description,
        quantity: -quantity,
        unitPriceMinor: item.unit_price_minor,
        grossMinor: part(item.gross_minor, before.gross),
        discountMinor: part(item.discount_minor, before.discount),
        totalMinor: total,
        taxMinor: tax,
        netMinor: total - tax,
        taxRateId: item.tax_rate_id,
        rateMilli: item.tax_rate_milli,
        unitCostMinor: item.unit_cost_minor,
        originalItemId: item.id,
      });
    }
    if (!lines.length) throw ApiError.conflict('NOTHING_TO_REFUND', 'Everything on this purchase has been refunded already');
    const total = lines.reduce((s, l) => s + l.totalMinor, 0);

    // The money back: a void mirrors the original tenders; a refund says how.
    let requested: RequestedPayment[];
    if (spec.kind === 'VOID') {
      const original_payments: PurchasePaymentRow[] = await m.query('SELECT * FROM purchase_payment WHERE purchase_id = ? ORDER BY id', [
        originalId,
      ]);
      requested = original_payments.map((p, i) => ({
        field: `payments[${i}]`,
        type: p.type,
        amountMinor: -p.amount_minor,
        voucherId: p.voucher_id ?? undefined,
        reference: p.reference,
      }));
    } else {
      requested = spec.payments!.map((p) => ({ ...p, amountMinor: -p.amountMinor }));
    }
    const settlement = settle(
      total,
      requested.map((p) => ({ type: p.type, amountMinor: p.amountMinor })),
    );
    if ('error' in settlement) throw settlementError(settlement.error, `${toMajor(-total, branch.currency)} ${branch.currency}`);

    if (spec.restock) {
      await this.stock.apply(
        m,
        { businessId, branchId: branch.id, batchId: purchaseId, userId: principal.userId },
        lines.flatMap((l) => (l.productId ? [{ productId: l.productId, change: -l.quantity, reason: 'REFUND' as const, purchaseId }] : [])),
      );
    }
    // Vouchers: refunds paid onto a voucher, and sold vouchers taken back (only if unused).
    const tenders: Tender[] = requested.map((p, i) => ({
      type: p.type,
      amountMinor: settlement.applied[i],
      tenderedMinor: p.amountMinor,
      voucherId: null,
      reference: p.reference,
    }));
    const refs: { ref: VoucherRef; field: string; apply: (v: Parameters<VoucherLedger['credit']>[2]) => Promise<void> }[] = [];
    const ctx = { businessId, branchId: branch.id, purchaseId, userId: principal.userId, now };
    requested.forEach((p, i) => {
      if (p.type !== 'VOUCHER') return;
      refs.push({
        ref: { voucherId: p.voucherId, serialNumber: p.serialNumber },
        field: p.field,
        apply: async (v) => {
          await this.vouchers.credit(m, ctx, v, -settlement.applied[i], `Refund ${spec.number}`);
          tenders[i].voucherId = v.id;
        },
      });
    });
    lines.forEach((l, i) => {
      if (l.type !== 'VOUCHER' || !l.voucherId) return;
      refs.push({ ref: { voucherId: l.voucherId }, field: `items[${i}]`, apply: (v) => this.vouchers.voidUnused(m, ctx, v) });
    });
    if (refs.length) {
      const locked = await this.vouchers.lock(
        m,
        businessId,
        refs.map((r) => r.ref),
        (k) => refs[k].field,
      );
      for (const [k, r] of refs.entries()) await r.apply(locked[k]);
    }

    await this.store(m, purchaseId, branch, lines, tenders, till, now, {
      clientId: original.client_id,
      staffId: original.staff_id,
      paid: settlement.paidMinor,
      change: 0,
    });
    const parts = await this.parts(m, purchaseId);
    return { parts, events: [purchaseEvent(parts, [])] };
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Runs a purchase transaction that claims `number`. When the number is taken: the same
   * request (same body) gets the first purchase back (`replayed`); another body is a 409.
   */
  private async claimed(
    businessId: string,
    branchId: string,
    number: string,
    hash: string,
    work: (m: EntityManager) => Promise<{ parts: PurchaseParts; events: DomainEvent[] }>,
  ): Promise<PurchaseResult> {
    let view: PurchaseView;
    try {
      view = await retryOnDeadlock(() =>
        this.dataSource.transaction('READ COMMITTED', async (m) => {
          // The request's Idempotency-Key first (a duplicate waits here), its answer last: both commit with the purchase.
          await IdempotencyScope.claim(m);
          const result = await work(m);
          await this.events.record(m, ...result.events);
          const parts = result.parts;
          const answer = purchaseView({ ...parts, refunded: parts.row.kind === 'SALE' ? new Map() : undefined });
          await IdempotencyScope.answer(m, answer);
          return answer;
        }),
      );
    } catch (err) {
      if (!(err instanceof NumberTaken)) throw err;
      const [first]: PurchaseRow[] = await this.dataSource.query(
        'SELECT * FROM purchase WHERE branch_id = ? AND number = ? AND business_id = ?',
        [branchId, number, businessId],
      );
      if (!first) throw ApiError.conflict('PURCHASE_IN_PROGRESS', 'A purchase with this number is being recorded; retry in a moment');
      if (first.request_hash !== hash) {
        throw new ApiError(409, 'PURCHASE_NUMBER_TAKEN', `Purchase number ${number} is used by another purchase of this branch`, {
          purchaseId: first.id,
          fields: [{ field: 'number', message: 'already used in this branch' }],
        });
      }
      return { view: (await this.views([first]))[0], replayed: true };
    }
    this.events.flush();
    return { view, replayed: false };
  }

  /** Inserts the purchase row first: its unique number is the lock a replay waits on. */
  private async claim(
    m: EntityManager,
    principal: Principal,
    branch: BranchRow,
    p: { kind: PurchaseKind; number: string; hash: string; now: Date; note?: string; originalId?: string },
  ): Promise<string> {
    const id = newId();
    try {
      await m.query(
        `INSERT INTO purchase (id, business_id, branch_id, number, kind, original_purchase_id, currency, gross_minor, discount_minor, total_minor, tax_minor,
           tip_minor, paid_minor, change_minor, request_hash, note, local_date, purchased_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          branch.business_id,
          branch.id,
          p.number,
          p.kind,
          p.originalId ?? null,
          branch.currency,
          p.hash,
          p.note ?? null,
          localDateOf(branch.time_zone, p.now),
          p.now,
          principal.userId,
          p.now,
          p.now,
        ],
      );
    } catch (err) {
      if (duplicateKeyOf(err) === 'uq_purchase_number') throw new NumberTaken();
      throw err;
    }
    return id;
  }

  private async store(
    m: EntityManager,
    purchaseId: string,
    branch: BranchRow,
    lines: Line[],
    tenders: Tender[],
    till: TillAttachment | null,
    now: Date,
    p: { clientId: string | null; staffId: string | null; paid: number; change: number },
  ): Promise<void> {
    const localDate = localDateOf(branch.time_zone, now);
    const sum = (f: (l: Line) => number) => lines.reduce((s, l) => s + f(l), 0);
    await m.query(
      `INSERT INTO purchase_item (business_id, branch_id, purchase_id, line_no, item_type, appointment_id, service_id, product_id, voucher_id, staff_id,
         client_id, description, quantity, unit_price_minor, gross_minor, discount_minor, total_minor, tax_rate_id, tax_rate_milli, tax_minor, net_minor,
         unit_cost_minor, original_item_id, local_date, purchased_at) VALUES ?`,
      [
        lines.map((l, i) => [
          branch.business_id,
          branch.id,
          purchaseId,
          i + 1,
          l.type,
          l.appointmentId,
          l.serviceId,
          l.productId,
          l.voucherId,
          l.staffId,
          p.clientId,
          l.description,
          l.quantity,
          l.unitPriceMinor,
          l.grossMinor,
          l.discountMinor,
          l.totalMinor,
          l.taxRateId,
          l.rateMilli,
          l.taxMinor,
          l.netMinor,
          l.unitCostMinor,
          l.originalItemId,
          localDate,
          now,
        ]),
      ],
    );
    if (tenders.length) {
      await m.query(
        `INSERT INTO purchase_payment (business_id, branch_id, purchase_id, type, amount_minor, tendered_minor, voucher_id, till_session_id, reference, local_date, created_at) VALUES ?`,
        [
          tenders.map((t) => [
            branch.business_id,
            branch.id,
            purchaseId,
            t.type,
            t.amountMinor,
            t.tenderedMinor,
            t.voucherId,
            till?.tillSessionId ?? null,
            t.reference,
            localDate,
            now,
          ]),
        ],
      );
    }
    await m.query(
      `UPDATE purchase SET client_id = ?, staff_id = ?, till_id = ?, till_session_id = ?, gross_minor = ?, discount_minor = ?, total_minor = ?, tax_minor = ?,
         tip_minor = ?, paid_minor = ?, change_minor = ? WHERE id = ?`,
      [
        p.clientId,
        p.staffId,
        till?.tillId ?? null,
        till?.tillSessionId ?? null,
        sum((l) => l.grossMinor),
        sum((l) => l.discountMinor),
        sum((l) => l.totalMinor),
        sum((l) => l.taxMinor),
        sum((l) => (l.type === 'TIP' ? l.totalMinor : 0)),
        p.paid,
        p.change,
        purchaseId,
      ],
    );
  }

  private async parts(m: EntityManager, purchaseId: string): Promise<PurchaseParts> {
    const [row]: PurchaseRow[] = await m.query('SELECT * FROM purchase WHERE id = ?', [purchaseId]);
    const [items, payments] = await Promise.all([
      m.query(
        'SELECT i.*, v.serial_number AS voucher_serial FROM purchase_item i LEFT JOIN voucher v ON v.id = i.voucher_id WHERE i.purchase_id = ? ORDER BY i.line_no',
        [purchaseId],
      ) as Promise<PurchaseItemRow[]>,
      m.query('SELECT * FROM purchase_payment WHERE purchase_id = ? ORDER BY id', [purchaseId]) as Promise<PurchasePaymentRow[]>,
    ]);
    return { row, items: items.map(numericId), payments };
  }

  private async views(rows: PurchaseRow[]): Promise<PurchaseView[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [items, payments] = await Promise.all([
      this.dataSource.query(
        'SELECT i.*, v.serial_number AS voucher_serial FROM purchase_item i LEFT JOIN voucher v ON v.id = i.voucher_id WHERE i.purchase_id IN (?) ORDER BY i.purchase_id, i.line_no',
        [ids],
      ) as Promise<PurchaseItemRow[]>,
      this.dataSource.query('SELECT * FROM purchase_payment WHERE purchase_id IN (?) ORDER BY id', [ids]) as Promise<PurchasePaymentRow[]>,
    ]);
    const numbered = items.map(numericId);
    const done = await this.reversedSoFar(
      this.dataSource.manager,
      numbered.map((i) => i.id),
    );
    return rows.map((row) =>
      purchaseView({
        row,
        items: numbered.filter((i) => i.purchase_id === row.id),
        payments: payments.filter((p) => p.purchase_id === row.id),
        refunded: row.kind === 'SALE' ? new Map([...done].map(([id, d]) => [id, d.quantity])) : undefined,
      }),
    );
  }

  /** Per original line: what later refunds and voids took back so far (positive figures). */
  private async reversedSoFar(m: EntityManager, itemIds: number[]) {
    const done = new Map<number, { quantity: number; total: number; tax: number; gross: number; discount: number }>();
    if (!itemIds.length) return done;
    const rows: { id: number | string; q: number; t: number; x: number; g: number; d: number }[] = await m.query(
      `SELECT original_item_id AS id, -SUM(quantity) AS q, -SUM(total_minor) AS t, -SUM(tax_minor) AS x, -SUM(gross_minor) AS g, -SUM(discount_minor) AS d
         FROM purchase_item WHERE original_item_id IN (?) GROUP BY original_item_id`,
      [itemIds],
    );
    for (const r of rows)
      done.set(Number(r.id), { quantity: Number(r.q), total: Number(r.t), tax: Number(r.x), gross: Number(r.g), discount: Number(r.d) });
    return done;
  }

  private async byId<T extends { id: string }>(m: EntityManager, sql: string, params: unknown[]): Promise<Map<string, T>> {
    const ids = params[params.length - 1] as string[];
    if (!ids.length) return new Map();
    const rows: T[] = await m.query(sql, params);
    return new Map(rows.map((r) => [r.id, r]));
  }
}

function notFoundAt(what: string, field: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `${what} not found`, { fields: [{ field, message: `no such ${what.toLowerCase()} here` }] });
}

/** BIGINT ids come back as numbers or strings depending on size; the API shows numbers. */
function numericId(row: PurchaseItemRow): PurchaseItemRow {
  return { ...row, id: Number(row.id), original_item_id: row.original_item_id === null ? null : Number(row.original_item_id) };
}
