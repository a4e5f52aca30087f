import { iso } from '../../../shared/http/versioning';
import type { AuditRow } from '../shared/catalogue.sql';

export interface ClientCategoryRow extends AuditRow {
  business_id: string;
  name: string;
}

/**
 * A client category. The id appears as both `categoryId` (Phorest's reference) and
 * `clientCategoryId` (what some integrations read): the sources disagree, so both are served.
 */
export function clientCategoryView(row: ClientCategoryRow) {
  return {
    categoryId: row.id,
    clientCategoryId: row.id,
    name: row.name,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type ClientCategoryView = ReturnType<typeof clientCategoryView>;
