// The SQL core-api runs for the benchmarked reads, copied from its source so the raw baseline
// (baselines/raw-read-server.mjs) and the EXPLAIN step run exactly the same statements.
// `source` names where each comes from; `fragment` is a piece of literal text that must appear
// in the built apps/core-api/dist/main.js: the runner warns when one is missing, because then
// the service's SQL changed and this copy (and the baseline) must follow.

export const SQL = {
  // modules/auth/basic-auth.guard.ts, BasicAuthGuard.authenticate (only on a cache miss)
  authUser: {
    sql: 'SELECT id, business_id, email, role, staff_id, password_hash, version FROM api_user WHERE email = ? AND archived = 0',
    source: 'apps/core-api/src/modules/auth/basic-auth.guard.ts',
    fragment: 'SELECT id, business_id, email, role, staff_id, password_hash, version FROM api_user WHERE email = ? AND archived = 0',
  },
  // modules/auth/tenancy.guard.ts, TenancyGuard.ownedBy, for a path id of one table
  ownedClient: {
    sql: 'SELECT 1 FROM client WHERE id = ? AND business_id = ? LIMIT 1',
    source: 'apps/core-api/src/modules/auth/tenancy.guard.ts',
    fragment: 'SELECT 1 FROM ${t} WHERE id = ? AND business_id = ?',
  },
  ownedBranch: {
    sql: 'SELECT 1 FROM branch WHERE id = ? AND business_id = ? LIMIT 1',
    source: 'apps/core-api/src/modules/auth/tenancy.guard.ts',
    fragment: 'SELECT 1 FROM ${t} WHERE id = ? AND business_id = ?',
  },
  // modules/clients/clients.service.ts, ClientsService.defaultCountry (phone search only)
  clientDefaultCountry: {
    sql: 'SELECT country FROM branch WHERE business_id = ? ORDER BY created_at, id LIMIT 1',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT country FROM branch WHERE business_id = ? ORDER BY created_at, id LIMIT 1',
  },
  // ClientsService.list with ?phone= (clause: business_id, archived = 0, mobile)
  clientsByPhone: {
    sql: 'SELECT * FROM client WHERE business_id = ? AND archived = 0 AND mobile = ? ORDER BY last_name, first_name, id LIMIT ? OFFSET ?',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: "'last_name, first_name, id'",
  },
  countClientsByPhone: {
    sql: 'SELECT COUNT(*) AS total FROM client WHERE business_id = ? AND archived = 0 AND mobile = ?',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT COUNT(*) AS total FROM client WHERE ${clause}',
  },
  // ClientsService.list with ?email=
  clientsByEmail: {
    sql: 'SELECT * FROM client WHERE business_id = ? AND archived = 0 AND email = ? ORDER BY last_name, first_name, id LIMIT ? OFFSET ?',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT * FROM client WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?',
  },
  countClientsByEmail: {
    sql: 'SELECT COUNT(*) AS total FROM client WHERE business_id = ? AND archived = 0 AND email = ?',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT COUNT(*) AS total FROM client WHERE ${clause}',
  },
  // ClientsService.get
  clientById: {
    sql: 'SELECT * FROM client WHERE id = ? AND business_id = ?',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT * FROM client WHERE id = ? AND business_id = ?',
  },
  // ClientsService.views (when rows were found)
  clientCategories: {
    sql: 'SELECT client_id, category_id FROM client_category_member WHERE client_id IN (?) ORDER BY category_id',
    source: 'apps/core-api/src/modules/clients/clients.service.ts',
    fragment: 'SELECT client_id, category_id FROM client_category_member WHERE client_id IN (?) ORDER BY category_id',
  },
  // modules/branches/branch.view.ts, BRANCH_WITH_CALENDAR_VERSION: TenancyGuard and
  // BranchesService.require read the branch with its business's calendar version
  branchById: {
    sql: 'SELECT b.*, cv.version AS calendar_version FROM branch b LEFT JOIN calendar_version cv ON cv.business_id = b.business_id WHERE b.id = ? AND b.business_id = ?',
    source: 'apps/core-api/src/modules/branches/branch.view.ts',
    fragment: 'SELECT b.*, cv.version AS calendar_version FROM branch b LEFT JOIN calendar_version cv ON cv.business_id = b.business_id WHERE b.id = ? AND b.business_id = ?',
  },
  // modules/staff/staff.service.ts, StaffService.list (clause: business, branch, archived = 0)
  staffList: {
    sql:
      'SELECT s.*, c.name AS staff_category_name FROM staff s LEFT JOIN staff_category c ON c.id = s.staff_category_id' +
      ' WHERE s.business_id = ? AND s.branch_id = ? AND s.archived = 0 ORDER BY s.first_name, s.last_name, s.id LIMIT ? OFFSET ?',
    source: 'apps/core-api/src/modules/staff/staff.service.ts',
    fragment: 'ORDER BY s.first_name, s.last_name, s.id LIMIT ? OFFSET ?',
  },
  countStaff: {
    sql: 'SELECT COUNT(*) AS total FROM staff s WHERE s.business_id = ? AND s.branch_id = ? AND s.archived = 0',
    source: 'apps/core-api/src/modules/staff/staff.service.ts',
    fragment: 'SELECT COUNT(*) AS total FROM staff s WHERE ${clause}',
  },
  // StaffService.views
  staffQualifications: {
    sql: 'SELECT staff_id, service_id, price_minor, duration_minutes FROM staff_service WHERE staff_id IN (?)',
    source: 'apps/core-api/src/modules/staff/staff.service.ts',
    fragment: 'SELECT staff_id, service_id, price_minor, duration_minutes FROM staff_service WHERE staff_id IN (?)',
  },
  branchServices: {
    sql: 'SELECT id FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY sort_order, id',
    source: 'apps/core-api/src/modules/staff/staff.service.ts',
    fragment: 'SELECT id FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY sort_order, id',
  },
};

