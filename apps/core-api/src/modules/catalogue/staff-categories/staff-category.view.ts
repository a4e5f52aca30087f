import { iso } from '../../../shared/http/versioning';
import type { AuditRow } from '../shared/catalogue.sql';

export interface StaffCategoryRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
}

/** A staff category (ours; Phorest shows only `staffCategoryId`/`staffCategoryName` on staff). */
export function staffCategoryView(row: StaffCategoryRow) {
  return {
    staffCategoryId: row.id,
    name: row.name,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type StaffCategoryView = ReturnType<typeof staffCategoryView>;
