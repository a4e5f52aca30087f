import type { EntityManager } from 'typeorm';

/**
 * Locks the rows a booking change could clash on, always in the same order (clients, staff,
 * rooms, machines; each by id), so two transactions never wait on each other in a circle.
 */
export async function lockRows(m: EntityManager, rows: { clientIds?: string[]; staffIds?: string[]; roomIds?: string[]; machineIds?: string[] }): Promise<void> {
  const order: [string, string[] | undefined][] = [
    ['client', rows.clientIds],
    ['staff', rows.staffIds],
    ['room', rows.roomIds],
    ['machine', rows.machineIds],
  ];
  for (const [table, ids] of order) {
    if (ids?.length) await m.query(`SELECT id FROM ${table} WHERE id IN (?) ORDER BY id FOR UPDATE`, [[...new Set(ids)].sort()]);
  }
}
