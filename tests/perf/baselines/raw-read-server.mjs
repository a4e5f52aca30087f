// The raw baseline for core-api's read scenarios: a bare Node `http` server that answers the
// same routes with the same JSON, running the SAME SQL statements in the same order and
// concurrency (scenarios/core-api-sql.mjs) through raw mysql2 with a pool of the same size and
// the same driver options TypeORM gives mysql2. What it leaves out is the framework: Nest's
// router, guards, pipes, interceptors, class-validator/class-transformer, TypeORM's query
// runner, the throttler, request-id/metrics hooks. It keeps what any server must do: parse the
// URL, check the Basic credential (hashed header -> cached principal, argon2 on a miss, as
// core-api does), the tenant check, phone normalisation with libphonenumber-js, the views.
//
// Issue 4's reads: the day view (`GET …/branch/{br}/appointment?from_date&to_date`) answers the
// same JSON as core-api (local dates and times in the branch's zone, prices in major units);
// availability (`POST …/appointments/availability`) runs the same queries in the same order
// and concurrency as core-api's FindAvailabilityUseCase (branch, services, resources, qualified
// staff, the four rota queries, the staff's appointments around the window) and answers
// their rows as they are: it does NOT compute slots, so its ratio prices the scheduling engine
// too, not only the framework.
//
// env: BASELINE_PORT, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME, DB_POOL_SIZE,
//      AUTH_CACHE_TTL_MS (60000, as core-api)
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import mysql from 'mysql2/promise';
import http from 'node:http';
import { MAX_APPOINTMENT_MS, SQL } from '../scenarios/core-api-sql.mjs';
import { basicAuthenticator } from './basic-auth.mjs';

const env = process.env;
const poolSize = Number(env.DB_POOL_SIZE || 10);
// The options TypeORM 1.x hands mysql2 for core-api (MysqlDriver.createConnectionOptions plus
// libs/platform/src/database/mysql.ts `extra`), so driver behaviour is identical.
const pool = mysql.createPool({
  host: env.DB_HOST || '127.0.0.1',
  port: Number(env.DB_PORT || 3306),
  user: env.DB_USER || 'root',
  password: env.DB_PASSWORD || '',
  database: env.DB_NAME,
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
  connectTimeout: 3_000,
  supportBigNumbers: true,
  bigNumberStrings: true,
  stringifyObjects: true,
  connectionLimit: poolSize,
  enableKeepAlive: true,
  maxIdle: poolSize,
  idleTimeout: 60_000,
  decimalNumbers: true,
});
const query = async (statement, params) => (await pool.query(SQL[statement].sql, params))[0];

class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    Object.assign(this, { status, code, headers });
  }
}
const notFound = (what) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
const badRequest = (code, message) => new HttpError(400, code, message);
const unauthorized = () =>
  new HttpError(401, 'UNAUTHORIZED', 'Send HTTP Basic credentials: username global/<email> and your API password', {
    'www-authenticate': 'Basic realm="Chairbook", charset="UTF-8"',
  });

// --- authentication: the same cache-then-argon2 scheme as core-api's BasicAuthGuard --------
const authenticate = basicAuthenticator({
  findUser: async (email) => (await query('authUser', [email]))[0],
  unauthorized,
  ttlMs: Number(env.AUTH_CACHE_TTL_MS || 60_000),
});

// --- the views, field for field as core-api shows them ---------------------------------------
const iso = (v) => (v ? (v instanceof Date ? v : new Date(v)).toISOString() : null);
const dateOnly = (v) => (v ? (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10)) : null);
const digitsCache = new Map();
function toMajor(minor, currency) {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return Number((minor / 10 ** digits).toFixed(digits));
}
const pageOf = (key, items, total, page) => ({
  _embedded: { [key]: items },
  page: { size: page.size, totalElements: total, totalPages: Math.ceil(total / page.size), number: page.page },
});

