import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';
import { BranchesService } from '../branches/branches.service';
import { ArchivableListQuery } from '../catalogue/shared/catalogue.dto';
import { archiveRow, bool, listPage, requireRow, Scope, updateVersioned } from '../catalogue/shared/catalogue.sql';
import { rateMilliOf } from '../retail/amounts';
import { CreateTaxRateDto, UpdateTaxRateDto } from './dto/tax-rate.dto';
import { TaxRateRow, taxRateView } from './product.view';

const WHAT = 'Tax rate';

/** The rates a purchase line can be taxed at: its own, or the branch defaults. */
export interface BranchTaxRates {
  byId: Map<string, TaxRateRow>;
  services: TaxRateRow | null;
  products: TaxRateRow | null;
}

/**
 * The branch's tax rates, as percentages with up to 3 decimals (stored as thousandths of a
 * percent, exactly). One rate may be the default for services (and appointments), one for
 * products that name none; vouchers and tips carry no tax.
 */
@Injectable()
export class TaxRatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: ArchivableListQuery) {
    await this.branches.require(businessId, branchId);
    return listPage(this.dataSource.manager, {
      table: 'tax_rate',
      scope: { businessId, branchId },
      includeArchived: query.includeArchived,
      orderBy: 'name, id',
      key: 'taxRates',
      query,
      view: (rows: TaxRateRow[]) => rows.map(taxRateView),
    });
  }

  async get(businessId: string, branchId: string, taxRateId: string) {
    await this.branches.require(businessId, branchId);
    return taxRateView(await requireRow<TaxRateRow>(this.dataSource.manager, 'tax_rate', { businessId, branchId }, taxRateId, WHAT));
  }

  async create(businessId: string, branchId: string, dto: CreateTaxRateDto) {
    const id = newId();
    const rateMilli = rateMilliOf(dto.rate, 'rate');
    await this.dataSource.transaction(async (m) => {
      await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      await this.clearDefaults(m, scope, dto, id);
      const now = new Date();
      await m.query(
        `INSERT INTO tax_rate (id, business_id, branch_id, name, rate_milli, default_for_services, default_for_products, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, businessId, branchId, dto.name, rateMilli, dto.defaultForServices ? 1 : 0, dto.defaultForProducts ? 1 : 0, now, now],
      );
    });
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, taxRateId: string, dto: UpdateTaxRateDto) {
    const rateMilli = dto.rate === undefined ? undefined : rateMilliOf(dto.rate, 'rate');
    await this.dataSource.transaction(async (m) => {
      await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      await requireRow(m, 'tax_rate', scope, taxRateId, WHAT);
      await this.clearDefaults(m, scope, dto, taxRateId);
      await updateVersioned(
        m,
        'tax_rate',
        scope,
        taxRateId,
        dto.version,
        {
          name: dto.name,
          rate_milli: rateMilli,
          default_for_services: bool(dto.defaultForServices),
          default_for_products: bool(dto.defaultForProducts),
          archived: bool(dto.archived),
        },
        WHAT,
      );
      // An archived rate is nobody's default.
      if (dto.archived) await m.query('UPDATE tax_rate SET default_for_services = 0, default_for_products = 0 WHERE id = ?', [taxRateId]);
    });
    return this.get(businessId, branchId, taxRateId);
  }

  /** Archives: products and past purchases keep the rate they had; it is no longer a default. */
  async archive(businessId: string, branchId: string, taxRateId: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction(async (m) => {
      await archiveRow(m, 'tax_rate', { businessId, branchId }, taxRateId, WHAT);
      await m.query('UPDATE tax_rate SET default_for_services = 0, default_for_products = 0 WHERE id = ?', [taxRateId]);
    });
  }

  /** The rates a purchase needs: those named, plus the branch defaults. */
  async forPurchase(m: EntityManager, businessId: string, branchId: string, ids: string[]): Promise<BranchTaxRates> {
    const rows: TaxRateRow[] = await m.query(
      'SELECT * FROM tax_rate WHERE business_id = ? AND branch_id = ? AND (id IN (?) OR default_for_services = 1 OR default_for_products = 1)',
      [businessId, branchId, ids.length ? ids : ['']],
    );
    return {
      byId: new Map(rows.map((r) => [r.id, r])),
      services: rows.find((r) => r.default_for_services && !r.archived) ?? null,
      products: rows.find((r) => r.default_for_products && !r.archived) ?? null,
    };
  }

  /** One default of each kind per branch: setting it here clears it elsewhere (rows locked first). */
  private async clearDefaults(
    m: EntityManager,
    scope: Required<Scope>,
    dto: { defaultForServices?: boolean; defaultForProducts?: boolean },
    keepId: string,
  ): Promise<void> {
    if (!dto.defaultForServices && !dto.defaultForProducts) return;
    await m.query('SELECT id FROM tax_rate WHERE business_id = ? AND branch_id = ? ORDER BY id FOR UPDATE', [
      scope.businessId,
      scope.branchId,
    ]);
    if (dto.defaultForServices) {
      await m.query(
        'UPDATE tax_rate SET default_for_services = 0, version = version + 1, updated_at = ? WHERE branch_id = ? AND default_for_services = 1 AND id <> ?',
        [new Date(), scope.branchId, keepId],
      );
    }
    if (dto.defaultForProducts) {
      await m.query(
        'UPDATE tax_rate SET default_for_products = 0, version = version + 1, updated_at = ? WHERE branch_id = ? AND default_for_products = 1 AND id <> ?',
        [new Date(), scope.branchId, keepId],
      );
    }
  }
}
