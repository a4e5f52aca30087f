// The raw baseline for booking creation: STACK-NOTES' "raw booking transaction" (lock the staff
// row, check overlap, insert), ~1.8k/s on our machine, served by a bare Node `http` server on
// the same route and body as core-api's `POST …/branch/{br}/booking`, through raw mysql2 with a
// pool of the same size and the driver options TypeORM gives mysql2.
//
// Per request: Basic credential (hashed header -> cached principal, argon2 on a miss, as
// core-api does), parse and check the JSON body, then in one READ COMMITTED transaction:
//   SELECT … FROM staff WHERE id = ? FOR UPDATE            (the lock that serialises clashes)
//   SELECT 1 FROM appointment WHERE staff_id = ? AND <live> AND overlaps LIMIT 1   (409 if found)
//   INSERT INTO booking …; INSERT INTO appointment …        (start, end, busy end, gap columns)
// and answer 201 with the ids. Service durations, buffers, gaps and prices are read once and
// kept in memory (a loop would know them). What it leaves out, and core-api does: Nest, the
// validation pipe, the tenant check, reference checks, the rota (working hours, breaks, time
// off), client double-booking, rooms/machines, the rules engine, reading the rows back, the
// outbox events and their relay to RabbitMQ, idempotency keys.
//
// `--loop` runs the same transaction without HTTP: `DB_POOL_SIZE` workers back to back for
// `--seconds`, taking bookings from a lane (scenarios/booking-requests.mjs; spec in the JSON file
// `--lane <file>`), and prints { transactions, conflicts, seconds } as one JSON line: the
// STACK-NOTES figure itself, measured in the same run.
//
// env: BASELINE_PORT, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME, DB_POOL_SIZE, AUTH_CACHE_TTL_MS
import mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { makeLane } from '../scenarios/booking-requests.mjs';
import { basicAuthenticator } from './basic-auth.mjs';

const env = process.env;
const poolSize = Number(env.DB_POOL_SIZE || 10);
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
// core-api books in READ COMMITTED; set it once per connection instead of per transaction.
pool.pool.on('connection', (c) => c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));

const MAX_APPOINTMENT_MS = 16 * 3_600_000;
const LIVE = "(activation_state = 'ACTIVE' OR (activation_state = 'RESERVED' AND hold_expires_at > NOW(3)))";
const newId = () => randomBytes(16).toString('base64url');

class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    Object.assign(this, { status, code, headers });
  }
}
const badRequest = (message) => new HttpError(400, 'VALIDATION_FAILED', message);

const services = new Map();
async function serviceOf(serviceId, businessId, branchId) {
  let s = services.get(serviceId);
  if (!s) {
    const [rows] = await pool.query('SELECT id, duration_minutes, gap_start_minutes, gap_duration_minutes, buffer_after_minutes, price_minor FROM service WHERE id = ? AND business_id = ? AND branch_id = ?', [
      serviceId,
      businessId,
      branchId,
    ]);
    if (!rows.length) throw new HttpError(404, 'NOT_FOUND', 'Service not found');
    s = rows[0];
    services.set(serviceId, s);
  }
  return s;
}

/** The transaction. Returns the ids, or null when the stylist is already booked then. */
async function book({ businessId, branchId, clientId, staffId, serviceId, start, userId }) {
  const s = await serviceOf(serviceId, businessId, branchId);
  const end = start + s.duration_minutes * 60_000;
  const busyEnd = end + s.buffer_after_minutes * 60_000;
  const gap = s.gap_start_minutes !== null && s.gap_duration_minutes > 0 && s.gap_start_minutes + s.gap_duration_minutes <= s.duration_minutes;
  const gapStart = gap ? start + s.gap_start_minutes * 60_000 : null;
  const gapEnd = gap ? gapStart + s.gap_duration_minutes * 60_000 : null;
  const c = await pool.getConnection();
  try {
    await c.query('START TRANSACTION');
    const [staff] = await c.query('SELECT id FROM staff WHERE id = ? AND business_id = ? FOR UPDATE', [staffId, businessId]);
    if (!staff.length) {
      await c.query('ROLLBACK');
      throw new HttpError(404, 'NOT_FOUND', 'Staff member not found');
    }
    const [clash] = await c.query(`SELECT 1 FROM appointment WHERE staff_id = ? AND start_at >= ? AND start_at < ? AND busy_end_at > ? AND ${LIVE} LIMIT 1`, [
      staffId,
      new Date(start - MAX_APPOINTMENT_MS),
      new Date(busyEnd),
      new Date(start),
    ]);
    if (clash.length) {
      await c.query('ROLLBACK');
      return null;
    }
    const bookingId = newId();
    const appointmentId = newId();
    const now = new Date();
    await c.query('INSERT INTO booking (id, business_id, branch_id, client_id, status, source, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      bookingId, businessId, branchId, clientId, 'ACTIVE', 'API', userId, now, now,
    ]);
    await c.query(
      `INSERT INTO appointment (id, business_id, branch_id, booking_id, client_id, staff_id, service_id, start_at, end_at, busy_end_at, gap_start_at, gap_end_at,
         state, activation_state, price_minor, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'BOOKED', 'ACTIVE', ?, 'API', ?, ?)`,
      [appointmentId, businessId, branchId, bookingId, clientId, staffId, serviceId, new Date(start), new Date(end), new Date(busyEnd),
        gapStart ? new Date(gapStart) : null, gapEnd ? new Date(gapEnd) : null, s.price_minor, now, now],
    );
    await c.query('COMMIT');
    return { bookingId, appointmentId, end };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

// --- authentication: the same cache-then-argon2 scheme as core-api's BasicAuthGuard --------
const authenticate = basicAuthenticator({
  findUser: async (email) => (await pool.query('SELECT id, business_id, email, role, staff_id, password_hash, version FROM api_user WHERE email = ? AND archived = 0', [email]))[0][0],
  unauthorized: () => new HttpError(401, 'UNAUTHORIZED', 'Send HTTP Basic credentials', { 'www-authenticate': 'Basic realm="Chairbook", charset="UTF-8"' }),
  ttlMs: Number(env.AUTH_CACHE_TTL_MS || 60_000),
});

const ID = /^[A-Za-z0-9_-]{22}$/;
const ROUTE = /^\/third-party-api-server\/api\/business\/([A-Za-z0-9_-]{22})\/branch\/([A-Za-z0-9_-]{22})\/booking$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})$/;

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The body is not valid JSON');
  }
}

