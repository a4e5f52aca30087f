#!/usr/bin/env node
// The report benchmark (issue 7): a year of a 12-staff branch — about 50,000 appointments and
// 60,000 purchase lines — and how fast the core API's report routes answer over all of it.
//
//   node tests/perf/scenarios/reports.mjs [--no-build] [--keep] [--runs 5] [--seed 7] [--assert]
//
// Standalone (plain Node ESM, mysql2 only): builds core-api (skip with --no-build), makes a
// database and a RabbitMQ vhost of its own, migrates and creates the business with the real
// CLI (apps/core-api/dist/cli.js), generates the year straight into the tables (bulk INSERTs,
// deterministic for a --seed), starts apps/core-api/dist/main.js in production mode, times
// every report route (a warm-up, then --runs measured requests each; prints min, median and
// max), prints EXPLAIN of the report queries, and drops everything (unless --keep).
// Figures, not assertions: the exit status is 1 only on errors, or with --assert when a
// median is over the 1 s target.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import mysql from 'mysql2/promise';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = join(ROOT, 'apps/core-api/dist');
const TARGET_MS = 1_000;
const YEAR = 2025;
const run = promisify(execFile);
const say = (line = '') => process.stdout.write(`${line}\n`);

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean' },
    keep: { type: 'boolean' },
    assert: { type: 'boolean' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '7' },
    staff: { type: 'string', default: '12' },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const STAFF = Math.max(1, Number(opts.staff));
const server = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 3306),
  user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD || '',
};
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const database = `bench_reports_${stamp}_${randomBytes(2).toString('hex')}`;
const vhost = `bench-reports-${stamp}-${randomBytes(2).toString('hex')}`;
const cleanups = [];
let stopService = async () => undefined;

// ---------------------------------------------------------------- deterministic data

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    id: () => Array.from({ length: 22 }, () => alphabet[Math.floor(next() * 64)]).join(''),
  };
}

