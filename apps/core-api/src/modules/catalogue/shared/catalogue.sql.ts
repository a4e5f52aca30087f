import { ApiError } from '@chairbook/platform';
import type { EntityManager } from 'typeorm';
import { limitOffset, PageQuery, pageOf } from '../../../shared/http/paging';
import { explainFailedUpdate } from '../../../shared/http/versioning';

/**
 * Small SQL helpers shared by the catalogue resources. Every statement is scoped by
 * business_id, and by branch_id for branch-scoped tables, so an id of another business or
 * another branch simply is not found (404). Table and column names come from our own code,
 * never from input.
 */
export interface Scope {
  businessId: string;
  /** Present for branch-scoped tables. */
  branchId?: string;
}

export interface AuditRow {
  id: string;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

type Queryable = Pick<EntityManager, 'query'>;

export function scopeSql(scope: Scope, alias = ''): { sql: string; params: string[] } {
  const p = alias ? `${alias}.` : '';
  return scope.branchId === undefined
    ? { sql: `${p}business_id = ?`, params: [scope.businessId] }
    : { sql: `${p}business_id = ? AND ${p}branch_id = ?`, params: [scope.businessId, scope.branchId] };
}

export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

export async function findRow<T>(m: Queryable, table: string, scope: Scope, id: string): Promise<T | undefined> {
  const s = scopeSql(scope);
  const rows: T[] = await m.query(`SELECT * FROM ${table} WHERE id = ? AND ${s.sql}`, [id, ...s.params]);
  return rows[0];
}

export async function requireRow<T>(m: Queryable, table: string, scope: Scope, id: string, what: string): Promise<T> {
  const row = await findRow<T>(m, table, scope, id);
  if (!row) throw ApiError.notFound(what);
  return row;
}

export interface ListSpec<R, V> {
  table: string;
  scope: Scope;
  /** Extra conditions (ANDed), with their parameters. */
  where?: { sql: string; params: unknown[] }[];
  includeArchived?: boolean;
  /** A stable order ending in the primary key. */
  orderBy: string;
  key: string;
  query: PageQuery;
  view: (rows: R[]) => V[] | Promise<V[]>;
}

/** One page of a scoped table, in Phorest's `_embedded` + `page` shape. */
export async function listPage<R, V>(m: Queryable, spec: ListSpec<R, V>) {
  const s = scopeSql(spec.scope);
  const conditions = [s.sql, ...(spec.includeArchived ? [] : ['archived = 0']), ...(spec.where ?? []).map((w) => w.sql)];
  const params = [...s.params, ...(spec.where ?? []).flatMap((w) => w.params)];
  const where = conditions.join(' AND ');
  const [rows, [{ total }]] = await Promise.all([
    m.query(`SELECT * FROM ${spec.table} WHERE ${where} ORDER BY ${spec.orderBy} LIMIT ? OFFSET ?`, [
      ...params,
      ...limitOffset(spec.query),
    ]) as Promise<R[]>,
    m.query(`SELECT COUNT(*) AS total FROM ${spec.table} WHERE ${where}`, params) as Promise<{ total: number | string }[]>,
  ]);
  return pageOf(spec.key, await spec.view(rows), Number(total), spec.query);
}

/**
 * `UPDATE … SET <changed columns>, version = version + 1 WHERE id AND scope AND version`.
 * `set` entries that are undefined are left unchanged (PUT is a partial update); null clears.
 * Nothing updated: 404 when the row is not in this scope (another business or branch),
 * otherwise 409 VERSION_CONFLICT with the current version.
 */
export async function updateVersioned(
  m: EntityManager,
  table: string,
  scope: Scope,
  id: string,
  version: number,
  set: Record<string, unknown>,
  what: string,
): Promise<void> {
  const s = scopeSql(scope);
  const entries = Object.entries(set).filter(([, v]) => v !== undefined);
  const assignments = [...entries.map(([column]) => `${column} = ?`), 'version = version + 1', 'updated_at = ?'].join(', ');
  const result: { affectedRows: number } = await m.query(`UPDATE ${table} SET ${assignments} WHERE id = ? AND ${s.sql} AND version = ?`, [
    ...entries.map(([, v]) => v),
    new Date(),
    id,
    ...s.params,
    version,
  ]);
  if (result.affectedRows > 0) return;
  if (!(await findRow(m, table, scope, id))) throw ApiError.notFound(what);
  await explainFailedUpdate(m, table, id, scope.businessId, what);
}

/** DELETE archives: the row stays (history points at it) but lists hide it. */
export async function archiveRow(m: Queryable, table: string, scope: Scope, id: string, what: string): Promise<void> {
  const s = scopeSql(scope);
  const result: { affectedRows: number } = await m.query(
    `UPDATE ${table} SET archived = 1, version = version + 1, updated_at = ? WHERE id = ? AND ${s.sql}`,
    [new Date(), id, ...s.params],
  );
  if (result.affectedRows === 0) throw ApiError.notFound(what);
}

/**
 * Ids named in a body (a category, rooms, machines) must be ours: any id outside the scope
 * answers 404 (never a hint that it exists elsewhere); an archived one is a 400 on `field`.
 */
export async function requireReferences(
  m: Queryable,
  table: string,
  scope: Scope,
  ids: readonly string[],
  what: string,
  field: string,
): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const s = scopeSql(scope);
  const rows: { id: string; archived: number }[] = await m.query(
    `SELECT id, archived FROM ${table} WHERE ${s.sql} AND id IN (${placeholders(unique)})`,
    [...s.params, ...unique],
  );
  if (rows.length !== unique.length) throw ApiError.notFound(what);
  const archived = rows.filter((r) => r.archived);
  if (archived.length) {
    throw ApiError.badRequest('VALIDATION_FAILED', `${what} ${archived.map((r) => r.id).join(', ')} is archived`, [
      { field, message: `${archived.map((r) => r.id).join(', ')} is archived; restore it or pick another` },
    ]);
  }
}

export const bool = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);
