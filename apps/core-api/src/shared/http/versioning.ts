import { ApiError } from '@chairbook/platform';
import type { EntityManager } from 'typeorm';

/**
 * After an `UPDATE … WHERE id = ? AND business_id = ? AND version = ?` changed nothing: tell a
 * missing row (404, also for another business's id) from a stale version (409 with the current
 * version, so the caller can re-read and retry).
 */
export async function explainFailedUpdate(m: EntityManager, table: string, id: string, businessId: string, what: string): Promise<never> {
  const rows: { version: number }[] = await m.query(`SELECT version FROM ${table} WHERE id = ? AND business_id = ?`, [id, businessId]);
  if (!rows.length) throw ApiError.notFound(what);
  throw ApiError.conflict('VERSION_CONFLICT', `${what} was changed by someone else (now version ${rows[0].version}); read it again and retry`, {
    currentVersion: rows[0].version,
  });
}

export function iso(value: Date | string | null | undefined): string | null {
  if (!value) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