// --- issue 4: the appointment book and availability --------------------------------------------
// modules/appointments/appointment.views.ts APPOINTMENT_SELECT, as AppointmentsService.list
// runs it for a date range (clause: business, branch, start in [local midnight, next midnight),
// live: ACTIVE or an unexpired hold), ordered by start, staff, id.
const APPOINTMENT_SELECT = `
  SELECT a.*, sv.name AS service_name, st.first_name AS staff_first_name, st.last_name AS staff_last_name,
         c.first_name AS client_first_name, c.last_name AS client_last_name, c.mobile AS client_mobile, c.email AS client_email,
         c.sms_reminder_consent AS client_sms_reminder_consent, c.email_reminder_consent AS client_email_reminder_consent,
         b.time_zone, b.currency
    FROM appointment a
    JOIN service sv ON sv.id = a.service_id
    JOIN staff st ON st.id = a.staff_id
    JOIN client c ON c.id = a.client_id
    JOIN branch b ON b.id = a.branch_id`;
const DAY_CLAUSE =
  "a.business_id = ? AND a.branch_id = ? AND a.start_at >= ? AND a.start_at < ? AND (a.activation_state = 'ACTIVE' OR (a.activation_state = 'RESERVED' AND a.hold_expires_at > NOW(3)))";
Object.assign(SQL, {
  dayAppointments: {
    sql: `${APPOINTMENT_SELECT} WHERE ${DAY_CLAUSE} ORDER BY a.start_at, a.staff_id, a.id LIMIT ? OFFSET ?`,
    source: 'apps/core-api/src/modules/appointments/appointments.service.ts (list) + appointment.views.ts (APPOINTMENT_SELECT)',
    fragment: 'JOIN client c ON c.id = a.client_id',
  },
  countDayAppointments: {
    sql: `SELECT COUNT(*) AS total FROM appointment a WHERE ${DAY_CLAUSE}`,
    source: 'apps/core-api/src/modules/appointments/appointments.service.ts (list)',
    fragment: "a.start_at, a.staff_id, a.id",
  },
  // modules/appointments/calendar/branch-calendar.loader.ts, BranchCalendarLoader.base
  availabilityServices: {
    sql: 'SELECT * FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 AND id IN (?)',
    source: 'apps/core-api/src/modules/appointments/calendar/branch-calendar.loader.ts',
    fragment: 'SELECT * FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 AND id IN (?)',
  },
  availabilityResources: {
    sql: `SELECT sr.service_id, sr.resource_type, sr.resource_id FROM service_resource sr
           LEFT JOIN room r ON sr.resource_type = 'ROOM' AND r.id = sr.resource_id
           LEFT JOIN machine m ON sr.resource_type = 'MACHINE' AND m.id = sr.resource_id
          WHERE sr.service_id IN (?) AND COALESCE(r.archived, m.archived) = 0`,
    source: 'apps/core-api/src/modules/appointments/calendar/branch-calendar.loader.ts',
    fragment: 'SELECT sr.service_id, sr.resource_type, sr.resource_id FROM service_resource sr',
  },
  qualifiedStaff: {
    sql: `SELECT s.id, s.first_name, s.last_name, s.hide_from_online_bookings, ss.service_id, ss.duration_minutes, ss.price_minor
           FROM staff s JOIN staff_service ss ON ss.staff_id = s.id
          WHERE s.business_id = ? AND s.branch_id = ? AND s.archived = 0 AND ss.service_id IN (?)
          ORDER BY s.first_name, s.last_name, s.id`,
    source: 'apps/core-api/src/modules/appointments/calendar/branch-calendar.loader.ts',
    fragment: 'SELECT s.id, s.first_name, s.last_name, s.hide_from_online_bookings, ss.service_id, ss.duration_minutes, ss.price_minor',
  },
  // modules/rosters/rosters.service.ts, RostersService.rota (weekly, overrides, breaks, time off)
  rosterWeekly: {
    sql: 'SELECT staff_id, day_of_week, start_time, end_time FROM staff_roster_interval WHERE staff_id IN (?) ORDER BY day_of_week, start_time',
    source: 'apps/core-api/src/modules/rosters/rosters.service.ts',
    fragment: 'SELECT staff_id, day_of_week, start_time, end_time FROM staff_roster_interval WHERE staff_id IN (?) ORDER BY day_of_week, start_time',
  },
  rosterOverrides: {
    sql: "SELECT staff_id, DATE_FORMAT(date, '%Y-%m-%d') AS date, day_off, intervals FROM staff_roster_override WHERE staff_id IN (?) AND date BETWEEN ? AND ? ORDER BY date",
    source: 'apps/core-api/src/modules/rosters/rosters.service.ts',
    fragment: "SELECT staff_id, DATE_FORMAT(date, '%Y-%m-%d') AS date, day_off, intervals FROM staff_roster_override WHERE staff_id IN (?) ${range} ORDER BY date",
  },
  // Breaks and time off in one statement, told apart by `kind`.
  staffAbsences: {
    sql: `SELECT 'BREAK' AS kind, staff_id, start_at, end_at FROM staff_break WHERE staff_id IN (?) AND start_at < ? AND end_at > ?
         UNION ALL
         SELECT 'OFF' AS kind, staff_id, start_at, end_at FROM staff_time_off WHERE staff_id IN (?) AND start_at < ? AND end_at > ?`,
    source: 'apps/core-api/src/modules/rosters/rosters.service.ts',
    fragment: "SELECT 'OFF' AS kind, staff_id, start_at, end_at FROM staff_time_off WHERE staff_id IN (?) AND start_at < ? AND end_at > ?",
  },
  // BranchCalendarLoader.load: the staff's live appointments over the span, the one tagged part
  // of its UNION ALL here (no client, room or machine part for a single service without
  // resources and without a client).
  staffAppointments: {
    sql:
      "SELECT 'S' AS part, a.staff_id, a.client_id, a.room_id, a.machine_id, a.start_at, a.end_at, a.busy_end_at, a.gap_start_at, a.gap_end_at FROM appointment a" +
      " WHERE a.staff_id IN (?) AND a.start_at >= ? AND a.start_at < ? AND (a.activation_state = 'ACTIVE' OR (a.activation_state = 'RESERVED' AND a.hold_expires_at > ?))  ",
    source: 'apps/core-api/src/modules/appointments/calendar/branch-calendar.loader.ts',
    fragment: "AS part, a.staff_id, a.client_id, a.room_id, a.machine_id, a.start_at, a.end_at, a.busy_end_at, a.gap_start_at, a.gap_end_at FROM appointment a",
  },
});

/** What availability loads around a window (BranchCalendarLoader): MAX_APPOINTMENT_MS = 16 h. */
export const MAX_APPOINTMENT_MS = 16 * 3_600_000;

/** Names of SQL entries whose fragment is missing from the built service bundle. */
export function staleStatements(bundleText) {
  return Object.entries(SQL)
    .filter(([, s]) => !bundleText.includes(s.fragment))
    .map(([name, s]) => `${name} (${s.source}: "${s.fragment}")`);
}
