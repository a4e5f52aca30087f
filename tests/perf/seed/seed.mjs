// Seeds a migrated core-api database with a benchmark data set and EXPLAINs the benchmarked
// queries. Used by run.mjs; also runnable alone against a database migrated by
// `node apps/core-api/dist/cli.js migrate`:
//
//   CORE_API_DB_NAME=mydb node tests/perf/seed/seed.mjs [--clients 50000 --staff 12 ...]
//
// Rows go in with bulk `INSERT … VALUES ?` in batches of 1,000 through mysql2. Columns are
// those of apps/core-api/src/database/migrations/ (listed explicitly: new columns with
// defaults need no change here).
import { hash } from '@node-rs/argon2';
import mysql from 'mysql2/promise';
import { pathToFileURL } from 'node:url';
import { dbServer, parseOptions } from '../lib/options.mjs';
import { SQL } from '../scenarios/core-api-sql.mjs';
import { addDays, BranchDiary, BulkWriter, localToday, rosterMinutes } from './appointments.mjs';
import { CLIENT_CATEGORIES, clientRow, FIRST_NAMES, isValidMobile, LAST_NAMES, rng, SERVICE_CATALOGUE, STAFF_CATEGORIES } from './data.mjs';

export const BENCH_PASSWORD = process.env.BENCH_PASSWORD || 'bench-owner-password';
const BATCH = 1_000;
/** As apps/core-api/src/modules/auth/password.ts hashes (argon2id, OWASP minimum profile). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const OPENING_HOURS = {
  MONDAY: [{ startTime: '10:00', endTime: '18:00' }],
  TUESDAY: [{ startTime: '09:00', endTime: '18:00' }],
  WEDNESDAY: [{ startTime: '09:00', endTime: '18:00' }],
  THURSDAY: [{ startTime: '09:00', endTime: '20:00' }],
  FRIDAY: [{ startTime: '09:00', endTime: '18:00' }],
  SATURDAY: [{ startTime: '09:00', endTime: '17:00' }],
};

async function insertRows(connection, table, rows) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((row) => columns.map((c) => row[c]));
    await connection.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [batch]);
  }
}

export function connect(server, database) {
  return mysql.createConnection({ ...server, database, timezone: 'Z', charset: 'utf8mb4_unicode_ci', decimalNumbers: true });
}

/**
 * A year (`data.historyDays`) of past appointments and `data.futureDays` of bookings ahead for
 * every branch of a business (seed/appointments.mjs), with their booking rows. Each branch's
 * diary stays on the fixture (`branch.diary`: live appointments per local date) so scenarios can
 * pick busy days and --scale can add older history later.
 */
