import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { archiveRow, bool, listPage, requireReferences, requireRow, Scope, updateVersioned } from '../catalogue/shared/catalogue.sql';
import { duplicateKeyOf, minorOf } from '../retail/amounts';
import { StockLedger } from '../stock/stock-ledger';
import { CreateProductDto, ProductListQuery, UpdateProductDto } from './dto/product.dto';
import { ProductRow, productView } from './product.view';

const WHAT = 'Product';

/**
 * Retail and professional products of a branch: name, SKU, barcode, price and cost price in
 * minor units, tax rate and reorder level. The stock level is read-only here: it changes only
 * through movements (StockLedger), whose sum it always equals.
 */
@Injectable()
export class ProductsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly ledger: StockLedger,
  ) {}

  async list(businessId: string, branchId: string, q: ProductListQuery) {
    const branch = await this.branches.require(businessId, branchId);
    const where: { sql: string; params: unknown[] }[] = [];
    if (q.archivedOnly) where.push({ sql: 'archived = 1', params: [] });
    if (q.productType) where.push({ sql: 'type = ?', params: [q.productType] });
    if (q.barcode) where.push({ sql: 'barcode = ?', params: [q.barcode] });
    if (q.searchQuery?.trim()) {
      const like = `%${q.searchQuery.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({ sql: '(name LIKE ? OR code LIKE ? OR barcode LIKE ?)', params: [like, like, like] });
    }
    if (q.outOfStock) where.push({ sql: 'stock_level <= 0', params: [] });
    if (q.lowStock) where.push({ sql: 'stock_level <= reorder_level', params: [] });
    if (q.updated_from) where.push({ sql: 'updated_at >= ?', params: [new Date(q.updated_from)] });
    if (q.updated_to) where.push({ sql: 'updated_at <= ?', params: [new Date(q.updated_to)] });
    return listPage(this.dataSource.manager, {
      table: 'product',
      scope: { businessId, branchId },
      where,
      includeArchived: q.includeArchived || q.archivedOnly,
      orderBy: 'name, id',
      key: 'products',
      query: q,
      view: (rows: ProductRow[]) => rows.map((r) => productView(r, branch.currency)),
    });
  }

  async get(businessId: string, branchId: string, productId: string) {
    const branch = await this.branches.require(businessId, branchId);
    return productView(
      await requireRow<ProductRow>(this.dataSource.manager, 'product', { businessId, branchId }, productId, WHAT),
      branch.currency,
    );
  }

  async create(principal: Principal, businessId: string, branchId: string, dto: CreateProductDto) {
    const id = newId();
    await this.write(async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      await this.checkTaxRate(m, scope, dto.taxRateId);
      const now = new Date();
      await m.query(
        `INSERT INTO product (id, business_id, branch_id, name, code, barcode, type, price_minor, cost_price_minor, tax_rate_id, reorder_level, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          businessId,
          branchId,
          dto.name,
          dto.sku ?? null,
          dto.barcode ?? null,
          dto.type ?? 'RETAIL',
          minorOf(dto.price, branch.currency, 'price'),
          minorOf(dto.costPrice ?? 0, branch.currency, 'costPrice'),
          dto.taxRateId ?? null,
          dto.reorderLevel ?? 0,
          now,
          now,
        ],
      );
      if (dto.openingStock) {
        await this.ledger.apply(m, { businessId, branchId, userId: principal.userId }, [
          { productId: id, change: dto.openingStock, reason: 'ADJUSTMENT', note: 'Opening stock' },
        ]);
        // The opening movement is part of creating the product, not a change after it.
        await m.query('UPDATE product SET version = 1 WHERE id = ?', [id]);
      }
    });
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, productId: string, dto: UpdateProductDto) {
    await this.write(async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      await requireRow(m, 'product', scope, productId, WHAT);
      await this.checkTaxRate(m, scope, dto.taxRateId);
      await updateVersioned(
        m,
        'product',
        scope,
        productId,
        dto.version,
        {
          name: dto.name,
          code: dto.sku,
          barcode: dto.barcode,
          type: dto.type,
          price_minor: dto.price === undefined ? undefined : minorOf(dto.price, branch.currency, 'price'),
          cost_price_minor: dto.costPrice === undefined ? undefined : minorOf(dto.costPrice, branch.currency, 'costPrice'),
          tax_rate_id: dto.taxRateId,
          reorder_level: dto.reorderLevel,
          archived: bool(dto.archived),
        },
        WHAT,
      );
    });
    return this.get(businessId, branchId, productId);
  }

  /** Archives: the product leaves lists and the till; its movements and sales stay. */
  async archive(businessId: string, branchId: string, productId: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await archiveRow(this.dataSource.manager, 'product', { businessId, branchId }, productId, WHAT);
  }

  private async checkTaxRate(m: EntityManager, scope: Required<Scope>, taxRateId: string | null | undefined): Promise<void> {
    if (taxRateId) await requireReferences(m, 'tax_rate', scope, [taxRateId], 'Tax rate', 'taxRateId');
  }

  private async write(work: (m: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.dataSource.transaction(work);
    } catch (err) {
      const key = duplicateKeyOf(err);
      if (key === 'uq_product_barcode') {
        throw new ApiError(409, 'BARCODE_TAKEN', 'Another product of this branch has that barcode', {
          fields: [{ field: 'barcode', message: 'already used in this branch' }],
        });
      }
      if (key === 'uq_product_code') {
        throw new ApiError(409, 'SKU_TAKEN', 'Another product of this branch has that SKU', {
          fields: [{ field: 'sku', message: 'already used in this branch' }],
        });
      }
      throw err;
    }
  }
}
