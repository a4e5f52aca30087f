import { iso } from '../../../shared/http/versioning';
import type { AuditRow } from '../shared/catalogue.sql';

export interface ServiceCategoryRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
  sort_order: number;
}

/** A service category as Phorest names it (`categoryId`), plus our set-up fields. */
export function serviceCategoryView(row: ServiceCategoryRow) {
  return {
    categoryId: row.id,
    name: row.name,
    sortOrder: row.sort_order,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type ServiceCategoryView = ReturnType<typeof serviceCategoryView>;