export async function seedAppointments({ server, database, r, business, data, now, log = () => undefined }) {
  const pool = mysql.createPool({ ...server, database, timezone: 'Z', charset: 'utf8mb4_unicode_ci', connectionLimit: 3 });
  const started = Date.now();
  try {
    const writer = new BulkWriter(pool, { parallel: 2 });
    for (const branch of business.branches) {
      branch.diary = new BranchDiary({ r, businessId: business.id, branch, clientIds: business.liveClientIds, ownerUserId: business.ownerUserId, perStaffDay: data.appointmentsPerStaffDay, now });
      const today = localToday(branch.timeZone, now);
      branch.firstDate = addDays(today, -data.historyDays);
      branch.lastDate = addDays(today, data.futureDays);
      for (let date = branch.firstDate; date <= branch.lastDate; date = addDays(date, 1)) await branch.diary.day(date, writer);
    }
    await writer.flush();
    const total = business.branches.reduce((a, b) => a + b.diary.stats.appointments, 0);
    log(`appointments of ${business.name}: ${total} (${writer.counts.booking} bookings) over ${data.historyDays} days back and ${data.futureDays} ahead, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await pool.end();
  }
}

/**
 * Adds older history to every branch of a business, a day at a time backwards from the
 * earliest seeded date, until the appointment table holds `targetRows` rows. Used by --scale.
 */
export async function extendHistory({ server, database, business, targetRows, log = () => undefined }) {
  const pool = mysql.createPool({ ...server, database, timezone: 'Z', charset: 'utf8mb4_unicode_ci', connectionLimit: 3 });
  const started = Date.now();
  try {
    const [[{ n }]] = await pool.query('SELECT COUNT(*) AS n FROM appointment');
    let rows = Number(n);
    const writer = new BulkWriter(pool, { parallel: 2 });
    while (rows < targetRows) {
      for (const branch of business.branches) {
        if (rows >= targetRows) break;
        branch.firstDate = addDays(branch.firstDate, -1);
        const before = branch.diary.stats.appointments;
        await branch.diary.day(branch.firstDate, writer);
        rows += branch.diary.stats.appointments - before;
      }
    }
    await writer.flush();
    await pool.query('ANALYZE TABLE appointment, booking');
    const [[{ n: after }]] = await pool.query('SELECT COUNT(*) AS n FROM appointment');
    log(`appointment table: ${Number(n)} -> ${Number(after)} rows (+${writer.counts.booking} bookings) in ${((Date.now() - started) / 1000).toFixed(1)} s; history now from ${business.branches.map((b) => b.firstDate).sort()[0]}`);
    return Number(after);
  } finally {
    await pool.end();
  }
}

/**
 * Inserts `data.businesses` salons. Returns the fixture the scenarios need: ids, the owner's
 * credential, and (for the first business) every client's id, mobile, email and archived flag.
 */
export async function seedDatabase({ server, database, data, log = console.log }) {
  const started = Date.now();
  const r = rng(data.seed);
  const connection = await connect(server, database);
  const now = Date.now();
  const at = (daysAgo) => new Date(now - daysAgo * 86_400_000);
  const passwordHash = await hash(BENCH_PASSWORD, ARGON2_OPTIONS);
  const counts = { business: 0, branch: 0, api_user: 0, staff: 0, service: 0, staff_service: 0, client: 0, client_category_member: 0, booking: 0, appointment: 0 };
  const fixture = { password: BENCH_PASSWORD, businesses: [] };
  let mobileIndex = 0;
  try {
    const [tables] = await connection.query('SHOW TABLES');
    const names = new Set(tables.map((t) => Object.values(t)[0]));
    for (const t of ['business', 'branch', 'api_user', 'staff', 'service', 'staff_service', 'client', 'client_category_member']) {
      if (!names.has(t)) throw new Error(`table ${t} is missing in ${database}: run the core-api migrations first`);
    }
    for (let b = 0; b < data.businesses; b++) {
      const businessId = r.id();
      const business = { id: businessId, name: `Bench Salon ${b + 1}`, ownerEmail: `owner@bench-salon-${b + 1}.example`, branches: [] };
      await insertRows(connection, 'business', [{ id: businessId, name: business.name, version: 1, created_at: at(1200), updated_at: at(1200) }]);
      const users = [
        ['OWNER', business.ownerEmail, 'Orla', 'Owner'],
        ['MANAGER', `manager@bench-salon-${b + 1}.example`, 'Maeve', 'Manager'],
        ['RECEPTION', `desk@bench-salon-${b + 1}.example`, 'Rory', 'Reception'],
      ];
      const userRows = users.map(([role, email, first, last]) => ({
        id: r.id(), business_id: businessId, email, password_hash: passwordHash, role, first_name: first, last_name: last,
        staff_id: null, archived: 0, version: 1, created_at: at(1200), updated_at: at(1200),
      }));
      await insertRows(connection, 'api_user', userRows);
      business.ownerUserId = userRows[0].id;
      counts.business++;
      counts.api_user += users.length;

      const staffIds = [];
      for (let br = 0; br < data.branchesPerBusiness; br++) {
        const branchId = r.id();
        // --scale seeds branches of different sizes (staffPerBranchList); otherwise all alike.
        const staffCount = data.staffPerBranchList?.[br] ?? data.staffPerBranch;
        await insertRows(connection, 'branch', [{
          id: branchId, business_id: businessId, name: br === 0 ? business.name : `${business.name} ${['Ranelagh', 'Swords', 'Bray', 'Cork', 'Galway'][br % 5]}${br >= 5 ? ` ${br}` : ''}`,
          slug: `bench-salon-${b + 1}-${br + 1}`, time_zone: 'Europe/Dublin', country: 'IE', currency: 'EUR',
          street_address1: `${r.int(1, 99)} Drury Street`, city: 'Dublin 2', postal_code: 'D02 W017', phone: '+35315550100', email: `hello-${br + 1}@bench-salon-${b + 1}.example`,
          opening_hours: JSON.stringify(OPENING_HOURS), slot_step_minutes: 15, online_min_notice_minutes: 120, online_horizon_days: 60, hold_minutes: 10,
          cancellation_window_hours: 24, archived: 0, version: 1, created_at: at(1200 - br), updated_at: at(1200 - br),
        }]);
        counts.branch++;

        const staffCategories = STAFF_CATEGORIES.map((name) => ({ id: r.id(), business_id: businessId, branch_id: branchId, name, archived: 0, version: 1, created_at: at(1100), updated_at: at(1100) }));
        await insertRows(connection, 'staff_category', staffCategories);
        const serviceCategoryNames = [...new Set(SERVICE_CATALOGUE.map((s) => s[0]))];
        const serviceCategories = serviceCategoryNames.map((name, i) => ({ id: r.id(), business_id: businessId, branch_id: branchId, name, sort_order: i, archived: 0, version: 1, created_at: at(1100), updated_at: at(1100) }));
        await insertRows(connection, 'service_category', serviceCategories);
        const services = [];
        for (let i = 0; i < data.servicesPerBranch; i++) {
          const [category, name, duration, gap, buffer, price] = SERVICE_CATALOGUE[i % SERVICE_CATALOGUE.length];
          const round = Math.floor(i / SERVICE_CATALOGUE.length);
          services.push({
            id: r.id(), business_id: businessId, branch_id: branchId, category_id: serviceCategories[serviceCategoryNames.indexOf(category)].id,
            name: round ? `${name} (${round + 1})` : name, internet_name: null, description: null, duration_minutes: duration,
            gap_start_minutes: gap ? gap[0] : null, gap_duration_minutes: gap ? gap[1] : 0, buffer_after_minutes: buffer, price_minor: price,
            online_bookable: name === 'Colour Consultation' ? 0 : 1, sort_order: i, archived: 0, version: 1, created_at: at(1000), updated_at: at(1000),
          });
        }
        // One retired service, as every real price list has.
        services.push({ ...services[0], id: r.id(), name: 'Retired Perm', sort_order: services.length, archived: 1 });
        await insertRows(connection, 'service', services);
        counts.service += services.length;
        const rooms = ['Colour Bar', 'Treatment Room'].map((name, i) => ({ id: r.id(), business_id: businessId, branch_id: branchId, name, capacity: i ? 1 : 2, archived: 0, version: 1, created_at: at(1000), updated_at: at(1000) }));
        await insertRows(connection, 'room', rooms);
        await insertRows(connection, 'machine', [{ id: r.id(), business_id: businessId, branch_id: branchId, name: 'Laser', capacity: 1, archived: 0, version: 1, created_at: at(1000), updated_at: at(1000) }]);

        const staff = [];
        const qualifications = [];
        const roster = [];
        // The active team plus one stylist who left (archived: the list must skip them).
        for (let s = 0; s <= staffCount; s++) {
          const gender = r.chance(0.8) ? 'FEMALE' : 'MALE';
          const first = r.pick(FIRST_NAMES[gender]);
          const last = r.pick(LAST_NAMES);
          const id = r.id();
          const archived = s === staffCount ? 1 : 0;
          staff.push({
            id, business_id: businessId, branch_id: branchId, staff_category_id: r.pick(staffCategories).id, first_name: first, last_name: last,
            email: `${first.toLowerCase()}.${s + 1}@bench-salon-${b + 1}.example`, mobile: `+35387${String(1_000_000 + counts.staff + s).slice(-7)}`,
            gender, self_employed: r.chance(0.2) ? 1 : 0, hide_from_online_bookings: r.chance(0.1) ? 1 : 0, hide_from_appointment_screen: 0,
            online_profile: r.chance(0.5) ? `${first} has been styling for ${r.int(2, 25)} years.` : null, notes: null, archived,
            version: r.int(1, 4), created_at: at(r.int(100, 1000)), updated_at: at(r.int(1, 99)),
          });
          if (!archived) staffIds.push(id);
          for (const service of services) {
            if (service.archived || !r.chance(0.7)) continue;
            const own = r.chance(0.2);
            qualifications.push({
              business_id: businessId, staff_id: id, service_id: service.id,
              price_minor: own ? service.price_minor + r.int(-5, 10) * 100 : null, duration_minutes: own && r.chance(0.5) ? service.duration_minutes + 15 : null,
            });
          }
          for (const day of [1, 2, 3, 4, 5, 6]) {
            if (roster.filter((x) => x.staff_id === id).length >= 5 || r.chance(0.1)) continue;
            roster.push({ business_id: businessId, staff_id: id, day_of_week: day, start_time: day === 4 ? '11:00:00' : '09:00:00', end_time: day === 4 ? '20:00:00' : '17:30:00' });
          }
        }
        await insertRows(connection, 'staff', staff);
        await insertRows(connection, 'staff_service', qualifications);
        await insertRows(connection, 'staff_roster_interval', roster);
        counts.staff += staff.length;
        counts.staff_service += qualifications.length;
        const active = staff.filter((x) => !x.archived);
        business.branches.push({
          id: branchId, country: 'IE', timeZone: 'Europe/Dublin', currency: 'EUR', activeStaff: staffCount, activeServices: data.servicesPerBranch,
          staffIds: active.map((x) => x.id),
          // What the appointment seed and the availability/booking scenarios need to know.
          services: services.filter((x) => !x.archived).map((x) => ({
            id: x.id, name: x.name, duration: x.duration_minutes, buffer: x.buffer_after_minutes, price: x.price_minor, online: !!x.online_bookable,
            gap: x.gap_start_minutes === null ? null : { start: x.gap_start_minutes, length: x.gap_duration_minutes },
          })),
          staff: active.map((x) => {
            const quals = qualifications.filter((q) => q.staff_id === x.id);
            return {
              id: x.id, name: `${x.first_name} ${x.last_name}`, onlineBookable: !x.hide_from_online_bookings,
              roster: rosterMinutes(roster.filter((row) => row.staff_id === x.id)),
              serviceIds: quals.map((q) => q.service_id),
              quals: new Map(quals.map((q) => [q.service_id, { duration: q.duration_minutes, price: q.price_minor }])),
            };
          }),
        });
      }

      const clientCategories = CLIENT_CATEGORIES.map((name) => ({ id: r.id(), business_id: businessId, name, archived: 0, version: 1, created_at: at(900), updated_at: at(900) }));
      await insertRows(connection, 'client_category', clientCategories);
      const keep = b === 0;
      const clients = { ids: [], mobiles: [], emails: [], archived: [] };
      const liveClientIds = [];
      for (let i = 0; i < data.clientsPerBusiness; i += BATCH) {
        const rows = [];
        const members = [];
        for (let j = i; j < Math.min(i + BATCH, data.clientsPerBusiness); j++) {
          const row = clientRow(r, mobileIndex++, { businessId, branchIds: business.branches.map((x) => x.id), staffIds, now });
          rows.push(row);
          if (!row.archived && !row.banned) liveClientIds.push(row.id);
          if (r.chance(0.25)) {
            const first = r.int(0, clientCategories.length - 1);
            members.push({ client_id: row.id, category_id: clientCategories[first].id });
            if (r.chance(0.3)) members.push({ client_id: row.id, category_id: clientCategories[(first + 1 + r.int(0, clientCategories.length - 2)) % clientCategories.length].id });
          }
          if (keep) {
            clients.ids.push(row.id);
            clients.mobiles.push(row.mobile);
            clients.emails.push(row.email);
            clients.archived.push(row.archived === 1);
          }
        }
        await insertRows(connection, 'client', rows);
        await insertRows(connection, 'client_category_member', members);
        counts.client += rows.length;
        counts.client_category_member += members.length;
      }
      business.liveClientIds = liveClientIds;
      if (data.historyDays + data.futureDays > 0) {
        await seedAppointments({ server, database, r, business, data, now, log });
        for (const branch of business.branches) {
          counts.appointment += branch.diary.stats.appointments;
          counts.booking += branch.diary.stats.bookings;
        }
      }
      if (keep) {
        // A sample must be a phone number the service accepts, or a phone search is a 0-hit.
        const invalid = clients.mobiles.filter((m, i) => i % 97 === 0 && !isValidMobile(m));
        if (invalid.length) throw new Error(`generated invalid mobiles, e.g. ${invalid[0]}`);
        business.clients = clients;
      }
      fixture.businesses.push(business);
    }
    await connection.query('ANALYZE TABLE business, branch, api_user, staff, staff_category, service, staff_service, client, client_category_member, booking, appointment');
    fixture.counts = counts;
    fixture.seconds = Math.round((Date.now() - started) / 100) / 10;
    log(`seeded ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')} in ${fixture.seconds} s`);
    return fixture;
  } finally {
    await connection.end();
  }
}

/** EXPLAIN of every statement the benchmarked reads run, with real parameters from the data. */
export async function explainReads({ server, database, fixture }) {
  const business = fixture.businesses[0];
  const branch = business.branches[0];
  const c = business.clients;
  const pick = c.archived.findIndex((a, i) => !a && c.emails[i]);
  const plans = [
    ['client-search-phone', 'clientDefaultCountry', [business.id]],
    ['client-search-phone', 'clientsByPhone', [business.id, c.mobiles[pick], 20, 0]],
    ['client-search-phone', 'countClientsByPhone', [business.id, c.mobiles[pick]]],
    ['client-search-email', 'clientsByEmail', [business.id, c.emails[pick], 20, 0]],
    ['client-search-email', 'countClientsByEmail', [business.id, c.emails[pick]]],
    ['client-search-*, client-get', 'clientCategories', [[c.ids[pick], c.ids[pick + 1]]]],
    ['client-get', 'ownedClient', [c.ids[pick], business.id]],
    ['client-get', 'clientById', [c.ids[pick], business.id]],
    ['staff-list', 'ownedBranch', [branch.id, business.id]],
    ['staff-list', 'branchById', [branch.id, business.id]],
    ['staff-list', 'staffList', [business.id, branch.id, 20, 0]],
    ['staff-list', 'countStaff', [business.id, branch.id]],
    ['staff-list', 'staffQualifications', [branch.staffIds]],
    ['staff-list', 'branchServices', [business.id, branch.id]],
  ];
  const connection = await connect(server, database);
  try {
    const out = [];
    for (const [scenario, name, params] of plans) {
      const [rows] = await connection.query(`EXPLAIN ${SQL[name].sql}`, params);
      out.push({ scenario, name, sql: SQL[name].sql, rows: rows.map((x) => ({ ...x })) });
    }
    return out;
  } finally {
    await connection.end();
  }
}

/** EXPLAIN rows as text, flagging full scans and filesorts of the client table. */
export function formatExplain(plans) {
  const cols = ['table', 'type', 'key', 'key_len', 'ref', 'rows', 'Extra'];
  const lines = [];
  for (const plan of plans) {
    lines.push(`${plan.name} [${plan.scenario}]`, `  ${plan.sql}`);
    for (const row of plan.rows) {
      const warn = (row.type === 'ALL' && Number(row.rows) > 1000) || (/filesort/i.test(row.Extra ?? '') && Number(row.rows) > 1000) ? '   <-- scans many rows' : '';
      lines.push(`  ${cols.map((c) => `${c}=${row[c] ?? 'NULL'}`).join('  ')}${warn}`);
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseOptions(process.argv.slice(2).filter((a) => a !== '--no-build'));
  const database = process.env.CORE_API_DB_NAME;
  if (!database) {
    process.stderr.write('set CORE_API_DB_NAME to a database migrated with `node apps/core-api/dist/cli.js migrate`\n');
    process.exit(2);
  }
  const server = dbServer();
  const fixture = await seedDatabase({ server, database, data: options.data });
  console.log(formatExplain(await explainReads({ server, database, fixture })));
  const b = fixture.businesses[0];
  console.log(JSON.stringify({ businessId: b.id, branchIds: b.branches.map((x) => x.id), owner: `global/${b.ownerEmail}`, password: fixture.password }));
}
