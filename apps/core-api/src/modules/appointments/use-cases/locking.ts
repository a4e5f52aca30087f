import type { EntityManager } from 'typeorm';
import type { Statement } from '@chairbook/platform';

/** What the client lock can read of the rows it locks (a booking's events carry the contact). */
export interface LockedClient {
  id: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  email: string | null;
  sms_reminder_consent: number;
  email_reminder_consent: number;
}

const CLIENT_CONTACT = 'id, first_name, last_name, mobile, email, sms_reminder_consent, email_reminder_consent';

/**
 * Locks the rows a booking change could clash on, always in the same order (clients, staff,
 * rooms, machines; each by id), so two transactions never wait on each other in a circle.
 * With `clientContact`, the client lock also reads the locked clients' names and contact
 * details (the same statement and locks, more columns), returned by id.
 */
export async function lockRows(
  m: EntityManager,
  rows: { clientIds?: string[]; staffIds?: string[]; roomIds?: string[]; machineIds?: string[] },
  options: { clientContact?: boolean } = {},
): Promise<Map<string, LockedClient>> {
  const lock = lockStatements(rows, options);
  const results: unknown[] = [];
  for (const [sql, params] of lock.statements) results.push(await m.query(sql, params as unknown[]));
  return lock.parse(results);
}

/**
 * `lockRows` as statements, for a transaction sent in batches (one result each, in order). With
 * `businessId`, clients of another business are neither locked nor returned (a booking answers
 * 404 for them). With `calendarVersionOf` (a business id), the staff lock also reads that
 * business's calendar version (a plain read in a subquery: the version's row is not locked,
 * checked on MariaDB 10.11), saving the booking a statement; `calendarVersion` gives it (null
 * before any change, undefined when no staff row was locked).
 */
export function lockStatements(
  rows: { clientIds?: string[]; staffIds?: string[]; roomIds?: string[]; machineIds?: string[] },
  options: { clientContact?: boolean; businessId?: string; calendarVersionOf?: string } = {},
): { statements: Statement[]; parse(results: unknown[]): Map<string, LockedClient>; calendarVersion(results: unknown[]): string | number | null | undefined } {
  const order: [string, string[] | undefined][] = [
    ['client', rows.clientIds],
    ['staff', rows.staffIds],
    ['room', rows.roomIds],
    ['machine', rows.machineIds],
  ];
  const statements: Statement[] = [];
  let clientStatement = -1;
  let staffStatement = -1;
  for (const [table, ids] of order) {
    if (!ids?.length) continue;
    const sorted = [...new Set(ids)].sort();
    if (table === 'staff' && options.calendarVersionOf) {
      staffStatement = statements.length;
      statements.push([
        'SELECT id, (SELECT version FROM calendar_version WHERE business_id = ?) AS calendar_version FROM staff WHERE id IN (?) ORDER BY id FOR UPDATE',
        [options.calendarVersionOf, sorted],
      ]);
      continue;
    }
    const columns = table === 'client' && options.clientContact ? CLIENT_CONTACT : 'id';
    const ofBusiness = table === 'client' && options.businessId ? ' AND business_id = ?' : '';
    if (table === 'client') clientStatement = statements.length;
    statements.push([`SELECT ${columns} FROM ${table} WHERE id IN (?)${ofBusiness} ORDER BY id FOR UPDATE`, ofBusiness ? [sorted, options.businessId] : [sorted]]);
  }
  return {
    statements,
    parse(results) {
      const clients = new Map<string, LockedClient>();
      if (clientStatement >= 0 && options.clientContact) for (const row of results[clientStatement] as LockedClient[]) clients.set(row.id, row);
      return clients;
    },
    calendarVersion(results) {
      if (staffStatement < 0) return undefined;
      const [row] = results[staffStatement] as { calendar_version: string | number | null }[];
      return row ? row.calendar_version : undefined;
    },
  };
}
