#!/usr/bin/env node
// The messaging pipeline benchmark (issue 6 "Speed", issue 9): domain events -> messaging's
// consumer -> the fake SMS provider -> the message's status row, on the BUILT messaging service
// (node apps/messaging/dist/main.js) with the real MariaDB and RabbitMQ, each run with a
// database and a vhost of its own (dropped at the end unless --keep).
//
// Measured in the same run, round by round, alternating:
//   raw:      a bare amqplib loop: persistent messages published on a confirm channel to a durable
//             quorum queue (the kind messaging consumes from) and consumed with acks;
//   pipeline: booking.confirmed events published the same way to the events exchange; each one
//             ends as a confirmation SMS accepted by the fake Twilio and a SENT message row.
//             Throughput = events / (last status row's sent_at - first publish).
// Then a latency phase publishes at half the measured pipeline rate and reports p50/p95/p99 of
// publish -> SENT status row (sent_at is written by the database on this same machine).
// Exactly-once is checked: every event's SMS reached the provider once, none twice.
//
// Standalone: node tests/perf/scenarios/messaging-pipeline.mjs [--events 20000] [--rounds 3]
//   [--raw-messages 50000] [--latency-events 5000] [--json file] [--keep] [--no-build] [--profile]
// Also exports run(options) -> result, for tests/perf/run.mjs to call later.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import { RUNTIME_NODE_ARGS } from '../lib/options.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = join(ROOT, 'apps/messaging/dist');
const EXCHANGE = 'chairbook.events';
const TARGET_RATIO = 0.25;
const execFileAsync = promisify(execFile);

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      rounds: { type: 'string' },
      'raw-messages': { type: 'string' },
      'latency-events': { type: 'string' },
      window: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      profile: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const int = (v, fallback) => {
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  return {
    help: !!values.help,
    events: int(values.events ?? env.BENCH_PIPELINE_EVENTS, 20_000),
    rounds: int(values.rounds ?? env.BENCH_ROUNDS, 3),
    rawMessages: int(values['raw-messages'], 50_000),
    latencyEvents: int(values['latency-events'], 5_000),
    window: int(values.window, 500),
    json: values.json,
    keep: !!values.keep,
    build: !values['no-build'],
    profile: !!values.profile,
    verbose: !!values.verbose,
  };
}

// ---------------------------------------------------------------- infrastructure of the run

const dbServer = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 3306),
  user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD || '',
};
const rabbitBase = process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672';

async function createVhost(vhost) {
  const base = new URL(rabbitBase);
  const user = decodeURIComponent(base.username || 'guest');
  const management = process.env.RABBITMQ_MANAGEMENT_URL;
  const manage = async (method, path, body) => {
    const auth = Buffer.from(`${user}:${decodeURIComponent(base.password || 'guest')}`).toString('base64');
    const response = await fetch(`${management.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  };
  if (management) {
    await manage('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
    await manage('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
  } else {
    await execFileAsync('rabbitmqctl', ['-q', 'add_vhost', vhost], { timeout: 60_000 });
    await execFileAsync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*'], { timeout: 60_000 });
  }
  const url = new URL(base.toString());
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    url: url.toString(),
    dispose: () => (management ? manage('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`) : execFileAsync('rabbitmqctl', ['-q', 'delete_vhost', vhost], { timeout: 60_000 })),
  };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** CPU time (user+system, ms) a process used so far. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The local MariaDB/MySQL and RabbitMQ server processes, when they run on this machine (for their CPU per event). */
function serverPids() {
  const pid = (name) => {
    const r = spawnSync('pidof', [name], { encoding: 'utf8' });
    return r.status === 0 ? Number(r.stdout.trim().split(/\s+/)[0]) : undefined;
  };
  return { database: pid('mariadbd') ?? pid('mysqld'), broker: pid('beam.smp') };
}

