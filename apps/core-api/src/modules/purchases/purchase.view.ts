import { createEvent } from '@chairbook/contracts';
import { iso } from '../../shared/http/versioning';
import { toMajor } from '../../shared/money';
import { dateOnly } from '../retail/amounts';
import { milliToRate } from '../retail/tax';
import type { ItemType, PaymentType } from './dto/purchase.dto';

export type PurchaseKind = 'SALE' | 'REFUND' | 'VOID';

export interface PurchaseRow {
  id: string;
  business_id: string;
  branch_id: string;
  number: string;
  kind: PurchaseKind;
  original_purchase_id: string | null;
  client_id: string | null;
  staff_id: string | null;
  till_id: string | null;
  till_session_id: string | null;
  currency: string;
  gross_minor: number;
  discount_minor: number;
  total_minor: number;
  tax_minor: number;
  tip_minor: number;
  paid_minor: number;
  change_minor: number;
  request_hash: string;
  note: string | null;
  local_date: Date | string;
  purchased_at: Date;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface PurchaseItemRow {
  id: number;
  purchase_id: string;
  line_no: number;
  item_type: ItemType;
  appointment_id: string | null;
  service_id: string | null;
  product_id: string | null;
  voucher_id: string | null;
  voucher_serial?: string | null;
  staff_id: string | null;
  client_id: string | null;
  description: string;
  quantity: number;
  unit_price_minor: number;
  gross_minor: number;
  discount_minor: number;
  total_minor: number;
  tax_rate_id: string | null;
  tax_rate_milli: number;
  tax_minor: number;
  net_minor: number;
  unit_cost_minor: number;
  original_item_id: number | null;
}

export interface PurchasePaymentRow {
  purchase_id: string;
  type: PaymentType;
  amount_minor: number;
  tendered_minor: number;
  voucher_id: string | null;
  reference: string | null;
}

export interface PurchaseParts {
  row: PurchaseRow;
  items: PurchaseItemRow[];
  payments: PurchasePaymentRow[];
  /** Units of each line refunded so far (only for sales). */
  refunded?: Map<number, number>;
}

/**
 * The reference's `itemId` (read with `itemType`): the appointment, service or product the line
 * is for, the gift voucher a VOUCHER line sold; a TIP line has none.
 */
function itemIdOf(i: PurchaseItemRow): string | null {
  switch (i.item_type) {
    case 'APPOINTMENT':
      return i.appointment_id;
    case 'SERVICE':
      return i.service_id;
    case 'PRODUCT':
      return i.product_id;
    case 'VOUCHER':
      return i.voucher_id;
    case 'TIP':
      return null;
  }
}

/** A purchase as the API shows it: Phorest's fields (purchaseId, number, transactionId, items, payments) and the receipt's figures. */
export function purchaseView({ row, items, payments, refunded }: PurchaseParts) {
  const m = (minor: number) => toMajor(minor, row.currency);
  const byRate = new Map<number, { net: number; tax: number; total: number }>();
  for (const i of items) {
    const t = byRate.get(i.tax_rate_milli) ?? { net: 0, tax: 0, total: 0 };
    t.net += i.net_minor;
    t.tax += i.tax_minor;
    t.total += i.total_minor;
    byRate.set(i.tax_rate_milli, t);
  }
  return {
    purchaseId: row.id,
    number: row.number,
    transactionId: row.number,
    branchId: row.branch_id,
    kind: row.kind,
    originalPurchaseId: row.original_purchase_id,
    clientId: row.client_id,
    staffId: row.staff_id,
    tillId: row.till_id,
    tillSessionId: row.till_session_id,
    currencyCode: row.currency,
    items: items.map((i) => ({
      purchaseItemId: i.id,
      itemType: i.item_type,
      itemId: itemIdOf(i),
      appointmentId: i.appointment_id,
      serviceId: i.service_id,
      productId: i.product_id,
      voucherId: i.voucher_id,
      voucherSerialNumber: i.voucher_serial ?? null,
      staffId: i.staff_id,
      description: i.description,
      quantity: i.quantity,
      price: m(i.unit_price_minor),
      grossAmount: m(i.gross_minor),
      discount: m(i.discount_minor),
      total: m(i.total_minor),
      taxRateId: i.tax_rate_id,
      taxRate: milliToRate(i.tax_rate_milli),
      tax: m(i.tax_minor),
      net: m(i.net_minor),
      originalPurchaseItemId: i.original_item_id,
      refundedQuantity: refunded ? (refunded.get(i.id) ?? 0) : undefined,
    })),
    payments: payments.map((p) => ({
      type: p.type,
      amount: m(p.amount_minor),
      tendered: m(p.tendered_minor),
      voucherId: p.voucher_id,
      reference: p.reference,
    })),
    grossAmount: m(row.gross_minor),
    discount: m(row.discount_minor),
    total: m(row.total_minor),
    tax: m(row.tax_minor),
    net: m(row.total_minor - row.tax_minor),
    tips: m(row.tip_minor),
    amountPaid: m(row.paid_minor),
    changeDue: m(row.change_minor),
    taxBreakdown: [...byRate.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rate, t]) => ({ taxRate: milliToRate(rate), net: m(t.net), tax: m(t.tax), total: m(t.total) })),
    purchasedAt: iso(row.purchased_at),
    purchaseDate: dateOnly(row.local_date),
    note: row.note,
    createdBy: row.created_by,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type PurchaseView = ReturnType<typeof purchaseView>;

/** purchase.completed (a sale) or purchase.refunded (a refund or void), in minor units. */
export function purchaseEvent({ row, items, payments }: PurchaseParts, completedAppointmentIds: string[]) {
  return createEvent(
    row.kind === 'SALE' ? 'purchase.completed' : 'purchase.refunded',
    {
      purchaseId: row.id,
      number: row.number,
      kind: row.kind,
      originalPurchaseId: row.original_purchase_id,
      clientId: row.client_id,
      staffId: row.staff_id,
      tillId: row.till_id,
      currency: row.currency,
      totalMinor: row.total_minor,
      taxMinor: row.tax_minor,
      discountMinor: row.discount_minor,
      tipMinor: row.tip_minor,
      changeMinor: row.change_minor,
      items: items.map((i) => ({
        itemType: i.item_type,
        quantity: i.quantity,
        totalMinor: i.total_minor,
        taxMinor: i.tax_minor,
        appointmentId: i.appointment_id,
        serviceId: i.service_id,
        productId: i.product_id,
        voucherId: i.voucher_id,
        staffId: i.staff_id,
      })),
      payments: payments.map((p) => ({ type: p.type, amountMinor: p.amount_minor, voucherId: p.voucher_id })),
      completedAppointmentIds,
      purchasedAt: row.purchased_at.toISOString(),
    },
    { businessId: row.business_id, branchId: row.branch_id },
  );
}
