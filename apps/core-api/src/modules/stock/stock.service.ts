import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { limitOffset, pageOf } from '../../shared/http/paging';
import { iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import { toMajor } from '../../shared/money';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { invalid, retryOnDeadlock } from '../retail/amounts';
import { InventoryTransactionQuery, RetailSettingsDto, StockAdjustmentDto, StockTakeDto } from './dto/stock.dto';
import { Movement, StockLedger } from './stock-ledger';

interface InventoryRow {
  id: string;
  product_id: string;
  product_name: string;
  batch_id: string;
  reason: string;
  quantity_change: number;
  quantity_after: number;
  expected_quantity: number | null;
  counted_quantity: number | null;
  unit_cost_minor: number;
  purchase_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

type ProductRef = { barcode?: string; barcodes?: string[]; productId?: string };

/**
 * Stock movements other than sales: Phorest's adjustment (barcodes or barcode, signed quantity,
 * DEDUCT/INCREASE) with our reasons (DELIVERY, LOSS, PROFESSIONAL_USE, STOCK_TAKE), stock takes with their
 * variance, the movement list, and the branch's negative-stock setting.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly ledger: StockLedger,
  ) {}

  async adjust(principal: Principal, businessId: string, branchId: string, dto: StockAdjustmentDto): Promise<void> {
    await this.branches.require(businessId, branchId);
    const ids = await this.resolveProducts(businessId, branchId, dto.stocks, 'stocks');
    const movements: Movement[] = dto.stocks.map((line, i) => {
      const field = `stocks[${i}]`;
      const productId = ids[i];
      const direction = line.operationType;
      const reason = line.reason === 'ADJUSTMENT' ? undefined : line.reason;
      const q = line.quantity;
      if (reason === 'STOCK_TAKE') {
        if (direction) throw invalid(`${field}.operationType`, 'must be absent for a STOCK_TAKE (quantity is the count)');
        if (q < 0) throw invalid(`${field}.quantity`, 'a STOCK_TAKE quantity is the count on the shelf: 0 or more');
        return { productId, counted: q, reason: 'STOCK_TAKE', note: line.note, field };
      }
      // The direction: what the reason implies, else operationType, else the sign (a negative
      // quantity deducts; the reference's shape, barcodes, has no operationType, so there a
      // positive quantity adds). Whatever is given must agree.
      const implied = reason === 'DELIVERY' ? 'INCREASE' : reason === 'LOSS' || reason === 'PROFESSIONAL_USE' ? 'DEDUCT' : undefined;
      if (implied && direction && direction !== implied)
        throw invalid(`${field}.operationType`, implied === 'INCREASE' ? 'a DELIVERY increases stock' : `${reason} deducts stock`);
      if (q === 0) throw invalid(`${field}.quantity`, 'must not be 0');
      const signed = q < 0 ? 'DEDUCT' : undefined;
      if (signed && (implied ?? direction) === 'INCREASE')
        throw invalid(`${field}.quantity`, `a negative quantity deducts stock, but ${implied ? 'a DELIVERY' : 'operationType INCREASE'} adds it`);
      const decided = implied ?? direction ?? signed ?? (line.barcodes !== undefined ? 'INCREASE' : undefined);
      if (!decided) throw invalid(`${field}.operationType`, 'give DEDUCT or INCREASE (or a reason, or a signed quantity)');
      const units = Math.abs(q);
      return {
        productId,
        change: decided === 'INCREASE' ? units : -units,
        reason: reason ?? 'ADJUSTMENT',
        note: line.note,
        field: `${field}.quantity`,
      };
    });
    await retryOnDeadlock(() =>
      this.dataSource.transaction('READ COMMITTED', (m) =>
        this.ledger.apply(m, { businessId, branchId, userId: principal.userId }, movements),
      ),
    );
  }

  async stockTake(principal: Principal, businessId: string, branchId: string, dto: StockTakeDto) {
    const branch = await this.branches.require(businessId, branchId);
    const ids = await this.resolveProducts(businessId, branchId, dto.counts, 'counts');
    if (new Set(ids).size !== ids.length) throw invalid('counts', 'count each product once');
    const batchId = newId();
    const applied = await retryOnDeadlock(() =>
      this.dataSource.transaction('READ COMMITTED', (m) =>
        this.ledger.apply(
          m,
          { businessId, branchId, batchId, userId: principal.userId },
          dto.counts.map((c, i) => ({
            productId: ids[i],
            counted: c.countedQuantity,
            reason: 'STOCK_TAKE' as const,
            note: dto.note,
            field: `counts[${i}]`,
          })),
        ),
      ),
    );
    const money = (minor: number) => toMajor(minor, branch.currency);
    const lines = applied.map((a) => ({
      transactionId: a.transactionId,
      productId: a.productId,
      name: a.productName,
      expectedQuantity: a.before,
      countedQuantity: a.counted,
      variance: a.change,
      varianceCost: money(a.change * a.unitCostMinor),
    }));
    return {
      stockTakeId: batchId,
      countedAt: new Date().toISOString(),
      lines,
      totalVariance: applied.reduce((s, a) => s + a.change, 0),
      totalVarianceCost: money(applied.reduce((s, a) => s + a.change * a.unitCostMinor, 0)),
    };
  }

  async transactions(businessId: string, branchId: string, q: InventoryTransactionQuery) {
    const branch = await this.branches.require(businessId, branchId);
    const where = ['t.business_id = ?', 't.branch_id = ?'];
    const params: unknown[] = [businessId, branchId];
    if (q.productId) {
      const owned: unknown[] = await this.dataSource.query('SELECT id FROM product WHERE id = ? AND business_id = ? AND branch_id = ?', [
        q.productId,
        businessId,
        branchId,
      ]);
      if (!owned.length) throw ApiError.notFound('Product');
      where.push('t.product_id = ?');
      params.push(q.productId);
    }
    if (q.reason) {
      where.push('t.reason = ?');
      params.push(q.reason);
    }
    if (q.updated_from) {
      where.push('t.created_at >= ?');
      params.push(new Date(q.updated_from));
    }
    if (q.updated_to) {
      where.push('t.created_at <= ?');
      params.push(new Date(q.updated_to));
    }
    const clause = where.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT t.*, p.name AS product_name FROM inventory_transaction t JOIN product p ON p.id = t.product_id WHERE ${clause} ORDER BY t.seq LIMIT ? OFFSET ?`,
        [...params, ...limitOffset(q)],
      ) as Promise<InventoryRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM inventory_transaction t WHERE ${clause}`, params) as Promise<
        { total: number }[]
      >,
    ]);
    const view = (r: InventoryRow) => ({
      transactionId: r.id,
      productId: r.product_id,
      productName: r.product_name,
      quantityChange: r.quantity_change,
      quantityAfter: r.quantity_after,
      operationType: r.quantity_change < 0 ? 'DEDUCT' : 'INCREASE',
      reason: r.reason,
      expectedQuantity: r.expected_quantity,
      countedQuantity: r.counted_quantity,
      variance: r.counted_quantity === null ? null : r.quantity_change,
      unitCost: toMajor(r.unit_cost_minor, branch.currency),
      purchaseId: r.purchase_id,
      batchId: r.batch_id,
      note: r.note,
      createdBy: r.created_by,
      createdAt: iso(r.created_at),
    });
    return pageOf('inventoryTransactions', rows.map(view), Number(total), q);
  }

  async settings(businessId: string, branchId: string) {
    await this.branches.require(businessId, branchId);
    const [row]: { allow_negative_stock: number; version: number; updated_at: Date }[] = await this.dataSource.query(
      'SELECT allow_negative_stock, version, updated_at FROM retail_settings WHERE branch_id = ? AND business_id = ?',
      [branchId, businessId],
    );
    return { branchId, allowNegativeStock: !!row?.allow_negative_stock, version: row?.version ?? 0, updatedAt: iso(row?.updated_at) };
  }

  async updateSettings(businessId: string, branchId: string, dto: RetailSettingsDto) {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction(async (m: EntityManager) => {
      const now = new Date();
      const allow = dto.allowNegativeStock === undefined ? undefined : dto.allowNegativeStock ? 1 : 0;
      let changed: number;
      if (dto.version === 0) {
        const r: { affectedRows: number } = await m.query(
          'INSERT IGNORE INTO retail_settings (branch_id, business_id, allow_negative_stock, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
          [branchId, businessId, allow ?? 0, now, now],
        );
        changed = r.affectedRows;
      } else {
        const r: { affectedRows: number } = await m.query(
          'UPDATE retail_settings SET allow_negative_stock = COALESCE(?, allow_negative_stock), version = version + 1, updated_at = ? WHERE branch_id = ? AND business_id = ? AND version = ?',
          [allow ?? null, now, branchId, businessId, dto.version],
        );
        changed = r.affectedRows;
      }
      if (!changed) {
        const [row]: { version: number }[] = await m.query('SELECT version FROM retail_settings WHERE branch_id = ?', [branchId]);
        const current = row?.version ?? 0;
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          `The settings were changed by someone else (now version ${current}); read them again and retry`,
          { currentVersion: current },
        );
      }
    });
    return this.settings(businessId, branchId);
  }

  /**
   * Each line's product id, within the branch, from exactly one of: its barcode, its barcodes
   * (the product any of them belongs to; two products is ambiguous), its productId.
   */
  private async resolveProducts(businessId: string, branchId: string, lines: ProductRef[], field: string): Promise<string[]> {
    lines.forEach((l, i) => {
      const given = [l.barcode, l.barcodes, l.productId].filter((v) => v !== undefined).length;
      if (given !== 1)
        throw invalid(`${field}[${i}]`, l.barcodes !== undefined ? 'give one of barcodes, barcode or productId' : 'give either barcode or productId');
    });
    const barcodes = lines.flatMap((l) => (l.barcode ? [l.barcode] : (l.barcodes ?? [])));
    const productIds = lines.flatMap((l) => (l.productId ? [l.productId] : []));
    const rows: { id: string; barcode: string | null }[] = await this.dataSource.query(
      `SELECT id, barcode FROM product WHERE business_id = ? AND branch_id = ? AND (barcode IN (?) OR id IN (?))`,
      [businessId, branchId, barcodes.length ? barcodes : [''], productIds.length ? productIds : ['']],
    );
    const byBarcode = new Map(rows.filter((r) => r.barcode).map((r) => [r.barcode!, r.id]));
    const known = new Set(rows.map((r) => r.id));
    const notFound = (at: string, message: string) =>
      new ApiError(404, 'NOT_FOUND', message, { fields: [{ field: at, message: 'no such product in this branch' }] });
    return lines.map((l, i) => {
      if (l.barcodes !== undefined) {
        const matched = [...new Set(l.barcodes.flatMap((b) => byBarcode.get(b) ?? []))];
        if (!matched.length) throw notFound(`${field}[${i}].barcodes`, `No product with barcode ${l.barcodes.join(' or ')} in this branch`);
        if (matched.length > 1)
          throw invalid(`${field}[${i}].barcodes`, 'these barcodes belong to different products; send one line per product');
        return matched[0];
      }
      const id = l.barcode !== undefined ? byBarcode.get(l.barcode) : known.has(l.productId!) ? l.productId : undefined;
      if (!id) {
        throw l.barcode !== undefined
          ? notFound(`${field}[${i}].barcode`, `No product with barcode ${l.barcode} in this branch`)
          : notFound(`${field}[${i}].productId`, 'Product not found');
      }
      return id;
    });
  }
}