/** Answers core-api's principal endpoint for one owner, so the settings route can be called. */
async function startFakeCoreApi(principal) {
  const header = `Basic ${Buffer.from('global/owner@bench.test:bench').toString('base64')}`;
  const server = createServer((req, res) => {
    const ok = req.url === '/third-party-api-server/api/principal' && req.headers.authorization === header;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? principal : { code: 'UNAUTHORIZED', message: 'no' }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, header, stop: () => new Promise((r) => server.close(r)) };
}

/**
 * The fake Twilio Messages API in a worker thread (so the publisher's event loop stays free):
 * counts every accepted SMS by recipient and body, for the exactly-once check.
 */
const FAKE_TWILIO = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const seen = new Map();
let accepted = 0, seq = 0;
const base = '/2010-04-01/Accounts/' + workerData.sid;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url.startsWith(base + '.json')) { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{"status":"active"}'); }
    if (req.method === 'GET' && req.url.startsWith(base + '/Messages.json')) { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{"messages":[]}'); }
    if (req.method !== 'POST' || req.url !== base + '/Messages.json') { res.writeHead(404); return res.end(); }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const key = form.get('To') + '|' + form.get('Body');
    seen.set(key, (seen.get(key) || 0) + 1);
    accepted++;
    const sid = 'SM' + (++seq).toString(16).padStart(32, '0');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sid, status: 'queued', to: form.get('To') }));
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'stats') {
    let duplicates = 0; const toCount = new Map();
    for (const [key, n] of seen) { if (n > 1) duplicates += n - 1; const to = key.slice(0, key.indexOf('|')); toCount.set(to, (toCount.get(to) || 0) + n); }
    parentPort.postMessage({ stats: { accepted, distinct: seen.size, duplicates, recipients: [...toCount.keys()] } });
  }
  if (m === 'stop') server.close(() => process.exit(0));
});
`;

async function startFakeTwilio(sid) {
  const worker = new Worker(FAKE_TWILIO, { eval: true, workerData: { sid } });
  const port = await new Promise((r, reject) => {
    worker.once('message', (m) => r(m.port));
    worker.once('error', reject);
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((r) => {
        const on = (m) => {
          if (m.stats) {
            worker.off('message', on);
            r(m.stats);
          }
        };
        worker.on('message', on);
        worker.postMessage('stats');
      }),
    stop: () => worker.terminate(),
  };
}

// ---------------------------------------------------------------- events

const businessId = randomBytes(16).toString('base64url');
const branchId = randomBytes(16).toString('base64url');

function envelope(type, data, { branch = branchId } = {}) {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), businessId, branchId: branch, data };
}

/** A one-appointment booking for a client with SMS reminder consent (no email): one confirmation SMS. */
function bookingConfirmed(mobile, start) {
  const bookingId = randomBytes(16).toString('base64url');
  const clientId = randomBytes(16).toString('base64url');
  const client = { firstName: 'Aoife', lastName: 'Bench', mobile, email: null, smsReminderConsent: true, emailReminderConsent: false };
  return envelope('booking.confirmed', {
    bookingId,
    clientId,
    source: 'ONLINE',
    client,
    appointments: [
      {
        appointmentId: randomBytes(16).toString('base64url'),
        bookingId,
        clientId,
        staffId: 'staff0000000000000000a',
        serviceId: 'service000000000000000',
        serviceName: 'Cut and Blow-dry',
        staffName: 'Ann',
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 45 * 60_000).toISOString(),
        state: 'BOOKED',
        activationState: 'ACTIVE',
        source: 'ONLINE',
      },
    ],
  });
}

/** Publishes with confirms, at most `window` unconfirmed; `perSecond` paces (0 = as fast as confirms allow). Returns publish times by recipient. */
async function publishAll(channel, messages, { window, perSecond = 0, toExchange = true, queue }) {
  const published = new Map();
  let inFlight = 0;
  let failed = null;
  const waiters = [];
  const started = Date.now();
  for (let i = 0; i < messages.length; i++) {
    if (perSecond) {
      const due = started + (i * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    while (inFlight >= window) await new Promise((r) => waiters.push(r));
    if (failed) throw failed;
    const { key, body, routingKey } = messages[i];
    inFlight++;
    published.set(key, Date.now());
    const done = (err) => {
      inFlight--;
      if (err) failed = err;
      waiters.shift()?.();
    };
    if (toExchange) channel.publish(EXCHANGE, routingKey, body, { persistent: true, contentType: 'application/json' }, done);
    else channel.sendToQueue(queue, body, { persistent: true }, done);
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  await channel.waitForConfirms();
  if (failed) throw failed;
  return published;
}

// ---------------------------------------------------------------- the raw baseline

async function rawLoop(url, count, window) {
  const connection = await amqplib.connect(url);
  try {
    const publisher = await connection.createConfirmChannel();
    const consumer = await connection.createChannel();
    const queue = `bench.raw.${randomBytes(3).toString('hex')}`;
    await publisher.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await consumer.prefetch(200);
    const sample = Buffer.from(JSON.stringify(bookingConfirmed('+353870000000', new Date())));
    let received = 0;
    let finish;
    const allReceived = new Promise((r) => (finish = r));
    await consumer.consume(queue, (msg) => {
      consumer.ack(msg);
      if (++received === count) finish(Date.now());
    });
    const started = Date.now();
    await publishAll(publisher, Array.from({ length: count }, (_, i) => ({ key: i, body: sample })), { window, toExchange: false, queue });
    const ended = await allReceived;
    await publisher.deleteQueue(queue);
    return { messages: count, seconds: (ended - started) / 1000, rps: count / ((ended - started) / 1000) };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- the run

export async function run(options) {
  const result = { scenario: 'messaging-pipeline', startedAt: new Date().toISOString(), machine: { cores: cpus().length, node: process.version }, options: { ...options }, rounds: [] };
  if (options.build || !existsSync(join(DIST, 'main.js'))) {
    say('building messaging (npx nx build messaging)…');
    const build = spawnSync('npx', ['nx', 'build', 'messaging', '--output-style=static'], { cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const id = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const database = `bench_messaging_pipeline_${id}`;
  const cleanup = [];
  const db = await mysql.createConnection({ ...dbServer, timezone: 'Z' }).catch((err) => {
    throw new Error(`MariaDB/MySQL is not reachable at ${dbServer.host}:${dbServer.port} (${err.code ?? err.message}); start it and try again`);
  });
  cleanup.push(async () => {
    if (!options.keep) await db.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await db.end();
  });
  let child;
  try {
    const vhost = await createVhost(`bench-pipeline-${id}`);
    cleanup.push(() => (options.keep ? undefined : vhost.dispose()));
    const twilio = await startFakeTwilio('AC00000000000000000000000000000b01');
    cleanup.push(() => twilio.stop());
    const core = await startFakeCoreApi({ userId: 'bench-owner', businessId, role: 'OWNER', email: 'owner@bench.test', staffId: null });
    cleanup.push(() => core.stop());
    const port = await freePort();
    const logFile = join(tmpdir(), `messaging-pipeline-${id}.log`);
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      LINK_SIGNING_SECRET: 'bench-link-signing-secret-0123456789',
      DB_HOST: dbServer.host,
      DB_PORT: String(dbServer.port),
      DB_USER: dbServer.user,
      DB_PASSWORD: dbServer.password,
      MESSAGING_DB_NAME: database,
      RABBITMQ_URL: vhost.url,
      MESSAGING_PORT: String(port),
      MESSAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CORE_API_URL: core.url,
      SMS_PROVIDER: 'twilio',
      SMS_API_BASE_URL: twilio.baseUrl,
      SMS_ACCOUNT_SID: 'AC00000000000000000000000000000b01',
      SMS_AUTH_TOKEN: 'bench-token',
      SMS_FROM: '+353861000000',
      // The fake provider has no per-sender limit; a real account's rate would be set here.
      SMS_RATE_PER_SECOND: '100000',
      ...(process.env.BENCH_SERVICE_ENV ? Object.fromEntries(process.env.BENCH_SERVICE_ENV.split(',').map((kv) => kv.split('='))) : {}),
    };
    await execFileAsync(process.execPath, [join(DIST, 'cli.js'), 'migrate'], { env, timeout: 120_000 });
    const fd = openSync(logFile, 'a');
    // --profile: the harness's SIGWINCH-toggled CPU profiler, around the first measured pipeline round.
    const profiler = options.profile ? ['--require', join(ROOT, 'tests/perf/lib/cpu-profiler.cjs')] : [];
    if (options.profile) env.BENCH_PROFILE_DIR = tmpdir();
    // The flags production runs the service with (docker/Dockerfile CMD); the raw loop runs in this
    // process, whose allocation is small enough for node's defaults not to matter.
    child = spawn(process.execPath, [...RUNTIME_NODE_ARGS, ...profiler, ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean), join(DIST, 'main.js')], { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise((r) => child.once('exit', r));
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
      }
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 200) {
      if (child.exitCode !== null) throw new Error(`messaging exited at start; log ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      // Ready (database, broker with its queues declared, providers), not just listening.
      const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (waited > 60_000) throw new Error(`messaging did not start; log ${logFile}`);
      await sleep(200);
    }
    say(`messaging pid ${child.pid} on :${port}, database ${database}, log ${logFile}`);

    const connection = await amqplib.connect(vhost.url);
    cleanup.push(() => connection.close().catch(() => undefined));
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    const publishJson = (events) => publishAll(channel, events.map((e) => ({ key: e.data.client?.mobile ?? e.id, routingKey: e.type, body: Buffer.from(JSON.stringify(e)) })), { window: options.window });
    // The salon, then its settings through the API (no daily SMS cap in the way).
    await publishJson([envelope('business.created', { businessId, name: 'Bench Salon' }, { branch: null }), envelope('branch.created', { branchId, name: 'Main St', slug: 'bench-salon', timeZone: 'Europe/Dublin', country: 'IE', currency: 'EUR' })]);
    for (let i = 0; ; i++) {
      const [rows] = await db.query(`SELECT 1 FROM \`${database}\`.branch_profile JOIN \`${database}\`.business_profile USING (business_id)`);
      if (rows.length) break;
      if (i > 300) throw new Error('messaging never recorded the bench salon (is it consuming?)');
      await sleep(100);
    }
    const put = await fetch(`${baseUrl}/messaging/business/${businessId}/branch/${branchId}/settings`, {
      method: 'PUT',
      headers: { authorization: core.header, 'content-type': 'application/json' },
      body: JSON.stringify({ dailySmsLimit: 1_000_000, reminderOffsetsMinutes: [1440, 120] }),
    });
    if (put.status !== 200) throw new Error(`settings: HTTP ${put.status} ${await put.text()}`);

    let serial = 0;
    const start = new Date(Date.now() + 3 * 24 * 3600_000);
    const batch = (n) => Array.from({ length: n }, () => bookingConfirmed(`+35387${String(1_000_000 + serial++).padStart(7, '0')}`, start));
    const sentCount = async () => Number((await db.query(`SELECT COUNT(*) AS n FROM \`${database}\`.message WHERE status = 'SENT'`))[0][0].n);
    /** Publishes the events, waits for every SENT row, returns the timings. */
    const pipeline = async (events, perSecond = 0) => {
      const target = (await sentCount()) + events.length;
      const servers = serverPids();
      // The servers are shared (other databases, vhosts): their CPU rate just before the round is
      // taken as background and subtracted.
      const background = {};
      {
        const b0 = { database: cpuMsOf(servers.database), broker: cpuMsOf(servers.broker), at: Date.now() };
        await sleep(2_000);
        const seconds = (Date.now() - b0.at) / 1000;
        background.database = b0.database !== undefined ? (cpuMsOf(servers.database) - b0.database) / seconds : undefined;
        background.broker = b0.broker !== undefined ? (cpuMsOf(servers.broker) - b0.broker) / seconds : undefined;
      }
      const cpuBefore = cpuMsOf(child.pid);
      const serverCpuBefore = { database: cpuMsOf(servers.database), broker: cpuMsOf(servers.broker) };
      const first = Date.now();
      const published = await publishAll(channel, events.map((e) => ({ key: e.data.client.mobile, routingKey: e.type, body: Buffer.from(JSON.stringify(e)) })), { window: options.window, perSecond });
      const deadline = Date.now() + 600_000;
      for (let last = -1, still = 0, tick = 0; ; tick++) {
        const n = await sentCount();
        if (n >= target) break;
        if (options.verbose && tick % 10 === 0) {
          // Where the backlog is: still in RabbitMQ (the consumer is behind) or QUEUED rows (the dispatcher is).
          const [[q]] = await db.query(`SELECT COUNT(*) AS n FROM \`${database}\`.message WHERE status = 'QUEUED'`);
          const { messageCount } = await channel.checkQueue('messaging.core-events');
          say(`    ${((Date.now() - first) / 1000).toFixed(1)} s: in RabbitMQ ${messageCount}, QUEUED rows ${q.n}, SENT ${n - (target - events.length)}`);
        }
        still = n === last ? still + 1 : 0;
        last = n;
        if (Date.now() > deadline || still > 300) throw new Error(`pipeline stalled at ${n}/${target} SENT rows; log ${logFile}`);
        await sleep(100);
      }
      const cpuMs = cpuMsOf(child.pid) - cpuBefore;
      const elapsedS = (Date.now() - first) / 1000;
      const perEvent = (before, pid, backgroundPerS) =>
        before !== undefined && cpuMsOf(pid) !== undefined ? Math.max(0, Math.round(((cpuMsOf(pid) - before - (backgroundPerS ?? 0) * elapsedS) * 1000) / events.length)) : undefined;
      const databaseCpuUsPerEvent = perEvent(serverCpuBefore.database, servers.database, background.database);
      const brokerCpuUsPerEvent = perEvent(serverCpuBefore.broker, servers.broker, background.broker);
      const mobiles = events.map((e) => e.data.client.mobile);
      const [rows] = await db.query(`SELECT recipient, sent_at FROM \`${database}\`.message WHERE kind = 'CONFIRMATION' AND recipient IN (?)`, [mobiles]);
      const latencies = rows.map((r) => new Date(r.sent_at).getTime() - published.get(r.recipient)).sort((a, b) => a - b);
      const lastSent = Math.max(...rows.map((r) => new Date(r.sent_at).getTime()));
      const seconds = (lastSent - first) / 1000;
      return {
        events: events.length,
        seconds,
        rps: events.length / seconds,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        serviceCpuUsPerEvent: cpuMs !== undefined ? Math.round((cpuMs * 1000) / events.length) : undefined,
        databaseCpuUsPerEvent,
        brokerCpuUsPerEvent,
        backgroundCpuPercent: { database: background.database !== undefined ? Math.round(background.database / 10) : undefined, broker: background.broker !== undefined ? Math.round(background.broker / 10) : undefined },
        rows: rows.length,
      };
    };

    say(`warm-up: ${Math.min(2_000, options.events)} events`);
    await pipeline(batch(Math.min(2_000, options.events)));
    for (let round = 1; round <= options.rounds; round++) {
      // Alternate the order, so a machine that gets busier or quieter favours neither.
      const order = round % 2 ? ['raw', 'pipeline'] : ['pipeline', 'raw'];
      const r = { round };
      for (const what of order) {
        if (what === 'raw') r.raw = await rawLoop(vhost.url, options.rawMessages, options.window);
        else {
          if (options.profile && round === 1) child.kill('SIGWINCH');
          r.pipeline = await pipeline(batch(options.events));
          if (options.profile && round === 1) {
            child.kill('SIGWINCH');
            say(`CPU profile of the service during round 1: ${tmpdir()}/${child.pid}-1.cpuprofile`);
          }
        }
      }
      r.ratio = r.pipeline.rps / r.raw.rps;
      result.rounds.push(r);
      say(
        `round ${round}: raw ${Math.round(r.raw.rps)} msg/s | pipeline ${Math.round(r.pipeline.rps)} events/s ` +
          `(p50 ${r.pipeline.p50} ms, p99 ${r.pipeline.p99} ms under flood; CPU/event µs: service ${r.pipeline.serviceCpuUsPerEvent}, db ${r.pipeline.databaseCpuUsPerEvent ?? '?'}, broker ${r.pipeline.brokerCpuUsPerEvent ?? '?'}; others kept the db ${r.pipeline.backgroundCpuPercent.database ?? '?'}% busy) | ratio ${r.ratio.toFixed(3)}`,
      );
    }
    const pipelineRps = median(result.rounds.map((r) => r.pipeline.rps));
    const rawRps = median(result.rounds.map((r) => r.raw.rps));
    const paced = Math.max(1, Math.round(pipelineRps / 2));
    say(`latency: ${options.latencyEvents} events at ${paced}/s (half the measured throughput)`);
    const latency = await pipeline(batch(options.latencyEvents), paced);

    if (options.verbose) {
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      say(metrics.split('\n').filter((l) => /^messaging_event_batch_(size|seconds)_(sum|count)|^events_consumed_total|^messages_dispatched_total/.test(l)).join('\n'));
    }
    const stats = await twilio.stats();
    const expected = serial;
    const recipients = new Set(stats.recipients);
    let lost = 0;
    for (let i = 0; i < expected; i++) if (!recipients.has(`+35387${String(1_000_000 + i).padStart(7, '0')}`)) lost++;
    result.summary = {
      rawRps: Math.round(rawRps),
      pipelineRps: Math.round(pipelineRps),
      ratio: pipelineRps / rawRps,
      target: TARGET_RATIO,
      targetMet: pipelineRps / rawRps >= TARGET_RATIO,
      spread: {
        rawRps: [Math.round(Math.min(...result.rounds.map((r) => r.raw.rps))), Math.round(Math.max(...result.rounds.map((r) => r.raw.rps)))],
        pipelineRps: [Math.round(Math.min(...result.rounds.map((r) => r.pipeline.rps))), Math.round(Math.max(...result.rounds.map((r) => r.pipeline.rps)))],
      },
      latency: { ratePerSecond: paced, events: latency.events, p50: latency.p50, p95: latency.p95, p99: latency.p99 },
      exactlyOnce: { published: expected, received: stats.distinct, providerCalls: stats.accepted, duplicates: stats.duplicates, lost },
    };
    // `ok` is the harness's "target met" (tests/perf/lib/external.mjs); a loss or a duplicate throws below.
    result.summary.ok = result.summary.targetMet;
    result.endedAt = new Date().toISOString();
    const s = result.summary;
    say('');
    say(`messaging pipeline (events -> consumer -> fake SMS provider -> status row), ${cpus().length} cores, median of ${options.rounds} rounds:`);
    say(`  pipeline   ${String(s.pipelineRps).padStart(6)} events/s   (rounds ${s.spread.pipelineRps.join('–')})`);
    say(`  raw amqplib ${String(s.rawRps).padStart(5)} msg/s      (rounds ${s.spread.rawRps.join('–')}; publish with confirms + consume with acks, quorum queue)`);
    say(`  ratio      ${s.ratio.toFixed(3)}  (target >= ${TARGET_RATIO}: ${s.targetMet ? 'met' : 'NOT met'})`);
    say(`  latency    p50 ${s.latency.p50} ms, p95 ${s.latency.p95} ms, p99 ${s.latency.p99} ms (publish -> SENT row, ${s.latency.events} events at ${s.latency.ratePerSecond}/s)`);
    say(`  exactly once: published ${s.exactlyOnce.published}, received ${s.exactlyOnce.received}, duplicates ${s.exactlyOnce.duplicates}, lost ${s.exactlyOnce.lost}`);
    const out = options.json ?? join(ROOT, 'tests/perf/results', `messaging-pipeline-${result.startedAt.replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    say(`  results: ${out}`);
    if (s.exactlyOnce.duplicates || s.exactlyOnce.lost) throw new Error(`exactly-once violated: ${s.exactlyOnce.duplicates} duplicates, ${s.exactlyOnce.lost} lost`);
    return result;
  } finally {
    for (const step of cleanup.reverse()) await Promise.resolve().then(step).catch((err) => say(`cleanup: ${err.message}`));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = parseOptions();
  if (options.help) {
    say('usage: node tests/perf/scenarios/messaging-pipeline.mjs [--events 20000] [--rounds 3] [--raw-messages 50000] [--latency-events 5000] [--window 500] [--json file] [--keep] [--no-build] [--profile]');
    process.exit(0);
  }
  run(options).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`messaging-pipeline: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