/** Minutes east of UTC in Europe/Dublin at an instant (summer time +60). */
const dublinOffset = (() => {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Dublin', timeZoneName: 'longOffset' });
  return (ms) => {
    const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
})();

/** The instant of a Dublin wall time on a date (no DST edge falls inside opening hours). */
const dublin = (date, minutes) => {
  const guess = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  return new Date(guess - dublinOffset(guess) * 60_000);
};

/** net = total / (1 + rate) rounded half-up; tax = total − net (as apps/core-api/src/modules/retail/tax.ts). */
const split = (total, milli) => {
  const n = total * 100_000;
  const d = 100_000 + milli;
  const net = Math.sign(n) * Math.floor((2 * Math.abs(n) + d) / (2 * d));
  return { net, tax: total - net };
};

const SERVICES = [
  ['Cut & finish', 45, 5500],
  ['Gents cut', 30, 3000],
  ['Blow dry', 30, 3200],
  ['Fringe trim', 15, 1000],
  ['Root colour', 60, 6500],
  ['Full head colour', 90, 9500],
  ['Half head foils', 75, 8500],
  ['Toner', 20, 2500],
  ['Treatment', 20, 2000],
  ['Updo', 60, 6000],
  ['Beard trim', 15, 1500],
  ['Kids cut', 20, 1800],
];

async function generate(connection, ids) {
  const r = rng(Number(opts.seed));
  const now = new Date();
  const { businessId: business, branchId: branch } = ids;
  const insert = async (table, rows, batch = 2_000) => {
    if (!rows.length) return;
    const columns = Object.keys(rows[0]);
    for (let i = 0; i < rows.length; i += batch) {
      await connection.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [
        rows.slice(i, i + batch).map((row) => columns.map((c) => row[c])),
      ]);
    }
  };
  const audit = { version: 1, created_at: now, updated_at: now };

  const vatServices = r.id();
  const vatGoods = r.id();
  await insert('tax_rate', [
    {
      id: vatServices,
      business_id: business,
      branch_id: branch,
      name: 'VAT services',
      rate_milli: 13_500,
      default_for_services: 1,
      default_for_products: 0,
      ...audit,
    },
    {
      id: vatGoods,
      business_id: business,
      branch_id: branch,
      name: 'VAT goods',
      rate_milli: 23_000,
      default_for_services: 0,
      default_for_products: 1,
      ...audit,
    },
  ]);
  const services = SERVICES.flatMap(([name, duration, price], i) => [
    { id: r.id(), name, duration, price, i },
    { id: r.id(), name: `${name} (senior)`, duration, price: Math.round(price * 1.25), i: i + 100 },
  ]);
  await insert(
    'service',
    services.map((s) => ({
      id: s.id,
      business_id: business,
      branch_id: branch,
      name: s.name,
      duration_minutes: s.duration,
      buffer_after_minutes: 0,
      price_minor: s.price,
      sort_order: s.i,
      ...audit,
    })),
  );
  const staff = Array.from({ length: STAFF }, (_, i) => ({ id: r.id(), first: `Stylist${i + 1}`, sixDays: i % 2 === 0 }));
  await insert(
    'staff',
    staff.map((s) => ({ id: s.id, business_id: business, branch_id: branch, first_name: s.first, last_name: 'Bench', ...audit })),
  );
  // Weekly rosters 09:00-19:00 local: half Monday to Saturday, half Monday to Friday.
  await insert(
    'staff_roster_interval',
    staff.flatMap((s) =>
      (s.sixDays ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]).map((d) => ({
        business_id: business,
        staff_id: s.id,
        day_of_week: d,
        start_time: '09:00',
        end_time: '19:00',
      })),
    ),
  );
  await insert(
    'staff_service',
    staff.flatMap((s) => services.map((sv) => ({ business_id: business, staff_id: s.id, service_id: sv.id }))),
  );
  const clients = Array.from({ length: 6_000 }, (_, i) => ({ id: r.id(), i }));
  await insert(
    'client',
    clients.map((c) => ({
      id: c.id,
      business_id: business,
      creating_branch_id: branch,
      first_name: `Client${c.i}`,
      last_name: 'Bench',
      mobile: `+35387${String(1_000_000 + c.i).slice(-7)}`,
      email: `client${c.i}@bench.example`,
      ...audit,
    })),
  );
  const products = Array.from({ length: 50 }, (_, i) => ({
    id: r.id(),
    name: `${i < 40 ? 'Retail' : 'Professional'} product ${i + 1}`,
    type: i < 40 ? 'RETAIL' : 'PROFESSIONAL',
    price: r.int(8, 45) * 100 + r.pick([0, 50, 99]),
    cost: 0,
    stock: r.int(0, 40),
    reorder: r.int(2, 8),
  }));
  for (const p of products) p.cost = Math.round(p.price * 0.45);
  await insert(
    'product',
    products.map((p, i) => ({
      id: p.id,
      business_id: business,
      branch_id: branch,
      name: p.name,
      code: `SKU-${i + 1}`,
      barcode: `50000000${String(i).padStart(5, '0')}`,
      type: p.type,
      price_minor: p.price,
      cost_price_minor: p.cost,
      tax_rate_id: null,
      reorder_level: p.reorder,
      stock_level: p.stock,
      ...audit,
    })),
  );
  // The stock level is the sum of the movements: one opening movement per product.
  await insert(
    'inventory_transaction',
    products.map((p) => ({
      id: r.id(),
      business_id: business,
      branch_id: branch,
      product_id: p.id,
      batch_id: p.id,
      reason: 'STOCK_TAKE',
      quantity_change: p.stock,
      quantity_after: p.stock,
      expected_quantity: 0,
      counted_quantity: p.stock,
      unit_cost_minor: p.cost,
      created_at: now,
    })),
  );
  const retail = products.filter((p) => p.type === 'RETAIL');

  // A year of days: each stylist fills their day from 09:00 with services back to back (a
  // few gaps), a 30-minute break at 13:00 local; 10% cancelled, 4% no-shows, the rest
  // completed and paid (two in five with a product, one in seven with a tip).
  const appointments = [];
  const breaks = [];
  const purchases = [];
  const items = [];
  const payments = [];
  let number = 0;
  for (let day = Date.UTC(YEAR, 0, 1); day < Date.UTC(YEAR + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
    for (const s of staff) {
      if (weekday === 7 || (weekday === 6 && !s.sixDays)) continue;
      breaks.push({
        id: r.id(),
        business_id: business,
        branch_id: branch,
        staff_id: s.id,
        start_at: dublin(date, 13 * 60),
        end_at: dublin(date, 13 * 60 + 30),
        label: 'Lunch',
        paid: 0,
        ...audit,
      });
      let minute = 9 * 60;
      while (minute < 19 * 60) {
        if (minute >= 13 * 60 && minute < 13 * 60 + 30) {
          minute = 13 * 60 + 30;
          continue;
        }
        if (r.chance(0.02)) {
          minute += 15;
          continue;
        }
        const sv = r.pick(services);
        if (minute + sv.duration > 19 * 60 || (minute < 13 * 60 && minute + sv.duration > 13 * 60)) {
          minute += 15;
          continue;
        }
        const start = dublin(date, minute);
        const end = new Date(start.getTime() + sv.duration * 60_000);
        const client = r.pick(clients).id;
        const roll = r.next();
        const cancelled = roll < 0.1;
        const noShow = !cancelled && roll < 0.14;
        const id = r.id();
        appointments.push({
          id,
          business_id: business,
          branch_id: branch,
          client_id: client,
          staff_id: s.id,
          service_id: sv.id,
          start_at: start,
          end_at: end,
          busy_end_at: end,
          state: cancelled ? 'BOOKED' : noShow ? 'NO_SHOW' : 'COMPLETED',
          activation_state: cancelled ? 'CANCELED' : 'ACTIVE',
          confirmed: 1,
          price_minor: sv.price,
          source: r.chance(0.35) ? 'ONLINE' : 'API',
          canceled_at: cancelled ? start : null,
          version: 2,
          created_at: start,
          updated_at: end,
        });
        minute += sv.duration;
        if (cancelled || noShow) continue;
        // The purchase at the till, right after the appointment.
        const purchaseId = r.id();
        const lines = [
          { type: 'APPOINTMENT', appointment: id, service: sv.id, product: null, qty: 1, unit: sv.price, milli: 13_500, cost: 0 },
        ];
        if (r.chance(0.4)) {
          const p = r.pick(retail);
          lines.push({
            type: 'PRODUCT',
            appointment: null,
            service: null,
            product: p.id,
            qty: r.chance(0.8) ? 1 : 2,
            unit: p.price,
            milli: 23_000,
            cost: p.cost,
          });
        }
        if (r.chance(0.15))
          lines.push({
            type: 'TIP',
            appointment: null,
            service: null,
            product: null,
            qty: 1,
            unit: r.pick([200, 500, 1000]),
            milli: 0,
            cost: 0,
          });
        let total = 0;
        let tax = 0;
        let tip = 0;
        lines.forEach((l, i) => {
          const lineTotal = l.unit * l.qty;
          const t = split(lineTotal, l.milli);
          total += lineTotal;
          tax += t.tax;
          if (l.type === 'TIP') tip += lineTotal;
          items.push({
            business_id: business,
            branch_id: branch,
            purchase_id: purchaseId,
            line_no: i + 1,
            item_type: l.type,
            appointment_id: l.appointment,
            service_id: l.service,
            product_id: l.product,
            voucher_id: null,
            staff_id: s.id,
            client_id: client,
            description: l.type === 'TIP' ? 'Tip' : l.type === 'PRODUCT' ? 'Product' : sv.name,
            quantity: l.qty,
            unit_price_minor: l.unit,
            gross_minor: lineTotal,
            discount_minor: 0,
            total_minor: lineTotal,
            tax_rate_id: l.milli === 13_500 ? vatServices : l.milli === 23_000 ? vatGoods : null,
            tax_rate_milli: l.milli,
            tax_minor: t.tax,
            net_minor: t.net,
            unit_cost_minor: l.cost,
            original_item_id: null,
            local_date: date,
            purchased_at: end,
          });
        });
        const cash = r.chance(0.3);
        purchases.push({
          id: purchaseId,
          business_id: business,
          branch_id: branch,
          number: `B-${++number}`,
          kind: 'SALE',
          original_purchase_id: null,
          client_id: client,
          staff_id: null,
          till_id: null,
          till_session_id: null,
          currency: 'EUR',
          gross_minor: total,
          discount_minor: 0,
          total_minor: total,
          tax_minor: tax,
          tip_minor: tip,
          paid_minor: total,
          change_minor: 0,
          request_hash: 'bench',
          note: null,
          local_date: date,
          purchased_at: end,
          created_by: null,
          ...audit,
        });
        payments.push({
          business_id: business,
          branch_id: branch,
          purchase_id: purchaseId,
          type: cash ? 'CASH' : 'CARD',
          amount_minor: total,
          tendered_minor: total,
          voucher_id: null,
          till_session_id: null,
          reference: null,
          local_date: date,
          created_at: end,
        });
      }
    }
  }
  await insert('staff_break', breaks);
  await insert('appointment', appointments);
  await insert('purchase', purchases);
  await insert('purchase_item', items);
  await insert('purchase_payment', payments);
  await connection.query('ANALYZE TABLE appointment, purchase_item, purchase, product');
  return {
    staff: staff.length,
    services: services.length,
    clients: clients.length,
    products: products.length,
    appointments: appointments.length,
    purchases: purchases.length,
    lines: items.length,
    breaks: breaks.length,
    firstStaff: staff[0].id,
  };
}

