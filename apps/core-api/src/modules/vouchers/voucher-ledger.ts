import { randomInt } from 'node:crypto';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';
import { toMajor } from '../../shared/money';
import { duplicateKeyOf } from '../retail/amounts';
import type { VoucherRow, VoucherTransactionRow } from './voucher.view';

export interface VoucherContext {
  businessId: string;
  branchId: string | null;
  purchaseId?: string | null;
  userId?: string | null;
  now?: Date;
}

/** How a tender names its voucher. */
export interface VoucherRef {
  voucherId?: string;
  serialNumber?: string;
}

export interface IssueVoucher {
  serialNumber?: string;
  balanceMinor: number;
  currency: string;
  creatingBranchId: string;
  issueDate?: Date;
  expiryDate?: Date | null;
  clientId?: string | null;
  notes?: string | null;
  soldInPurchaseId?: string | null;
  /** The request field naming the serial (for the 412). */
  field?: string;
}

const SERIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const serialTaken = (field = 'serialNumber') =>
  new ApiError(412, 'SERIAL_NUMBER_TAKEN', 'A voucher with this serial number already exists', {
    fields: [{ field, message: 'already used in this business' }],
  });

/**
 * The only writer of voucher balances: every change is a row of voucher_transaction with the
 * balance after it. A balance is changed only under the voucher's row lock (SELECT … FOR
 * UPDATE), and a CHECK constraint keeps it from going below zero even if code did not.
 */
@Injectable()
export class VoucherLedger {
  /** Locks the vouchers named (in id order, so two purchases never wait on each other in a circle). */
  async lock(m: EntityManager, businessId: string, refs: VoucherRef[], field: (i: number) => string): Promise<VoucherRow[]> {
    const ids = refs.filter((r) => r.voucherId).map((r) => r.voucherId!);
    const serials = refs.filter((r) => !r.voucherId && r.serialNumber).map((r) => r.serialNumber!);
    if (!ids.length && !serials.length) return [];
    const found: { id: string; serial_number: string }[] = await m.query(
      'SELECT id, serial_number FROM voucher WHERE business_id = ? AND (id IN (?) OR serial_number IN (?))',
      [businessId, ids.length ? ids : [''], serials.length ? serials : ['']],
    );
    const byId = new Set(found.map((f) => f.id));
    const bySerial = new Map(found.map((f) => [f.serial_number.toLowerCase(), f.id]));
    const resolved = refs.map((r, i) => {
      const id = r.voucherId
        ? byId.has(r.voucherId)
          ? r.voucherId
          : undefined
        : r.serialNumber
          ? bySerial.get(r.serialNumber.toLowerCase())
          : undefined;
      if (!id)
        throw new ApiError(404, 'NOT_FOUND', 'Voucher not found', {
          fields: [{ field: field(i), message: 'no such voucher in this business' }],
        });
      return id;
    });
    const rows: VoucherRow[] = await m.query('SELECT * FROM voucher WHERE id IN (?) ORDER BY id FOR UPDATE', [
      [...new Set(resolved)].sort(),
    ]);
    const locked = new Map(rows.map((r) => [r.id, r]));
    return resolved.map((id) => locked.get(id)!);
  }

  /**
   * Takes `amountMinor` off a locked voucher. Refused: expired (409 VOUCHER_EXPIRED), archived
   * or voided (409 VOUCHER_UNUSABLE), another currency, or not enough left (409
   * VOUCHER_INSUFFICIENT_BALANCE, with what remains).
   */
  async redeem(
    m: EntityManager,
    ctx: VoucherContext,
    voucher: VoucherRow,
    amountMinor: number,
    currency: string,
    field: string,
  ): Promise<void> {
    const now = ctx.now ?? new Date();
    const fields = (message: string) => ({ fields: [{ field, message }], voucherId: voucher.id, serialNumber: voucher.serial_number });
    if (voucher.archived) throw new ApiError(409, 'VOUCHER_UNUSABLE', 'This voucher is void', fields('void'));
    if (voucher.expiry_date && voucher.expiry_date.getTime() <= now.getTime())
      throw new ApiError(409, 'VOUCHER_EXPIRED', 'This voucher has expired', fields('expired'));
    if (voucher.currency !== currency) {
      throw new ApiError(
        409,
        'VOUCHER_CURRENCY_MISMATCH',
        `This voucher is in ${voucher.currency}, the purchase in ${currency}`,
        fields('another currency'),
      );
    }
    if (voucher.remaining_balance_minor < amountMinor) {
      throw new ApiError(
        409,
        'VOUCHER_INSUFFICIENT_BALANCE',
        `Only ${toMajor(voucher.remaining_balance_minor, voucher.currency)} left on this voucher`,
        {
          ...fields('more than its balance'),
          remainingBalance: toMajor(voucher.remaining_balance_minor, voucher.currency),
        },
      );
    }
    await this.change(m, ctx, voucher, -amountMinor, 'REDEEM');
  }

