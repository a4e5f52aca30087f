import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per business that moves whenever anything the scheduling engine's static inputs
 * come from changes: branches (time zone, slot step), services and their rooms/machines, staff
 * and what they do, rosters, overrides, breaks, time off, rooms and machines. Core-api keeps
 * each branch's calendar base (services, qualifications, rota) in memory keyed by this counter
 * (see CalendarBaseCache), read beside the branch on every request: a change made through any
 * copy of core-api, a script or the seed is seen by the next request everywhere.
 *
 * Triggers, not application code, move it, so that no writer (present or future, SQL in tests
 * and perf seeds included) can forget to. One row per business keeps them to a single indexed
 * upsert; set-up changes are rare next to bookings, which write none of these tables.
 * (Aurora with binary logging needs log_bin_trust_function_creators = 1 to create triggers
 * without SUPER; the stack's parameter group sets it.)
 */
const WATCHED = [
  'branch',
  'service',
  'service_resource',
  'staff',
  'staff_service',
  'staff_roster_interval',
  'staff_roster_override',
  'staff_break',
  'staff_time_off',
  'room',
  'machine',
] as const;
const EVENTS = [
  ['ai', 'INSERT', 'NEW'],
  ['au', 'UPDATE', 'NEW'],
  ['ad', 'DELETE', 'OLD'],
] as const;

const bump = (row: string) =>
  `INSERT INTO calendar_version (business_id, version) VALUES (${row}.business_id, 1) ON DUPLICATE KEY UPDATE version = version + 1`;

export class CalendarVersion1764000700000 implements MigrationInterface {
  name = 'CalendarVersion1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_version (
      business_id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      version BIGINT UNSIGNED NOT NULL
    ) ENGINE=InnoDB`);
    for (const table of WATCHED) {
      for (const [suffix, event, row] of EVENTS) {
        // A branch is created before anything hangs off it, and never deleted (archived).
        if (table === 'branch' && event !== 'UPDATE') continue;
        await q.query(`CREATE TRIGGER trg_${table}_calendar_${suffix} AFTER ${event} ON ${table} FOR EACH ROW ${bump(row)}`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of WATCHED) for (const [suffix] of EVENTS) await q.query(`DROP TRIGGER IF EXISTS trg_${table}_calendar_${suffix}`);
    await q.query('DROP TABLE calendar_version');
  }
}