async function handle(req, res) {
  if (req.url === '/health') {
    await pool.query('SELECT 1');
    return send(res, 200, { status: 'ok' });
  }
  const match = req.method === 'POST' ? ROUTE.exec(req.url) : null;
  if (!match) throw new HttpError(404, 'NOT_FOUND', 'No such route or resource');
  const principal = await authenticate(req.headers.authorization);
  const [, businessId, branchId] = match;
  if (businessId !== principal.businessId) throw new HttpError(404, 'NOT_FOUND', 'Business not found');
  const body = await readJson(req);
  const schedule = body?.clientAppointmentSchedules?.[0];
  const item = schedule?.serviceSchedules?.[0];
  if (!ID.test(schedule?.clientId ?? '') || !ID.test(item?.serviceId ?? '') || !ID.test(item?.staffId ?? '') || typeof item?.startTime !== 'string' || !INSTANT.test(item.startTime)) {
    throw badRequest('one client with one service schedule (serviceId, staffId, startTime)');
  }
  const start = Date.parse(item.startTime);
  const booked = await book({ businessId, branchId, clientId: schedule.clientId, staffId: item.staffId, serviceId: item.serviceId, start, userId: principal.userId });
  if (!booked) throw new HttpError(409, 'STAFF_DOUBLE_BOOKED', 'The staff member is already booked at that time');
  return send(res, 201, {
    bookingId: booked.bookingId,
    bookingStatus: 'ACTIVE',
    clientId: schedule.clientId,
    clientAppointmentSchedules: [
      { clientId: schedule.clientId, serviceSchedules: [{ appointmentId: booked.appointmentId, serviceId: item.serviceId, staffId: item.staffId, startTime: new Date(start).toISOString(), endTime: new Date(booked.end).toISOString() }] },
    ],
  });
}

function send(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

async function loop({ seconds, laneFile }) {
  const spec = JSON.parse(readFileSync(laneFile, 'utf8'));
  const lane = makeLane(spec);
  const [[user]] = await pool.query("SELECT id FROM api_user WHERE business_id = ? AND role = 'OWNER' LIMIT 1", [spec.businessId]);
  let transactions = 0;
  let conflicts = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (Date.now() < deadline) {
      const r = lane.next();
      const x = r.body.clientAppointmentSchedules[0];
      const y = x.serviceSchedules[0];
      const done = await book({ businessId: spec.businessId, branchId: spec.branchId, clientId: x.clientId, staffId: y.staffId, serviceId: y.serviceId, start: Date.parse(y.startTime), userId: user.id });
      if (done) transactions++;
      else conflicts++;
    }
  };
  await Promise.all(Array.from({ length: poolSize }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify({ transactions, conflicts, seconds: Math.round(elapsed * 100) / 100, perSecond: Math.round(transactions / elapsed), workers: poolSize, lastDate: lane.lastDate })}\n`);
  await pool.end();
}

const { values } = parseArgs({ options: { loop: { type: 'boolean' }, seconds: { type: 'string' }, lane: { type: 'string' } } });
if (values.loop) {
  await loop({ seconds: Number(values.seconds || 8), laneFile: values.lane });
} else {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof HttpError) return send(res, err.status, { code: err.code, message: err.message, statusCode: err.status }, err.headers);
      process.stderr.write(`${err.stack ?? err}\n`);
      send(res, 500, { code: 'INTERNAL_ERROR', message: 'Something went wrong' });
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(Number(env.BASELINE_PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`raw-booking baseline listening on ${server.address().port} (pool ${poolSize})\n`);
  });
  const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