function clientView(row, categoryIds) {
  return {
    clientId: row.id,
    version: row.version,
    firstName: row.first_name,
    lastName: row.last_name,
    mobile: row.mobile,
    landLine: row.landline,
    email: row.email,
    address: { streetAddress1: row.street_address1, streetAddress2: row.street_address2, city: row.city, state: row.state, postalCode: row.postal_code, country: row.country },
    birthDate: dateOnly(row.birth_date),
    gender: row.gender,
    notes: row.notes,
    smsReminderConsent: !!row.sms_reminder_consent,
    emailReminderConsent: !!row.email_reminder_consent,
    smsMarketingConsent: !!row.sms_marketing_consent,
    emailMarketingConsent: !!row.email_marketing_consent,
    preferredStaffId: row.preferred_staff_id,
    externalId: row.external_id,
    creatingBranchId: row.creating_branch_id,
    clientCategoryIds: categoryIds,
    loyaltyCard: { serial: row.id, points: row.loyalty_points },
    banned: !!row.banned,
    archived: !!row.archived,
    deleted: false,
    clientSince: iso(row.created_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

async function clientViews(rows) {
  if (!rows.length) return [];
  const members = await query('clientCategories', [rows.map((r) => r.id)]);
  return rows.map((row) => clientView(row, members.filter((m) => m.client_id === row.id).map((m) => m.category_id)));
}

function normalizePhone(input, defaultCountry) {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 32) return undefined;
  const candidates = /^\d{8,15}$/.test(trimmed) ? [trimmed, `+${trimmed}`] : [trimmed];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
}

function pageParams(params) {
  const read = (name, fallback, min, max) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw badRequest('VALIDATION_FAILED', `${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  return { page: read('page', 0, 0, 1_000_000), size: read('size', 20, 1, 100) };
}

// --- routes ----------------------------------------------------------------------------------
const ID = '([A-Za-z0-9_-]{22})';
const BUSINESS = `^/third-party-api-server/api/business/${ID}`;
const routes = [
  ['GET', new RegExp(`${BUSINESS}/client$`), listClients],
  ['GET', new RegExp(`${BUSINESS}/client/${ID}$`), getClient],
  ['GET', new RegExp(`${BUSINESS}/branch/${ID}/staff$`), listStaff],
  ['GET', new RegExp(`${BUSINESS}/branch/${ID}/appointment$`), dayView],
  ['POST', new RegExp(`${BUSINESS}/branch/${ID}/appointments/availability$`), availability],
];

// --- the appointment book (AppointmentsService.list by dates) ---------------------------------
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const localParts = (timeZone, instant) => {
  const dt = DateTime.fromMillis(instant instanceof Date ? instant.getTime() : instant, { zone: timeZone });
  return { date: dt.toISODate(), time: dt.toFormat('HH:mm:ss') };
};
const localMidnight = (timeZone, date) => DateTime.fromISO(`${date}T00:00`, { zone: timeZone }).toMillis();
const plusDays = (date, days) => DateTime.fromISO(date).plus({ days }).toISODate();

function effectiveActivation(row, now = Date.now()) {
  if (row.activation_state === 'RESERVED' && row.hold_expires_at && row.hold_expires_at.getTime() <= now) return 'CANCELED';
  return row.activation_state;
}

function appointmentView(row) {
  const start = localParts(row.time_zone, row.start_at);
  const end = localParts(row.time_zone, row.end_at);
  return {
    appointmentId: row.id,
    version: row.version,
    branchId: row.branch_id,
    bookingId: row.booking_id,
    appointmentDate: start.date,
    startTime: start.time,
    endTime: end.time,
    startDateTime: iso(row.start_at),
    endDateTime: iso(row.end_at),
    timeZone: row.time_zone,
    clientId: row.client_id,
    staffId: row.staff_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    staffName: `${row.staff_first_name} ${row.staff_last_name}`.trim(),
    roomId: row.room_id,
    machineId: row.machine_id,
    price: toMajor(row.price_minor, row.currency),
    state: effectiveActivation(row) === 'CANCELED' ? 'CANCELLED' : row.state,
    activationState: effectiveActivation(row),
    holdExpiresAt: row.activation_state === 'RESERVED' ? iso(row.hold_expires_at) : null,
    confirmed: !!row.confirmed,
    staffRequest: !!row.staff_request,
    source: row.source,
    note: row.notes,
    notes: row.notes,
    deleted: false,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

async function dayView(principal, [businessId, branchId], params) {
  if (!(await query('ownedBranch', [branchId, businessId])).length) throw notFound('Branch');
  const page = pageParams(params);
  const [branch] = await query('branchById', [branchId, businessId]);
  if (!branch) throw notFound('Branch');
  const from = params.get('from_date') ?? params.get('to_date');
  const to = params.get('to_date') ?? from;
  if (!from || !DATE.test(from) || !DATE.test(to)) throw badRequest('VALIDATION_FAILED', 'from_date and to_date must be dates (YYYY-MM-DD)');
  if (to < from) throw badRequest('INVALID_DATE_RANGE', 'to_date is before from_date');
  if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1 > 31) throw badRequest('DATE_RANGE_TOO_LONG', 'Max date range allowed is 31 days');
  const args = [businessId, branchId, new Date(localMidnight(branch.time_zone, from)), new Date(localMidnight(branch.time_zone, plusDays(to, 1)))];
  const [rows, [count]] = await Promise.all([query('dayAppointments', [...args, page.size, page.page * page.size]), query('countDayAppointments', args)]);
  return { body: pageOf('appointments', rows.map(appointmentView), Number(count.total), page) };
}

// --- availability: the same queries as FindAvailabilityUseCase, rows returned as they are -----
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})$/;
async function availability(principal, [businessId, branchId], _params, _headers, body) {
  if (!(await query('ownedBranch', [branchId, businessId])).length) throw notFound('Branch');
  const selections = body?.clientServiceSelections;
  if (typeof body?.startTime !== 'string' || !INSTANT.test(body.startTime) || typeof body.endTime !== 'string' || !INSTANT.test(body.endTime)) {
    throw badRequest('VALIDATION_FAILED', 'startTime and endTime must be ISO 8601 instants');
  }
  if (!Array.isArray(selections) || !selections.length || selections.length > 10 || !selections.every((x) => typeof x?.serviceId === 'string' && /^[A-Za-z0-9_-]{22}$/.test(x.serviceId))) {
    throw badRequest('VALIDATION_FAILED', 'clientServiceSelections: 1 to 10 entries with a serviceId');
  }
  const start = Date.parse(body.startTime);
  const end = Date.parse(body.endTime);
  if (!(end > start) || end - start > 31 * 86_400_000) throw badRequest('VALIDATION_FAILED', 'a window of at most 31 days');
  const [branch] = await query('branchById', [branchId, businessId]);
  if (!branch) throw notFound('Branch');
  const serviceIds = [...new Set(selections.map((x) => x.serviceId))];
  const [services, resources, qualifiedStaff] = await Promise.all([
    query('availabilityServices', [businessId, branchId, serviceIds]),
    query('availabilityResources', [serviceIds]),
    query('qualifiedStaff', [businessId, branchId, serviceIds]),
  ]);
  if (services.length !== serviceIds.length) throw notFound('Service');
  const staffIds = [...new Set(qualifiedStaff.map((s) => s.id))];
  const span = { start: start - MAX_APPOINTMENT_MS, end: end + 2 * MAX_APPOINTMENT_MS };
  let weekly = [], overrides = [], breaks = [], timeOff = [], appointments = [];
  if (staffIds.length) {
    const fromDate = plusDays(localParts(branch.time_zone, span.start).date, -1);
    const toDate = localParts(branch.time_zone, span.end).date;
    let absences;
    [weekly, overrides, absences] = await Promise.all([
      query('rosterWeekly', [staffIds]),
      query('rosterOverrides', [staffIds, fromDate, toDate]),
      query('staffAbsences', [staffIds, new Date(span.end), new Date(span.start), staffIds, new Date(span.end), new Date(span.start)]),
    ]);
    breaks = absences.filter((a) => a.kind === 'BREAK');
    timeOff = absences.filter((a) => a.kind === 'OFF');
    appointments = await query('staffAppointments', [staffIds, new Date(span.start - MAX_APPOINTMENT_MS), new Date(span.end), new Date()]);
  }
  return { body: { rows: { services, resources, qualifiedStaff, weekly, overrides, breaks, timeOff, appointments } } };
}

async function listClients(principal, [businessId], params) {
  const page = pageParams(params);
  const email = params.get('email');
  const phone = params.get('phone');
  if (email !== null && (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) throw badRequest('VALIDATION_FAILED', 'email must be an email');
  if (phone !== null && phone.length > 32) throw badRequest('VALIDATION_FAILED', 'phone is too long');
  let rows;
  let count;
  if (phone !== null) {
    const [branch] = await query('clientDefaultCountry', [businessId]);
    const mobile = normalizePhone(phone, branch?.country);
    if (!mobile) return { body: pageOf('clients', [], 0, page) };
    [rows, [count]] = await Promise.all([query('clientsByPhone', [businessId, mobile, page.size, page.page * page.size]), query('countClientsByPhone', [businessId, mobile])]);
  } else if (email !== null) {
    const value = email.trim().toLowerCase();
    [rows, [count]] = await Promise.all([query('clientsByEmail', [businessId, value, page.size, page.page * page.size]), query('countClientsByEmail', [businessId, value])]);
  } else {
    throw badRequest('UNSUPPORTED', 'this baseline serves the phone and email searches only');
  }
  return { body: pageOf('clients', await clientViews(rows), Number(count.total), page) };
}

async function getClient(principal, [businessId, clientId], _params, headers) {
  if (!(await query('ownedClient', [clientId, businessId])).length) throw notFound('Client');
  const rows = await query('clientById', [clientId, businessId]);
  if (!rows.length) throw notFound('Client');
  const [view] = await clientViews(rows);
  const etag = `"${view.clientId}.${view.version}"`;
  const out = { 'etag': etag, 'cache-control': 'private, no-cache' };
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) return { status: 304, headers: out };
  return { body: view, headers: out };
}

async function listStaff(principal, [businessId, branchId], params) {
  if (!(await query('ownedBranch', [branchId, businessId])).length) throw notFound('Branch');
  const page = pageParams(params);
  const [branch] = await query('branchById', [branchId, businessId]);
  if (!branch) throw notFound('Branch');
  const [rows, [count]] = await Promise.all([query('staffList', [businessId, branchId, page.size, page.page * page.size]), query('countStaff', [businessId, branchId])]);
  let views = [];
  if (rows.length) {
    const [qualifications, services] = await Promise.all([query('staffQualifications', [rows.map((r) => r.id)]), query('branchServices', [businessId, branchId])]);
    views = rows.map((row) => {
      const own = qualifications.filter((q) => q.staff_id === row.id);
      const qualified = new Set(own.map((q) => q.service_id));
      return {
        staffId: row.id,
        branchId: row.branch_id,
        staffCategoryId: row.staff_category_id,
        staffCategoryName: row.staff_category_name,
        roles: row.staff_category_name ? [row.staff_category_name] : [],
        firstName: row.first_name,
        lastName: row.last_name,
        email: row.email,
        mobile: row.mobile,
        gender: row.gender,
        selfEmployed: !!row.self_employed,
        hideFromOnlineBookings: !!row.hide_from_online_bookings,
        hideFromAppointmentScreen: !!row.hide_from_appointment_screen,
        onlineProfile: row.online_profile,
        notes: row.notes,
        services: own.map((q) => ({ serviceId: q.service_id, price: q.price_minor === null ? null : toMajor(q.price_minor, branch.currency), duration: q.duration_minutes })),
        disqualifiedServices: services.filter((s) => !qualified.has(s.id)).map((s) => s.id),
        archived: !!row.archived,
        version: row.version,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      };
    });
  }
  return { body: pageOf('staffs', views, Number(count.total), page) };
}

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_048_576) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'Body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('INVALID_JSON', 'The body is not valid JSON');
  }
}

async function handle(req, res) {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path === '/health') {
    await pool.query('SELECT 1');
    return send(res, 200, { status: 'ok', details: { database: { status: 'up' } } });
  }
  for (const [method, pattern, handler] of routes) {
    if (req.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const principal = await authenticate(req.headers.authorization);
    const ids = match.slice(1);
    if (ids[0] !== principal.businessId) throw notFound('Business');
    const body = method === 'POST' ? await readJson(req) : undefined;
    const result = await handler(principal, ids, new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)), req.headers, body);
    return send(res, result.status ?? 200, result.body, result.headers);
  }
  throw new HttpError(404, 'NOT_FOUND', 'No such route or resource');
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (err instanceof HttpError) return send(res, err.status, { code: err.code, message: err.message, statusCode: err.status }, err.headers);
    process.stderr.write(`${err.stack ?? err}\n`);
    send(res, 500, { code: 'INTERNAL_ERROR', message: 'Something went wrong' });
  });
});
// Fastify's default, so neither side closes idle keep-alive connections between runs.
server.keepAliveTimeout = 72_000;
server.listen(Number(env.BASELINE_PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`raw-read baseline listening on ${server.address().port} (pool ${poolSize})\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
