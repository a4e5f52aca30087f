import type { EntityManager } from 'typeorm';

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
  const order: [string, string[] | undefined][] = [
    ['client', rows.clientIds],
    ['staff', rows.staffIds],
    ['room', rows.roomIds],
    ['machine', rows.machineIds],
  ];
  const clients = new Map<string, LockedClient>();
  for (const [table, ids] of order) {
    if (!ids?.length) continue;
    const columns = table === 'client' && options.clientContact ? CLIENT_CONTACT : 'id';
    const locked: LockedClient[] = await m.query(`SELECT ${columns} FROM ${table} WHERE id IN (?) ORDER BY id FOR UPDATE`, [[...new Set(ids)].sort()]);
    if (table === 'client' && options.clientContact) for (const row of locked) clients.set(row.id, row);
  }
  return clients;
}
