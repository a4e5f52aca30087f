import { iso } from '../../shared/http/versioning';
import { toMajor } from '../../shared/money';

export interface VoucherRow {
  id: string;
  business_id: string;
  creating_branch_id: string;
  serial_number: string;
  client_id: string | null;
  currency: string;
  issue_date: Date;
  expiry_date: Date | null;
  original_balance_minor: number;
  remaining_balance_minor: number;
  notes: string | null;
  sold_in_purchase_id: string | null;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface VoucherTransactionRow {
  id: string;
  voucher_id: string;
  branch_id: string | null;
  type: 'ISSUE' | 'REDEEM' | 'REFUND' | 'ADJUST' | 'VOID';
  amount_minor: number;
  balance_after_minor: number;
  purchase_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

/** A voucher with Phorest's fields; balances in major units of its currency. */
export function voucherView(row: VoucherRow) {
  return {
    voucherId: row.id,
    serialNumber: row.serial_number,
    issueDate: iso(row.issue_date),
    expiryDate: iso(row.expiry_date),
    originalBalance: toMajor(row.original_balance_minor, row.currency),
    remainingBalance: toMajor(row.remaining_balance_minor, row.currency),
    currencyCode: row.currency,
    clientId: row.client_id,
    creatingBranchId: row.creating_branch_id,
    notes: row.notes,
    soldInPurchaseId: row.sold_in_purchase_id,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function voucherTransactionView(row: VoucherTransactionRow, currency: string) {
  return {
    transactionId: row.id,
    voucherId: row.voucher_id,
    type: row.type,
    amount: toMajor(row.amount_minor, currency),
    balanceAfter: toMajor(row.balance_after_minor, currency),
    branchId: row.branch_id,
    purchaseId: row.purchase_id,
    note: row.note,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
  };
}