  /** Puts `amountMinor` back on a voucher (a refund paid to it). */
  async credit(m: EntityManager, ctx: VoucherContext, voucher: VoucherRow, amountMinor: number, note?: string): Promise<void> {
    if (voucher.archived) throw new ApiError(409, 'VOUCHER_UNUSABLE', 'This voucher is void; refund to another tender');
    await this.change(m, ctx, voucher, amountMinor, 'REFUND', note);
  }

  /** Voids a sold voucher whose sale is reversed; only while nothing has been spent from it. */
  async voidUnused(m: EntityManager, ctx: VoucherContext, voucher: VoucherRow): Promise<void> {
    if (voucher.remaining_balance_minor !== voucher.original_balance_minor || voucher.archived) {
      throw new ApiError(409, 'VOUCHER_ALREADY_USED', `Voucher ${voucher.serial_number} has been used; its sale cannot be reversed`, {
        voucherId: voucher.id,
      });
    }
    await this.change(m, ctx, voucher, -voucher.remaining_balance_minor, 'VOID');
    await m.query('UPDATE voucher SET archived = 1 WHERE id = ?', [voucher.id]);
  }

  /** Sets a new remaining balance (Phorest's PUT), recorded as an ADJUST. */
  async adjust(m: EntityManager, ctx: VoucherContext, voucher: VoucherRow, newBalanceMinor: number, note?: string): Promise<void> {
    await this.change(m, ctx, voucher, newBalanceMinor - voucher.remaining_balance_minor, 'ADJUST', note);
  }

  /** Creates a voucher with its ISSUE entry; a taken serial is 412 (as Phorest answers). */
  async issue(m: EntityManager, ctx: VoucherContext, v: IssueVoucher): Promise<VoucherRow> {
    const id = newId();
    const now = ctx.now ?? new Date();
    for (let attempt = 0; ; attempt++) {
      const serial = v.serialNumber ?? Array.from({ length: 10 }, () => SERIAL_ALPHABET[randomInt(SERIAL_ALPHABET.length)]).join('');
      try {
        await m.query(
          `INSERT INTO voucher (id, business_id, creating_branch_id, serial_number, client_id, currency, issue_date, expiry_date, original_balance_minor,
             remaining_balance_minor, notes, sold_in_purchase_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            ctx.businessId,
            v.creatingBranchId,
            serial,
            v.clientId ?? null,
            v.currency,
            v.issueDate ?? now,
            v.expiryDate ?? null,
            v.balanceMinor,
            v.balanceMinor,
            v.notes ?? null,
            v.soldInPurchaseId ?? null,
            now,
            now,
          ],
        );
        break;
      } catch (err) {
        if (duplicateKeyOf(err) !== 'uq_voucher_serial') throw err;
        if (v.serialNumber || attempt >= 5) throw serialTaken(v.field);
      }
    }
    const [row]: VoucherRow[] = await m.query('SELECT * FROM voucher WHERE id = ? FOR UPDATE', [id]);
    await this.record(m, ctx, row, v.balanceMinor, 'ISSUE', v.balanceMinor);
    return row;
  }

  async history(m: EntityManager, voucherId: string, limit: number, offset: number): Promise<VoucherTransactionRow[]> {
    return m.query('SELECT * FROM voucher_transaction WHERE voucher_id = ? ORDER BY seq LIMIT ? OFFSET ?', [voucherId, limit, offset]);
  }

  private async change(
    m: EntityManager,
    ctx: VoucherContext,
    voucher: VoucherRow,
    delta: number,
    type: VoucherTransactionRow['type'],
    note?: string,
  ): Promise<void> {
    const after = voucher.remaining_balance_minor + delta;
    if (after < 0) throw new ApiError(409, 'VOUCHER_INSUFFICIENT_BALANCE', 'A voucher balance cannot go below zero');
    await m.query('UPDATE voucher SET remaining_balance_minor = ?, version = version + 1, updated_at = ? WHERE id = ?', [
      after,
      ctx.now ?? new Date(),
      voucher.id,
    ]);
    voucher.remaining_balance_minor = after;
    voucher.version += 1;
    await this.record(m, ctx, voucher, delta, type, after, note);
  }

  private async record(
    m: EntityManager,
    ctx: VoucherContext,
    voucher: VoucherRow,
    amount: number,
    type: VoucherTransactionRow['type'],
    after: number,
    note?: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO voucher_transaction (id, business_id, voucher_id, branch_id, type, amount_minor, balance_after_minor, purchase_id, note, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId(),
        ctx.businessId,
        voucher.id,
        ctx.branchId,
        type,
        amount,
        after,
        ctx.purchaseId ?? null,
        note ?? null,
        ctx.userId ?? null,
        ctx.now ?? new Date(),
      ],
    );
  }
}
