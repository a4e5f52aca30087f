import { iso } from '../../shared/http/versioning';
import { toMajor } from '../../shared/money';
import type { AuditRow } from '../catalogue/shared/catalogue.sql';
import { milliToRate } from '../retail/tax';
import type { ProductType } from './dto/product.dto';

export interface ProductRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
  code: string | null;
  barcode: string | null;
  type: ProductType;
  price_minor: number;
  cost_price_minor: number;
  tax_rate_id: string | null;
  reorder_level: number;
  stock_level: number;
}

export interface TaxRateRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
  rate_milli: number;
  default_for_services: number;
  default_for_products: number;
}

/** A product with Phorest's names (`code`, `type`, `quantityInStock`, `minQuantity`) and the transcription's (`productType`, `stockLevel`). */
export function productView(row: ProductRow, currency: string) {
  return {
    productId: row.id,
    name: row.name,
    sku: row.code,
    code: row.code,
    barcode: row.barcode,
    type: row.type,
    productType: row.type,
    price: toMajor(row.price_minor, currency),
    costPrice: toMajor(row.cost_price_minor, currency),
    taxRateId: row.tax_rate_id,
    reorderLevel: row.reorder_level,
    minQuantity: row.reorder_level,
    quantityInStock: row.stock_level,
    stockLevel: row.stock_level,
    lowStock: row.stock_level <= row.reorder_level,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type ProductView = ReturnType<typeof productView>;

export function taxRateView(row: TaxRateRow) {
  return {
    taxRateId: row.id,
    name: row.name,
    rate: milliToRate(row.rate_milli),
    defaultForServices: !!row.default_for_services,
    defaultForProducts: !!row.default_for_products,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