// ---------------------------------------------------------------- infrastructure

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function createVhost() {
  const base = new URL(process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672');
  const user = decodeURIComponent(base.username || 'guest');
  const management = process.env.RABBITMQ_MANAGEMENT_URL;
  const manage = async (method, path, body) => {
    const auth = Buffer.from(`${user}:${decodeURIComponent(base.password || 'guest')}`).toString('base64');
    const res = await fetch(`${management.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  };
  if (management) {
    await manage('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
    await manage('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    cleanups.push(() => manage('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`));
  } else {
    await run('rabbitmqctl', ['-q', 'add_vhost', vhost], { timeout: 60_000 });
    await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*'], { timeout: 60_000 });
    cleanups.push(() => run('rabbitmqctl', ['-q', 'delete_vhost', vhost], { timeout: 60_000 }));
  }
  const url = new URL(base.toString());
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

function cli(env, args) {
  const res = spawnSync(process.execPath, [join(DIST, 'cli.js'), ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cli ${args[0]} failed (exit ${res.status}):\n${res.stderr}${res.stdout}`);
  return res.stdout.trim();
}

async function startService(env, port) {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
  const logFile = join(logDir, 'core-api.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(DIST, 'main.js')], { cwd: ROOT, env, stdio: ['ignore', out, out] });
  stopService = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return { child, logFile };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`core-api did not become healthy; log ${logFile}:\n${readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
}

// ---------------------------------------------------------------- measuring

async function time(url, auth) {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: auth } });
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return { ms, body };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The report queries as apps/core-api/src/modules/reports/reports.service.ts runs them (keep in step). */
function reportStatements(ids, window, firstStaff) {
  const { branchId: b, businessId: biz } = ids;
  const from = `${YEAR}-01-01`;
  const to = `${YEAR}-12-31`;
  const range = `branch_id = '${b}' AND local_date BETWEEN '${from}' AND '${to}'`;
  const sums = 'SUM(total_minor) AS t, SUM(net_minor) AS n, SUM(tax_minor) AS x';
  const rev = "item_type IN ('APPOINTMENT','SERVICE','PRODUCT')";
  const win = `start_at >= '${window.start}' AND start_at < '${window.end}'`;
  return {
    'revenue: day × type × rate': `SELECT local_date AS day, item_type, tax_rate_milli AS rate, ${sums}, SUM(discount_minor) AS d, COUNT(*) AS c FROM purchase_item WHERE ${range} GROUP BY local_date, item_type, tax_rate_milli`,
    'revenue: staff × service/product': `SELECT staff_id, item_type, service_id, product_id, SUM(quantity) AS q, SUM(quantity * unit_cost_minor) AS cost, ${sums} FROM purchase_item WHERE ${range} AND ${rev} GROUP BY staff_id, item_type, service_id, product_id`,
    'revenue: one stylist by day': `SELECT local_date AS day, item_type, tax_rate_milli AS rate, ${sums}, SUM(discount_minor) AS d, COUNT(*) AS c FROM purchase_item WHERE ${range} AND staff_id = '${firstStaff}' GROUP BY local_date, item_type, tax_rate_milli`,
    appointments: `SELECT staff_id, state, activation_state, source, COUNT(*) AS n FROM appointment WHERE branch_id = '${b}' AND ${win} AND activation_state <> 'RESERVED' GROUP BY staff_id, state, activation_state, source`,
    'utilisation: booked time': `SELECT staff_id, SUM(TIMESTAMPDIFF(SECOND, start_at, end_at) - COALESCE(TIMESTAMPDIFF(SECOND, gap_start_at, gap_end_at), 0)) AS seconds FROM appointment WHERE branch_id = '${b}' AND ${win} AND activation_state = 'ACTIVE' GROUP BY staff_id`,
    'utilisation: breaks (rota)': `SELECT staff_id, start_at, end_at FROM staff_break WHERE staff_id IN (SELECT id FROM staff WHERE branch_id = '${b}') AND start_at < '${window.end}' AND end_at > '${window.start}'`,
    retention: `SELECT COUNT(*) FROM (SELECT v.client_id, EXISTS (SELECT 1 FROM appointment r WHERE r.client_id = v.client_id AND r.branch_id = '${b}' AND r.activation_state = 'ACTIVE' AND r.state <> 'NO_SHOW' AND r.start_at < NOW(3) AND r.start_at >= v.first_at + INTERVAL 12 HOUR AND r.start_at < v.first_at + INTERVAL 8 WEEK) AS returned FROM (SELECT a.client_id, MIN(a.start_at) AS first_at FROM appointment a WHERE a.branch_id = '${b}' AND a.${win} AND a.activation_state = 'ACTIVE' AND a.state <> 'NO_SHOW' AND a.start_at < NOW(3) GROUP BY a.client_id) v) f`,
    'stock: valuation': `SELECT COUNT(*), SUM(GREATEST(stock_level, 0) * cost_price_minor) FROM product WHERE business_id = '${biz}' AND branch_id = '${b}' AND archived = 0`,
  };
}

async function explain(connection, statements) {
  say('\n== EXPLAIN of the report queries =====================================================');
  for (const [name, sql] of Object.entries(statements)) {
    const [rows] = await connection.query(`EXPLAIN ${sql}`);
    say(`-- ${name}`);
    for (const row of rows) {
      say(
        `   ${String(row.table).padEnd(22)} type=${String(row.type).padEnd(6)} key=${String(row.key ?? '-').padEnd(28)} rows=${String(row.rows).padStart(7)}  ${row.Extra ?? ''}`,
      );
    }
  }
}

// ---------------------------------------------------------------- main

async function main() {
  say(`report benchmark: a year (${YEAR}) of a ${STAFF}-staff branch; database ${database}`);
  if (!opts['no-build']) {
    say('building core-api (nx build core-api; --no-build to skip)...');
    const build = spawnSync('npx', ['nx', 'build', 'core-api', '--output-style=static'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (build.status !== 0) throw new Error(`build failed:\n${(build.stdout + build.stderr).split('\n').slice(-30).join('\n')}`);
  }
  for (const f of ['main.js', 'cli.js'])
    if (!existsSync(join(DIST, f))) throw new Error(`apps/core-api/dist/${f} is missing: run without --no-build`);

  let admin;
  try {
    admin = await mysql.createConnection({ ...server, connectTimeout: 3_000 });
  } catch (err) {
    throw new Error(
      `MariaDB/MySQL is not reachable at ${server.host}:${server.port} (${err.code ?? err.message}); start it (or docker compose up mysql)`,
    );
  }
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  cleanups.push(async () => {
    const c = await mysql.createConnection(server);
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.end();
  });
  const rabbitUrl = await createVhost();
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    CORE_API_PORT: String(port),
    CORE_API_DB_NAME: database,
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
    RABBITMQ_URL: rabbitUrl,
    RATE_LIMIT_PER_SECOND: '1000000',
  };
  cli(env, ['migrate']);
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const ids = JSON.parse(
    cli(env, [
      'create-business',
      '--name',
      'Bench Reports Salon',
      '--owner-email',
      `owner@${database}.example`,
      '--owner-password',
      password,
      '--branch-name',
      'Bench',
      '--slug',
      database.replace(/_/g, '-'),
    ]),
  );
  const connection = await mysql.createConnection({
    ...server,
    database,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    decimalNumbers: true,
  });
  try {
    let started = Date.now();
    const data = await generate(connection, ids);
    say(
      `generated in ${((Date.now() - started) / 1000).toFixed(1)} s: ${data.staff} staff, ${data.services} services, ${data.clients} clients, ${data.products} products, ` +
        `${data.breaks} breaks, ${data.appointments} appointments, ${data.purchases} purchases, ${data.lines} purchase lines`,
    );
    started = Date.now();
    const service = await startService(env, port);
    say(
      `core-api up in ${((Date.now() - started) / 1000).toFixed(1)} s (apps/core-api/dist/main.js, NODE_ENV=production, port ${port}; log ${service.logFile})`,
    );

    const auth = `Basic ${Buffer.from(`global/owner@${database}.example:${password}`).toString('base64')}`;
    const base = `http://127.0.0.1:${port}/third-party-api-server/api/business/${ids.businessId}/branch/${ids.branchId}/report`;
    const year = `from_date=${YEAR}-01-01&to_date=${YEAR}-12-31`;
    const routes = [
      ['revenue (year)', `revenue?${year}`],
      ['revenue, one stylist', `revenue?${year}&staff_id=${data.firstStaff}`],
      ['appointments (year)', `appointments?${year}`],
      ['utilisation (year)', `utilisation?${year}`],
      ['retention (year, 8 weeks)', `retention?${year}&weeks=8`],
      ['stock', 'stock'],
      ['revenue.svg (year)', `revenue.svg?${year}`],
      ['utilisation.svg (year)', `utilisation.svg?${year}`],
    ];
    // Authenticate once (argon2 on the first request; the credential is then cached).
    await time(`${base}/stock`, auth);
    say(`\n== report routes over HTTP: ${RUNS} measured requests each after one warm-up ========`);
    say(`${'route'.padEnd(28)} ${'min ms'.padStart(8)} ${'median'.padStart(8)} ${'max ms'.padStart(8)}  check`);
    const figures = [];
    let sanity = '';
    for (const [name, path] of routes) {
      const first = await time(`${base}/${path}`, auth);
      if (name === 'appointments (year)') {
        const a = JSON.parse(first.body);
        sanity = a.booked === data.appointments ? `booked ${a.booked} = generated` : `booked ${a.booked} ≠ generated ${data.appointments}!`;
      } else if (name === 'revenue (year)') {
        sanity = `revenue €${JSON.parse(first.body).totals.revenue.toLocaleString('en-IE')}, ${JSON.parse(first.body).totals.lines} lines`;
      } else if (name === 'utilisation (year)') {
        const u = JSON.parse(first.body);
        sanity = `${u.bookedHours} h booked / ${u.rosteredHours} h rostered = ${(u.utilisation * 100).toFixed(1)}%`;
      } else if (name === 'retention (year, 8 weeks)') {
        const t = JSON.parse(first.body);
        sanity = `${t.returned}/${t.clients} clients returned (${(t.retentionRate * 100).toFixed(1)}%)`;
      } else {
        sanity = `${first.body.length} bytes`;
      }
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push((await time(`${base}/${path}`, auth)).ms);
      const f = { name, min: Math.min(...times), median: median(times), max: Math.max(...times) };
      figures.push(f);
      say(
        `${name.padEnd(28)} ${f.min.toFixed(1).padStart(8)} ${f.median.toFixed(1).padStart(8)} ${f.max.toFixed(1).padStart(8)}  ${sanity}`,
      );
    }
    const worst = figures.reduce((a, b) => (b.median > a.median ? b : a));
    say(
      `\nslowest median: ${worst.name} ${worst.median.toFixed(1)} ms (target ${TARGET_MS} ms): ${worst.median < TARGET_MS ? 'within target' : 'OVER TARGET'}`,
    );

    const window = {
      start: dublin(`${YEAR}-01-01`, 0).toISOString().replace('T', ' ').replace('Z', ''),
      end: dublin(`${YEAR + 1}-01-01`, 0)
        .toISOString()
        .replace('T', ' ')
        .replace('Z', ''),
    };
    const statements = reportStatements(ids, window, data.firstStaff);
    await explain(connection, statements);
    say('\n== the same queries timed alone in MariaDB (median of 3) =============================');
    for (const [name, sql] of Object.entries(statements)) {
      const t = [];
      for (let i = 0; i < 3; i++) {
        const s = process.hrtime.bigint();
        await connection.query(sql);
        t.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      say(`   ${name.padEnd(28)} ${median(t).toFixed(1).padStart(8)} ms`);
    }
    if (opts.assert && worst.median >= TARGET_MS) process.exitCode = 1;
  } finally {
    await connection.end();
  }
}

async function cleanUp() {
  await stopService().catch(() => undefined);
  if (opts.keep) {
    say(`\n--keep: left database ${database} and vhost ${vhost}`);
    return;
  }
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`clean-up: ${err.message}\n`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: cleaning up...\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .catch((err) => {
    process.stderr.write(`reports benchmark failed: ${err.message}\n`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
