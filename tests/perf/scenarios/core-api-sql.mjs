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
  // modules/branches/branches.service.ts, BranchesService.require (StaffService.list calls it)
  branchById: {
    sql: 'SELECT * FROM branch WHERE id = ? AND business_id = ?',
    source: 'apps/core-api/src/modules/branches/branches.service.ts',
    fragment: 'SELECT * FROM branch WHERE id = ? AND business_id = ?',
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

/** Names of SQL entries whose fragment is missing from the built service bundle. */
export function staleStatements(bundleText) {
  return Object.entries(SQL)
    .filter(([, s]) => !bundleText.includes(s.fragment))
    .map(([name, s]) => `${name} (${s.source}: "${s.fragment}")`);
}
