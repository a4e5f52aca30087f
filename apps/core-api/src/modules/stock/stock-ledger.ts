import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';

export type StockReason = 'SALE' | 'REFUND' | 'DELIVERY' | 'LOSS' | 'PROFESSIONAL_USE' | 'STOCK_TAKE' | 'ADJUSTMENT';

export interface Movement {
  productId: string;
  /** Signed change; for a stock take, leave it out and give `counted`. */
  change?: number;
  /** A stock take: the quantity counted on the shelf. */
  counted?: number;
  reason: StockReason;
  purchaseId?: string | null;
  note?: string | null;
  /** Where in the request this movement came from (for error fields). */
  field?: string;
}

export interface AppliedMovement {
  transactionId: string;
  productId: string;
  productName: string;
  change: number;
  before: number;
  after: number;
  counted: number | null;
  unitCostMinor: number;
}

export interface LedgerContext {
  businessId: string;
  branchId: string;
  /** Groups the movements of one request (an adjustment, a stock take, a purchase). */
  batchId?: string;
  userId?: string | null;
}

interface LockedProduct {
  id: string;
  name: string;
  stock_level: number;
  cost_price_minor: number;
}

/**
 * The only writer of stock. Every change is a row in inventory_transaction (with the level
 * after it), and product.stock_level, the cached sum of those rows, is updated in the same
 * transaction under a row lock, so the level is always the sum of its movements. Products are
 * locked in id order (no deadlock between two sales of the same products). Going below zero is
 * refused (409 INSUFFICIENT_STOCK) unless the branch allows negative stock.
 */
@Injectable()
export class StockLedger {
  async allowsNegative(m: EntityManager, branchId: string): Promise<boolean> {
    const rows: { allow_negative_stock: number }[] = await m.query('SELECT allow_negative_stock FROM retail_settings WHERE branch_id = ?', [
      branchId,
    ]);
    return !!rows[0]?.allow_negative_stock;
  }

  /** Call inside the caller's transaction. */
  async apply(m: EntityManager, ctx: LedgerContext, movements: Movement[]): Promise<AppliedMovement[]> {
    if (!movements.length) return [];
    const ids = [...new Set(movements.map((mv) => mv.productId))].sort();
    const locked: LockedProduct[] = await m.query(
      'SELECT id, name, stock_level, cost_price_minor FROM product WHERE business_id = ? AND branch_id = ? AND id IN (?) ORDER BY id FOR UPDATE',
      [ctx.businessId, ctx.branchId, ids],
    );
    if (locked.length !== ids.length) throw ApiError.notFound('Product');
    const byId = new Map(locked.map((p) => [p.id, { ...p }]));
    const allowNegative = await this.allowsNegative(m, ctx.branchId);
    const batchId = ctx.batchId ?? newId();
    const now = new Date();
    const applied: AppliedMovement[] = [];
    for (const mv of movements) {
      const product = byId.get(mv.productId)!;
      const before = product.stock_level;
      const change = mv.counted !== undefined ? mv.counted - before : mv.change!;
      const after = before + change;
      if (change < 0 && after < 0 && !allowNegative) {
        throw new ApiError(409, 'INSUFFICIENT_STOCK', `Only ${before} of “${product.name}” in stock; cannot take ${-change}`, {
          productId: product.id,
          available: before,
          requested: -change,
          fields: mv.field ? [{ field: mv.field, message: `only ${before} in stock` }] : undefined,
        });
      }
      product.stock_level = after;
      applied.push({
        transactionId: newId(),
        productId: product.id,
        productName: product.name,
        change,
        before,
        after,
        counted: mv.counted ?? null,
        unitCostMinor: product.cost_price_minor,
      });
    }
    await m.query(
      `INSERT INTO inventory_transaction (id, business_id, branch_id, product_id, batch_id, reason, quantity_change, quantity_after,
         expected_quantity, counted_quantity, unit_cost_minor, purchase_id, note, created_by, created_at) VALUES ?`,
      [
        applied.map((a, i) => [
          a.transactionId,
          ctx.businessId,
          ctx.branchId,
          a.productId,
          batchId,
          movements[i].reason,
          a.change,
          a.after,
          a.counted === null ? null : a.before,
          a.counted,
          a.unitCostMinor,
          movements[i].purchaseId ?? null,
          movements[i].note ?? null,
          ctx.userId ?? null,
          now,
        ]),
      ],
    );
    // The cached level (and the product's version, so ETags and updated_from see the change).
    for (const product of byId.values()) {
      await m.query('UPDATE product SET stock_level = ?, version = version + 1, updated_at = ? WHERE id = ?', [
        product.stock_level,
        now,
        product.id,
      ]);
    }
    return applied;
  }
}
