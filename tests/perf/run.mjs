#!/usr/bin/env node
// `npm run bench`: builds the services, makes a database and a RabbitMQ vhost of the run's own,
// migrates with the real CLIs, seeds a realistic data set, starts core-api in production mode
// and each scenario's raw baseline pinned to one core, drives both with autocannon pinned to
// the other core, and reports requests/s, latency percentiles, errors, the service/baseline
// ratio and peak memory, as a table, a JSON file and an SVG chart. Never part of `npm test`:
// a benchmark reports figures, it does not assert timings. See tests/perf/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callExternal, describeExternal, loadExternal, runCampaign } from './lib/external.mjs';
import { checkDatabaseServer, createDatabase, createVhost, dropDatabase, runId } from './lib/infra.mjs';
import { dbServer, parseOptions, RUNTIME_NODE_ARGS, USAGE } from './lib/options.mjs';
import { busyPercent, CORES, coreCount, cpuMsOf, cpuTimes, freePort, hasTaskset, memoryOf, sampleRss, sharedServerPids, startNode, tailOf, waitForHttp } from './lib/processes.mjs';
import { DateTime } from 'luxon';
import { formatProfile, summarizeProfile } from './lib/profile-summary.mjs';
import { baselineTable, compareTable, median, resultsTable, scaleSvg, summarize, svgChart, TARGET_RATIO } from './lib/report.mjs';
import { runScale, scaleTables } from './lib/scale.mjs';
import { makeLane } from './scenarios/booking-requests.mjs';
import { RAW_LOOP_LANE_DAYS } from './scenarios/core-api-appointments.mjs';
import { staleStatements } from './scenarios/core-api-sql.mjs';
import { BASELINES, CAMPAIGN_SPEC, EXTERNAL, SCENARIOS } from './scenarios/index.mjs';
import { localToday } from './seed/appointments.mjs';
import { connect, explainReads, formatExplain, seedDatabase } from './seed/seed.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PERF = join(ROOT, 'tests/perf');
const RESULTS = join(PERF, 'results');
/** Far above any rate the benchmark reaches: the throttler still runs, it just never says 429. */
const RATE_LIMIT_PER_SECOND = 1_000_000;
const SAMPLE_CHECKS = 5;

const say = (line = '') => process.stdout.write(`${line}\n`);
const section = (title) => say(`\n== ${title} ${'='.repeat(Math.max(0, 74 - title.length))}`);

// --- clean-up, also on Ctrl-C ----------------------------------------------------------------
const cleanups = [];
let cleaning;
function cleanUp() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`clean-up: ${err.message}\n`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping processes and dropping the run's databases...\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// --- the load generator, a child process on its own core --------------------------------------
function loadGenerator(proc) {
  let seq = 0;
  const pending = new Map();
  proc.child.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`load generator: ${m.error}`));
  });
  void proc.exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`load generator exited; log: ${tailOf(proc.logFile)}`));
    pending.clear();
  });
  return {
    run(job) {
      const id = ++seq;
      return new Promise((resolvePromise, reject) => {
        pending.set(id, { resolve: resolvePromise, reject });
        proc.child.send({ id, ...job });
      });
    },
  };
}

// --- correctness: a benchmark of 401s or 404s must not pass as fast ---------------------------
/** One request ({ path, method?, body? }) with the run's credential; body parsed when JSON. */
async function send(url, req, headers) {
  const hasBody = req.body !== undefined;
  const response = await fetch(url + req.path, {
    method: req.method ?? 'GET',
    headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    body: hasBody ? JSON.stringify(req.body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

function firstDifference(a, b, path = '$') {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(a[k], b[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

const label = (req) => `${req.method ?? 'GET'} ${req.path}`;

/**
 * Sends the sample requests to the service and the baseline: each must answer an expected
 * status and pass the scenario's check, and (unless `sameBody: false`) both bodies must be
 * identical. `tally` (optional) counts the statuses per target (bookings count every answer).
 */
async function checkSamples(scenario, samples, service, baseline, headers, baselineSamples = samples, tally) {
  const ok = scenario.okStatuses ?? [200];
  for (let i = 0; i < samples.length; i++) {
    const req = samples[i];
    const a = await send(service.url, req, headers);
    tally?.('service', a.status);
    if (!ok.includes(a.status)) return { ok: false, message: `${service.name} answered ${a.status} to ${label(req)}: ${a.text.slice(0, 200)}` };
    const problem = scenario.check(a.body, req.expect, a.status);
    if (problem) return { ok: false, message: `${service.name}, ${label(req)}: ${problem}` };
    if (baseline) {
      const reqB = baselineSamples[i];
      const b = await send(baseline.url, reqB, headers);
      tally?.('baseline', b.status);
      if (!ok.includes(b.status)) return { ok: false, message: `${baseline.name} answered ${b.status} to ${label(reqB)}: ${b.text.slice(0, 200)}` };
      const problemB = (scenario.checkBaseline ?? scenario.check)(b.body, reqB.expect, b.status);
      if (problemB) return { ok: false, message: `${baseline.name}, ${label(reqB)}: ${problemB}` };
      if (scenario.sameBody !== false) {
        const diff = firstDifference(a.body, b.body);
        if (diff) return { ok: false, message: `service and baseline answer differently to ${label(req)} (${diff}): the baseline no longer mirrors the service` };
      }
    }
  }
  const what = scenario.sameBody === false ? `; baseline answers checked${scenario.checkBaseline ? ' (its own shape)' : ''}` : '; service and baseline bodies identical';
  return { ok: true, message: `${samples.length} sample requests: ${ok.join('/')} with the expected content${baseline ? what : ''}` };
}

/** Answers that are not among the scenario's right ones (plus socket errors and timeouts). */
function unexpectedOf(result, okStatuses) {
  const ok = new Set((okStatuses ?? [200]).map(String));
  let n = result.errors + result.timeouts;
  for (const [code, count] of Object.entries(result.statusCodes ?? {})) if (!ok.has(code)) n += count;
  return n;
}

// --- one measurement -------------------------------------------------------------------------
/**
 * autocannon stops at the end of a window with up to `connections` requests still in flight;
 * the server finishes them anyway. Wait for that tail (about the window's p99, 0.3-3 s) before
 * the next window starts, so a measurement never begins with 2x the load it reports (which also
 * overflows core-api's bounded pool queue into 503s).
 */
const settle = (result) => new Promise((r) => setTimeout(r, Math.min(3_000, Math.max(300, result?.tailMs ?? 1_000))));

async function measure(load, target, run, opts, headers, round) {
  const isService = target.role !== 'baseline';
  const lane = run.lanes?.[isService ? 'service' : 'baseline'];
  const job = { url: target.url, headers, connections: opts.connections, ...(lane ? { lane } : { paths: run.paths }) };
  // A process meeting a scenario's requests for the first time runs them through V8's
  // interpreter and baseline tiers until they are hot: core-api's booking path took 2x its
  // steady CPU per request over the first ~5 s (a 1 s warm-up left round 1 at 5-7 ms a booking,
  // rounds 2-3 at ~3). Both targets get the same longer warm-up before their first window.
  const warmup = round === 1 ? Math.max(opts.warmup, opts.firstWarmup ?? 0, run.scenario.firstWarmup ?? 0) : opts.warmup;
  if (warmup > 0) {
    const warm = await load.run({ ...job, duration: warmup, collect: false });
    run.tally?.(isService ? 'service' : 'baseline', warm.statusCodes, warm.laneCursor);
    await settle(warm);
  }
  const cpuBefore = cpuTimes();
  const procCpuBefore = cpuMsOf(target.proc.pid);
  const shared = Object.entries(sharedServerPids()).map(([name, pid]) => ({ name, pid, before: cpuMsOf(pid) }));
  const stopRss = sampleRss([target.proc.pid]);
  const result = await load.run({ ...job, duration: opts.duration, collect: true });
  const peak = stopRss();
  if (!target.proc.isAlive()) throw new Error(`${target.name} died during the measurement; its log (${target.proc.logFile}):\n${tailOf(target.proc.logFile)}`);
  run.tally?.(isService ? 'service' : 'baseline', result.statusCodes, result.laneCursor);
  const busy = busyPercent(cpuBefore, cpuTimes());
  const procCpuAfter = cpuMsOf(target.proc.pid);
  // What the window cost MariaDB and RabbitMQ per answer (their background work included).
  if (result.responses) {
    result.sharedCpuUsPerRequest = {};
    for (const s of shared) {
      const after = cpuMsOf(s.pid);
      if (s.before !== undefined && after !== undefined) result.sharedCpuUsPerRequest[s.name] = Math.round(((after - s.before) * 1000) / result.responses);
    }
  }
  await settle(result);
  result.unexpected = unexpectedOf(result, run.scenario.okStatuses);
  result.peakRssKb = peak[target.proc.pid];
  result.coreBusyPct = busy ? { server: busy[CORES.server], load: busy[CORES.load], stealServer: busy[`steal${CORES.server}`], stealLoad: busy[`steal${CORES.load}`] } : undefined;
  if (procCpuBefore !== undefined && procCpuAfter !== undefined) {
    result.processCpuPct = Math.round(((procCpuAfter - procCpuBefore) / (result.seconds * 1000)) * 100);
    // CPU the process spent per answered request: far less sensitive than req/s to other
    // work on the machine taking the core away (the process just waits, it does not bill).
    result.cpuUsPerRequest = result.responses ? Math.round(((procCpuAfter - procCpuBefore) * 1000) / result.responses) : undefined;
  }
  return result;
}

// --- bookings: the outbox backlog, the raw loop, and what the database holds afterwards -------
async function outboxBacklog(server, database) {
  const c = await connect(server, database);
  try {
    const [[row]] = await c.query('SELECT COUNT(*) AS n FROM outbox_event');
    return Number(row.n);
  } finally {
    await c.end();
  }
}

/** Waits until core-api's relay has published every committed event; returns the backlog and the seconds it took. */
async function drainOutbox(server, database, timeoutMs = 120_000) {
  const started = Date.now();
  const backlog = await outboxBacklog(server, database);
  let left = backlog;
  while (left > 0 && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 250));
    left = await outboxBacklog(server, database);
  }
  return { backlog, left, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** The lane's local dates so far, replayed from its spec and cursor. */
function laneRange(spec, cursor) {
  const lane = makeLane(spec);
  for (let i = 0; i < cursor; i++) lane.next();
  return { firstDate: spec.startDate, lastDate: lane.lastDate ?? spec.startDate, slots: lane.slots };
}

/** Live appointments the lane's dates hold: per (stylist, start), and how many slots hold more than one. */
async function laneAppointments(server, database, spec, range) {
  const from = DateTime.fromISO(range.firstDate, { zone: spec.timeZone }).toJSDate();
  const to = DateTime.fromISO(range.lastDate, { zone: spec.timeZone }).plus({ days: 1 }).toJSDate();
  const c = await connect(server, database);
  try {
    const [[row]] = await c.query(
      `SELECT COUNT(*) AS slots, COALESCE(SUM(n), 0) AS appointments, COALESCE(SUM(n > 1), 0) AS doubled FROM (
         SELECT staff_id, start_at, COUNT(*) AS n FROM appointment
          WHERE branch_id = ? AND start_at >= ? AND start_at < ? AND activation_state = 'ACTIVE' GROUP BY staff_id, start_at) t`,
      [spec.branchId, from, to],
    );
    const [[orphans]] = await c.query(
      `SELECT (SELECT COUNT(*) FROM booking b WHERE b.branch_id = ? AND b.created_at >= ? AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.booking_id = b.id)) AS bookings_without_appointments`,
      [spec.branchId, new Date(Date.now() - 6 * 3_600_000)],
    );
    return { slots: Number(row.slots), appointments: Number(row.appointments), doubled: Number(row.doubled), bookingsWithoutAppointments: Number(orphans.bookings_without_appointments) };
  } finally {
    await c.end();
  }
}

async function rawLoop({ root, serviceEnv, database, spec, seconds, logDir, round }) {
  const file = join(logDir, `raw-loop-lane-${round}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const logFile = join(logDir, `raw-loop-${round}.log`);
  const proc = startNode({
    name: 'raw-loop',
    cpu: CORES.server,
    args: [...RUNTIME_NODE_ARGS, join(root, BASELINES['raw-booking'].script), '--loop', '--seconds', String(seconds), '--lane', file],
    env: { ...serviceEnv, DB_NAME: database },
    logFile,
    cwd: root,
  });
  const cpuBefore = cpuMsOf(proc.pid) ?? 0;
  let cpuLast = cpuBefore;
  const timer = setInterval(() => (cpuLast = cpuMsOf(proc.pid) ?? cpuLast), 200);
  const exit = await proc.exited;
  clearInterval(timer);
  const line = readFileSync(logFile, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (exit.code !== 0 || !line) throw new Error(`raw loop failed (exit ${exit.code}); log:\n${tailOf(logFile)}`);
  const out = JSON.parse(line);
  out.cpuUsPerTransaction = out.transactions ? Math.round(((cpuLast - cpuBefore) * 1000) / out.transactions) : undefined;
  return out;
}

/** `; 20 s for booking-create, booking-contention`: scenarios that ask for a longer first warm-up. */
function longerFirstWarmups(scenarios, opts) {
  const longer = scenarios.filter((s) => (s.firstWarmup ?? 0) > Math.max(opts.warmup, opts.firstWarmup));
  const bySeconds = new Map();
  for (const s of longer) bySeconds.set(s.firstWarmup, [...(bySeconds.get(s.firstWarmup) ?? []), s]);
  return [...bySeconds].map(([seconds, list]) => `; ${seconds} s for ${list.map((s) => s.name).join(', ')}`).join('');
}

/** `  mariadb 420 rabbitmq 60 µs/req`: the shared servers' CPU per answer in the window. */
function sharedOf(r) {
  const parts = Object.entries(r.sharedCpuUsPerRequest ?? {}).map(([name, us]) => `${name} ${us}`);
  return parts.length ? `  ${parts.join(' ')} µs/req` : '';
}

function fmtRound(r) {
  const statuses = Object.keys(r.statusCodes ?? {}).length > 1 ? `  statuses ${Object.entries(r.statusCodes).map(([k, v]) => `${k}:${v}`).join(' ')}` : '';
  return `${String(r.rps).padStart(6)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  err ${r.errors + r.timeouts}  unexpected ${r.unexpected ?? r.non2xx}${statuses}  CPU ${r.processCpuPct ?? '-'}% ${r.cpuUsPerRequest ?? '-'} µs/req  core${CORES.server} ${r.coreBusyPct?.server ?? '-'}% core${CORES.load} ${r.coreBusyPct?.load ?? '-'}%${sharedOf(r)}${r.coreBusyPct?.stealServer || r.coreBusyPct?.stealLoad ? `  steal ${r.coreBusyPct.stealServer}%/${r.coreBusyPct.stealLoad}%` : ''}`;
}

function printResults(results) {
  if (results.scenarios.length) {
    section('results (median of rounds)');
    say(resultsTable(results));
    say();
    say('baselines:');
    say(baselineTable(results));
    say();
    for (const s of results.scenarios) if (!s.check.ok) say(`FAILED CHECK ${s.name}: ${s.check.message}`);
    for (const s of results.scenarios) {
      if (s.statusCodes && Object.keys(s.statusCodes.service ?? {}).length > 1) {
        const split = (codes) => Object.entries(codes ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
        say(`${s.name} answers (every request of the run, warm-ups included): core-api ${split(s.statusCodes.service)}; ${s.baseline?.name ?? '-'} ${split(s.statusCodes.baseline)}`);
      }
      for (const [who, v] of Object.entries(s.verify ?? {})) {
        say(`${s.name} ${who}: ${v.requests} requests for ${v.slotsAsked} slots -> ${v.created} answered 201; database: ${v.appointments} live appointments in ${v.slots} slots, ${v.doubled} slot(s) double-booked${v.bookingsWithoutAppointments ? `, ${v.bookingsWithoutAppointments} booking(s) without appointments` : ''}${v.problem ? `  <-- ${v.problem}` : ''}`);
      }
      if (s.outbox?.length) {
        say(`${s.name} outbox: after each measured window ${s.outbox.map((o) => `${o.backlog} events waiting, relayed in ${o.seconds} s`).join('; ')}`);
      }
      if (s.rawLoop?.length) {
        const loopRate = median(s.rawLoop.map((l) => l.perSecond));
        say(
          `${s.name} raw transaction loop without HTTP (${s.rawLoop[0].workers} workers, STACK-NOTES measured ~1.8k/s): ${s.rawLoop.map((l) => l.perSecond).join(' / ')} tx/s (median ${loopRate}, ${median(s.rawLoop.map((l) => l.cpuUsPerTransaction))} µs CPU per transaction); core-api / loop = ${loopRate ? (s.service.summary.rps / loopRate).toFixed(2) : '-'}x`,
        );
      }
    }
  }
  if (results.external && Object.keys(results.external).length) {
    section('other scenarios (their own files)');
    for (const [name, e] of Object.entries(results.external)) say(describeExternal(name, e));
  }
  if (results.campaign) {
    const c = results.campaign;
    say(
      c.seconds
        ? `campaign (${CAMPAIGN_SPEC.file}): ${c.recipients} SMS in ${c.seconds} s = ${c.msgPerSec} msg/s (goal < 60 s for 100k); provider received ${c.providerReceived} (${c.distinct} distinct), duplicates ${c.duplicates}, lost ${c.lost}; spec ${c.ok ? 'passed' : `FAILED (exit ${c.exitCode})`}, ${c.wallSeconds} s with set-up`
        : `campaign: ${c.message ?? ''} (exit ${c.exitCode})`,
    );
  }
  if (results.scale) {
    section('scale curves');
    say(scaleTables(results.scale));
  }
  for (const [name, p] of Object.entries(results.processes ?? {})) {
    say(`peak RSS ${name}: ${(p.hwmKb / 1024).toFixed(0)} MiB (VmHWM over the whole run)${p.idleRssKb ? `; ${(p.idleRssKb / 1024).toFixed(0)} MiB when ready, before load` : ''}`);
  }
  if (results.scenarios.length) {
    say(`ratio = service req/s / baseline req/s in the same run; '<' marks a ratio below the scenario's target (${TARGET_RATIO}x for reads, 0.5x for booking-create).`);
    say('CPU ratio = baseline CPU µs per request / service CPU µs per request (each process\'s own CPU time): the same');
    say('  comparison, far less disturbed by other work on the machine; trust it when the two ratios disagree.');
    say(`noise = ± half the spread (max-min)/median of req/s over ${results.settings.rounds} rounds.`);
    say(`core-api ran with RATE_LIMIT_PER_SECOND=${results.settings.rateLimitPerSecond} (default 100/s per credential) so the throttler never answers 429 here.`);
  }
}

async function main() {
  let opts;
  try {
    opts = parseOptions();
  } catch (err) {
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) return say(USAGE);

  // Scenarios of other issues' files, when they exist (lib/external.mjs).
  const external = await loadExternal(PERF, EXTERNAL);
  const baselines = { ...BASELINES };
  const allScenarios = [...SCENARIOS];
  for (const e of external.filter((x) => x.kind === 'scenarios')) {
    allScenarios.push(...e.scenarios);
    Object.assign(baselines, e.baselines);
  }
  if (opts.list) {
    for (const s of allScenarios) say(`${s.name.padEnd(22)} ${s.service} vs ${s.baseline ?? '-'}: ${s.description}`);
    for (const e of external.filter((x) => x.kind !== 'scenarios')) say(`${e.name.padEnd(22)} ${e.description}: ${e.message}`);
    say(`${CAMPAIGN_SPEC.name.padEnd(22)} messaging's campaign perf spec (${CAMPAIGN_SPEC.file}): with --campaign`);
    say(`${'(scale curves)'.padEnd(22)} day-view and availability at ${opts.scale.sizes.join(', ')} appointments and ${opts.scale.staff.join(', ')} staff: with --scale`);
    return;
  }
  const runnable = (e) => e.kind === 'run';
  const known = [...allScenarios.map((s) => s.name), ...external.map((e) => e.name), CAMPAIGN_SPEC.name];
  const unknown = opts.scenarios.filter((n) => !known.includes(n));
  if (unknown.length) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    process.exit(2);
  }
  const selected = (name) => !opts.scenarios.length || opts.scenarios.includes(name);
  const scenarios = allScenarios.filter((s) => selected(s.name));
  // Opt-in ones (long standalone scripts) only when named.
  const externalRuns = external.filter((e) => e.kind !== 'scenarios' && (e.optIn ? opts.scenarios.includes(e.name) : selected(e.name)));
  const campaign = opts.campaign || opts.scenarios.includes(CAMPAIGN_SPEC.name);
  if (opts.profile && !scenarios.some((s) => s.name === opts.profile)) {
    process.stderr.write(`--profile ${opts.profile}: not among the scenarios of this run\n`);
    process.exit(2);
  }

  if (opts.from) {
    const results = JSON.parse(readFileSync(opts.from, 'utf8'));
    printResults(results);
    if (opts.compare) {
      section(`change against ${opts.compare}`);
      say(compareTable(results, JSON.parse(readFileSync(opts.compare, 'utf8'))));
    }
    return;
  }
  const previous = opts.compare ? JSON.parse(readFileSync(opts.compare, 'utf8')) : undefined;

  // --- preflight ---
  const server = dbServer();
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:]/g, '-').replace(/\..*$/, '');
  mkdirSync(RESULTS, { recursive: true });
  const logDir = join(RESULTS, `${stamp}-logs`);
  mkdirSync(logDir, { recursive: true });
  section('machine');
  const mariadb = await checkDatabaseServer(server);
  say(`${coreCount} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, MariaDB/MySQL ${mariadb}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (!hasTaskset) say('WARNING: taskset not found; processes are not pinned to cores (figures are less stable)');
  if (coreCount < 2) say('WARNING: one core: the load generator competes with the service; ratios still compare like with like');
  else say(`pinning: services and baselines on core ${CORES.server}, autocannon on core ${CORES.load}; MariaDB and RabbitMQ unpinned`);
  say(`logs: ${relative(ROOT, logDir)}`);
  for (const e of external) say(`${e.name}: ${e.message}`);

  // --- build ---
  if (opts.build) {
    section('build');
    const started = Date.now();
    const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'core-api', 'booking', 'messaging', '--output-style=static'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(join(logDir, 'build.log'), `${build.stdout ?? ''}${build.stderr ?? ''}`);
    if (build.status !== 0) {
      process.stderr.write(`build failed (exit ${build.status}); ${relative(ROOT, join(logDir, 'build.log'))}:\n${tailOf(join(logDir, 'build.log'), 40)}\n`);
      process.exit(1);
    }
    say(`built core-api, booking, messaging in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const coreDist = join(ROOT, 'apps/core-api/dist');
  for (const f of ['main.js', 'cli.js']) {
    if (!existsSync(join(coreDist, f))) {
      process.stderr.write(`apps/core-api/dist/${f} is missing: run without --no-build\n`);
      process.exit(1);
    }
  }
  const stale = staleStatements(readFileSync(join(coreDist, 'main.js'), 'utf8'));
  if (stale.length) say(`WARNING: core-api's SQL changed; update tests/perf/scenarios/core-api-sql.mjs and the baseline:\n  ${stale.join('\n  ')}`);

  const id = runId();
  const databases = { core: `bench_${id}_core` };
  const vhostName = `bench-${id}`;
  let exitCode = 0;
  /** Every process of the run whose memory is reported (VmHWM at the end, RSS when ready). */
  const tracked = [];
  const idleRss = {};
  const track = (proc) => {
    if (!tracked.includes(proc)) tracked.push(proc);
    idleRss[proc.name] ??= memoryOf(proc.pid)?.rssKb;
  };
  const finalMemory = {};
  const noteMemory = () => {
    for (const p of tracked) {
      const m = memoryOf(p.pid);
      if (m) finalMemory[p.name] = { ...m, idleRssKb: idleRss[p.name] };
    }
  };
  const results = {
    version: 2,
    startedAt,
    machine: { cpus: coreCount, model: cpus()[0]?.model, node: process.version, mariadb, taskset: hasTaskset, cores: CORES },
    settings: {
      rounds: opts.rounds,
      duration: opts.duration,
      warmup: opts.warmup,
      connections: opts.connections,
      poolSize: opts.poolSize,
      rateLimitPerSecond: RATE_LIMIT_PER_SECOND,
      serviceNodeArgs: opts.serviceNodeArgs,
      data: opts.data,
      scale: opts.scale.enabled ? opts.scale : undefined,
    },
    scenarios: [],
    profiles: [],
  };
  try {
    // --- database and broker of the run's own ---
    section('set-up');
    await createDatabase(server, databases.core);
    cleanups.push(async () => {
      if (opts.keep) say(`kept database ${databases.core}`);
      else await dropDatabase(server, databases.core);
    });
    const rabbitBase = process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672';
    const vhost = await createVhost(rabbitBase, vhostName);
    cleanups.push(async () => {
      if (opts.keep) say(`kept RabbitMQ vhost ${vhostName}`);
      else await vhost.dispose();
    });
    say(`database ${databases.core}, RabbitMQ vhost ${vhostName}${opts.keep ? ' (kept at the end: --keep)' : ' (dropped at the end)'}`);

    const serviceEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DB_HOST: server.host,
      DB_PORT: String(server.port),
      DB_USER: server.user,
      DB_PASSWORD: server.password,
      DB_POOL_SIZE: String(opts.poolSize),
      CORE_API_DB_NAME: databases.core,
      RABBITMQ_URL: vhost.url,
      RATE_LIMIT_PER_SECOND: String(RATE_LIMIT_PER_SECOND),
    };
    const loadProc = startNode({ name: 'autocannon', cpu: CORES.load, args: [join(PERF, 'lib/load-worker.mjs')], env: process.env, logFile: join(logDir, 'autocannon.log'), ipc: true, cwd: ROOT });
    cleanups.push(() => loadProc.stop('SIGTERM', 3_000));
    const load = loadGenerator(loadProc);

    if (!opts.scale.only) {
      const migrate = spawnSync(process.execPath, [join(coreDist, 'cli.js'), 'migrate'], { cwd: ROOT, env: serviceEnv, encoding: 'utf8' });
      if (migrate.status !== 0) throw new Error(`core-api migrate failed (exit ${migrate.status}):\n${migrate.stderr}${migrate.stdout}`);
      say('core-api migrations applied (node apps/core-api/dist/cli.js migrate)');

      section('seed');
      const fixture = await seedDatabase({ server, database: databases.core, data: opts.data, log: say });
      const mainBranch = fixture.businesses[0].branches[0];
      if (mainBranch.diary) {
        const weekdays = [...mainBranch.diary.liveByDate].filter(([d, n]) => n >= mainBranch.activeStaff * 5 && d < localToday(mainBranch.timeZone));
        say(`day view: ${weekdays.length} busy past days of the branch (${mainBranch.activeStaff} staff), median ${median(weekdays.map(([, n]) => n))} live appointments a day (range ${Math.min(...weekdays.map(([, n]) => n))}-${Math.max(...weekdays.map(([, n]) => n))})`);
      }
      results.data = { counts: fixture.counts, seedSeconds: fixture.seconds };
      section('EXPLAIN of the benchmarked reads');
      const explain = await explainReads({ server, database: databases.core, fixture });
      say(formatExplain(explain));
      results.explain = explain;

      // --- processes ---
      section('start');
      const servicePort = await freePort();
      const profileDir = join(RESULTS, `${stamp}-profiles`);
      if (opts.profile) mkdirSync(profileDir, { recursive: true });
      const serviceProc = startNode({
        name: 'core-api',
        cpu: CORES.server,
        args: [...RUNTIME_NODE_ARGS, ...opts.serviceNodeArgs, ...(opts.profile ? ['--require', join(PERF, 'lib/cpu-profiler.cjs')] : []), join(coreDist, 'main.js')],
        env: { ...serviceEnv, CORE_API_PORT: String(servicePort), BENCH_PROFILE_DIR: profileDir },
        logFile: join(logDir, 'core-api.log'),
        cwd: ROOT,
      });
      cleanups.push(() => serviceProc.stop());
      const service = { name: 'core-api', role: 'service', url: `http://127.0.0.1:${servicePort}`, proc: serviceProc };

      const baselineTargets = {};
      for (const name of new Set(scenarios.map((s) => s.baseline).filter(Boolean))) {
        const port = await freePort();
        const proc = startNode({
          name,
          cpu: CORES.server,
          args: [...RUNTIME_NODE_ARGS, ...(opts.profile ? ['--require', join(PERF, 'lib/cpu-profiler.cjs')] : []), join(ROOT, baselines[name].script)],
          env: { ...serviceEnv, DB_NAME: databases.core, BASELINE_PORT: String(port), BENCH_PROFILE_DIR: profileDir },
          logFile: join(logDir, `${name}.log`),
          cwd: ROOT,
        });
        cleanups.push(() => proc.stop());
        baselineTargets[name] = { name, role: 'baseline', url: `http://127.0.0.1:${port}`, proc };
      }

      await waitForHttp(serviceProc, `${service.url}/health`, 90_000);
      for (const b of Object.values(baselineTargets)) await waitForHttp(b.proc, `${b.url}/health`, 30_000);
      for (const p of [serviceProc, ...Object.values(baselineTargets).map((b) => b.proc)]) track(p);
      say(`core-api (pid ${serviceProc.pid}, core ${serviceProc.cpu ?? 'any'}) at ${service.url}, NODE_ENV=production LOG_LEVEL=warn DB_POOL_SIZE=${opts.poolSize} RATE_LIMIT_PER_SECOND=${RATE_LIMIT_PER_SECOND}, node ${[...RUNTIME_NODE_ARGS, ...opts.serviceNodeArgs].join(' ')} (baselines: ${RUNTIME_NODE_ARGS.join(' ')})`);
      for (const b of Object.values(baselineTargets)) say(`baseline ${b.name} (pid ${b.proc.pid}, core ${b.proc.cpu ?? 'any'}) at ${b.url}: ${baselines[b.name].description}`);
      say(`autocannon (pid ${loadProc.pid}, core ${loadProc.cpu ?? 'any'}): ${opts.connections} connections, ${opts.warmup} s warm-up (${Math.max(opts.warmup, opts.firstWarmup)} s before each target's first round${longerFirstWarmups(scenarios, opts)}) + ${opts.duration} s measured, ${opts.rounds} rounds`);

      const business = fixture.businesses[0];
      const headers = { authorization: `Basic ${Buffer.from(`global/${business.ownerEmail}:${fixture.password}`).toString('base64')}` };

      // --- scenarios ---
      section('scenarios');
      const runs = [];
      for (const scenario of scenarios) {
        const baseline = scenario.baseline ? baselineTargets[scenario.baseline] : undefined;
        const run = { scenario, baseline, service: [], base: [], rssService: 0, rssBaseline: 0, statusCodes: { service: {}, baseline: {} }, cursors: { service: 0, baseline: 0 }, outbox: [], rawLoop: [] };
        run.tally = (who, codes, cursor) => {
          const into = run.statusCodes[who];
          if (typeof codes === 'number') into[codes] = (into[codes] ?? 0) + 1;
          else for (const [k, v] of Object.entries(codes ?? {})) into[k] = (into[k] ?? 0) + v;
          if (cursor !== undefined) run.cursors[who] = cursor;
        };
        let samples;
        let baselineSamples;
        if (scenario.lane) {
          // Writes: each target books from a lane of its own; the samples are the lane's first requests.
          run.lanes = {};
          run.laneSpecs = {};
          const take = {};
          for (const who of ['service', 'baseline']) {
            const { module, spec } = scenario.lane(fixture, who);
            run.laneSpecs[who] = spec;
            run.lanes[who] = { module, spec, key: `${scenario.name}:${who}:${id}`, skip: SAMPLE_CHECKS };
            const local = makeLane(spec);
            take[who] = Array.from({ length: SAMPLE_CHECKS }, () => local.next());
          }
          samples = take.service;
          baselineSamples = take.baseline;
        } else {
          const requests = scenario.requests(fixture, opts.data.seed);
          run.paths = requests.map((r) => (r.method ? { method: r.method, path: r.path, body: r.body } : r.path));
          samples = requests.slice(0, SAMPLE_CHECKS);
        }
        run.check = await checkSamples(scenario, samples, service, baseline, headers, baselineSamples, scenario.lane ? (who, status) => run.tally(who, status) : undefined);
        say(`${scenario.name}: ${run.check.ok ? 'check ok' : 'CHECK FAILED'}: ${run.check.message}`);
        runs.push(run);
      }
      for (let round = 1; round <= opts.rounds; round++) {
        for (const run of runs) {
          if (!run.check.ok) continue;
          const order = round % 2 ? [service, run.baseline] : [run.baseline, service];
          for (const target of order.filter(Boolean)) {
            const result = await measure(load, target, run, opts, headers, round);
            const isService = target === service;
            (isService ? run.service : run.base).push(result);
            if (isService) run.rssService = Math.max(run.rssService, result.peakRssKb ?? 0);
            else run.rssBaseline = Math.max(run.rssBaseline, result.peakRssKb ?? 0);
            say(`[round ${round}/${opts.rounds}] ${run.scenario.name.padEnd(20)} ${target.name.padEnd(11)} ${fmtRound(result)}`);
            if (result.unexpected > 0) say(`  status codes: ${JSON.stringify(result.statusCodes)}`);
            if (isService && run.scenario.lane) {
              // The relay publishes the bookings' events after the answers: let it finish before the next measurement.
              const drained = await drainOutbox(server, databases.core);
              run.outbox.push(drained);
              if (drained.left) say(`  WARNING: ${drained.left} outbox events still unpublished after ${drained.seconds} s`);
            }
          }
          if (run.scenario.name === 'booking-create' && run.baseline) {
            const spec = { ...run.laneSpecs.baseline, startDate: DateTime.fromISO(localToday(mainBranch.timeZone)).plus({ days: RAW_LOOP_LANE_DAYS.start + (round - 1) * RAW_LOOP_LANE_DAYS.perRound }).toISODate(), clientOffset: 30_000 };
            const loop = await rawLoop({ root: ROOT, serviceEnv, database: databases.core, spec, seconds: opts.duration, logDir, round });
            run.rawLoop.push(loop);
            say(`[round ${round}/${opts.rounds}] ${'booking-create'.padEnd(20)} ${'raw loop'.padEnd(11)} ${String(loop.perSecond).padStart(6)} tx/s without HTTP (${loop.workers} workers, ${loop.conflicts} conflicts, ${loop.cpuUsPerTransaction ?? '-'} µs CPU/tx)`);
          }
        }
      }
      // Bookings: what the database holds for each lane (no double booking, every 201 committed).
      for (const run of runs.filter((r) => r.scenario.lane && r.check.ok)) {
        run.verify = {};
        for (const who of ['service', 'baseline']) {
          const spec = run.laneSpecs[who];
          const cursor = run.cursors[who] + SAMPLE_CHECKS;
          const range = laneRange(spec, cursor);
          const db = await laneAppointments(server, databases.core, spec, range);
          const created = run.statusCodes[who]['201'] ?? 0;
          let problem;
          if (db.doubled) problem = 'DOUBLE BOOKING';
          else if (db.bookingsWithoutAppointments) problem = 'bookings without appointments';
          // In-flight requests cut at the end of a window may commit unseen: at most one per connection and window.
          else if (db.appointments < created || db.appointments > created + opts.connections * 2 * opts.rounds + SAMPLE_CHECKS) problem = `committed ${db.appointments} vs ${created} answered 201`;
          run.verify[who] = { requests: cursor, slotsAsked: range.slots, created, ...db, problem };
          if (problem) exitCode = 1;
        }
      }

      // --- optional profiles, in runs of their own so they do not slow the figures above ---
      if (opts.profile) {
        const run = runs.find((r) => r.scenario.name === opts.profile);
        for (const target of [service, run.baseline].filter(Boolean)) {
          section(`CPU profile of ${target.name} under ${opts.profile}`);
          const before = new Set(readdirSync(profileDir));
          const job = { url: target.url, headers, connections: opts.connections, ...(run.lanes ? { lane: run.lanes[target === service ? 'service' : 'baseline'] } : { paths: run.paths }) };
          await load.run({ ...job, duration: Math.max(2, opts.warmup), collect: false });
          target.proc.child.kill('SIGWINCH');
          const result = await load.run({ ...job, duration: opts.duration, collect: true });
          target.proc.child.kill('SIGWINCH');
          let file;
          for (let i = 0; i < 100 && !file; i++) {
            await new Promise((r) => setTimeout(r, 200));
            file = readdirSync(profileDir).find((f) => !before.has(f) && f.endsWith('.cpuprofile'));
          }
          if (!file) throw new Error(`no CPU profile appeared in ${profileDir}; log:\n${tailOf(target.proc.logFile)}`);
          await new Promise((r) => setTimeout(r, 500));
          const summary = summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), 30);
          say(`profiled run (profiler on, slower than above): ${fmtRound(result)}`);
          say(`profile: ${relative(ROOT, join(profileDir, file))} (open in Chrome DevTools > Performance, or speedscope)`);
          say(formatProfile(summary));
          results.profiles.push({ scenario: opts.profile, target: target.name, file: relative(ROOT, join(profileDir, file)), run: result, summary });
        }
      }

      results.scenarios = runs.map((run) => {
        const serviceSummary = run.service.length ? summarize(run.service) : null;
        const baseSummary = run.base.length ? summarize(run.base) : null;
        return {
          name: run.scenario.name,
          description: run.scenario.description,
          target: run.scenario.target === undefined ? TARGET_RATIO : run.scenario.target,
          check: run.check,
          service: { name: service.name, summary: serviceSummary ?? summarize([]), rounds: run.service, peakRssKb: run.rssService || null },
          baseline: run.baseline ? { name: run.baseline.name, summary: baseSummary ?? summarize([]), rounds: run.base, peakRssKb: run.rssBaseline || null } : null,
          ratio: serviceSummary && baseSummary && baseSummary.rps ? Math.round((serviceSummary.rps / baseSummary.rps) * 1000) / 1000 : null,
          cpuRatio:
            serviceSummary?.cpuUsPerRequest && baseSummary?.cpuUsPerRequest ? Math.round((baseSummary.cpuUsPerRequest / serviceSummary.cpuUsPerRequest) * 1000) / 1000 : null,
          roundRatios: run.service.map((r, i) => (run.base[i]?.rps ? Math.round((r.rps / run.base[i].rps) * 100) / 100 : null)),
          ...(run.scenario.lane ? { statusCodes: run.statusCodes, verify: run.verify, outbox: run.outbox } : {}),
          ...(run.rawLoop.length ? { rawLoop: run.rawLoop } : {}),
        };
      });
      for (const s of results.scenarios) {
        if (!s.check.ok || s.service.summary.errors || s.service.summary.unexpected || s.baseline?.summary.errors || s.baseline?.summary.unexpected) exitCode = 1;
      }

      // --- scenarios of other files that drive their own processes (messaging pipeline, ...) ---
      results.external = {};
      for (const e of external.filter((x) => x.optIn && x.present && !externalRuns.includes(x))) results.external[e.name] = { present: true, message: `opt-in: npm run bench -- --scenario ${e.name}` };
      for (const e of externalRuns) {
        if (e.kind !== 'run' && e.kind !== 'script') {
          results.external[e.name] = { present: e.present, message: e.message };
          continue;
        }
        section(`${e.name} (tests/perf/scenarios/${e.file})`);
        try {
          const { result, children } = await callExternal(e, {
            root: ROOT, perfDir: PERF, logDir, server, databases, rabbitUrl: vhost.url, vhostName, fixture, opts, headers,
            coreApi: { url: service.url, pid: serviceProc.pid }, cores: CORES, say, startNode, freePort, waitForHttp, sampleRss, memoryOf, track,
          });
          results.external[e.name] = { present: true, result, children };
          for (const c of children) finalMemory[`${c.command.replace(/^.*?(apps\/[^/]+).*$/, '$1')} (${e.name})`] = { hwmKb: c.peakRssKb };
          if (result?.ok === false || result?.summary?.exactlyOnce?.lost || result?.summary?.exactlyOnce?.duplicates) exitCode = 1;
        } catch (err) {
          results.external[e.name] = { present: true, error: err.stack ?? String(err) };
          say(`${e.name} failed: ${err.stack ?? err}`);
          exitCode = 1;
        }
      }
      noteMemory();
      await serviceProc.stop();
      for (const b of Object.values(baselineTargets)) await b.proc.stop();
    }

    if (campaign) {
      section(`campaign (${CAMPAIGN_SPEC.file})`);
      const logFile = join(logDir, 'campaign.log');
      say(`running npx jest -c ${CAMPAIGN_SPEC.config} --runInBand ${CAMPAIGN_SPEC.pattern} (log: ${relative(ROOT, logFile)})`);
      results.campaign = await runCampaign({ root: ROOT, spec: CAMPAIGN_SPEC, logFile, recipients: opts.campaignRecipients });
      for (const c of results.campaign.children ?? []) finalMemory[`${c.command.replace(/^.*?(apps\/[^/]+).*$/, '$1')} (campaign)`] = { hwmKb: c.peakRssKb };
      if (!results.campaign.ok) exitCode = 1;
    }

    if (opts.scale.enabled) {
      results.scale = await runScale({
        id, root: ROOT, coreDist, server, serviceEnv, opts, logDir, load, say, section, cleanups, startNode, freePort, waitForHttp, BASELINES, CORES, track,
        measure: (l, target, run, o, headers) => measure(l, { ...target, role: target.name === 'core-api' ? 'service' : 'baseline' }, run, o, headers),
        check: async (scenario, samples, service, baseline, headers) => {
          const r = await checkSamples(scenario, samples, service, baseline, headers);
          return r.ok ? null : r.message;
        },
      });
      noteMemory();
      for (const entry of [...results.scale.sizes, ...results.scale.staff]) {
        for (const k of ['day-view', 'availability']) if (entry[k].service.errors || entry[k].baseline.errors) exitCode = 1;
      }
    }

    // --- results ---
    noteMemory();
    results.processes = finalMemory;
    results.finishedAt = new Date().toISOString();
    results.machine.loadavgEnd = loadavg();
    printResults(results);
    if (previous) {
      section(`change against ${opts.compare}`);
      say(compareTable(results, previous));
    }
    const jsonFile = join(RESULTS, `${stamp}.json`);
    writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(RESULTS, `${stamp}.svg`), svgChart(results));
    if (results.scale) writeFileSync(join(RESULTS, `${stamp}-scale.svg`), scaleSvg(results));
    if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(results, null, 2)}\n`);
    say(`\nwrote ${relative(ROOT, jsonFile)} and ${relative(ROOT, join(RESULTS, `${stamp}.svg`))}${results.scale ? ` and ${stamp}-scale.svg` : ''}${opts.json ? ` and ${opts.json}` : ''}`);
    if (exitCode) say('some scenario failed its check, saw errors or unexpected answers, or a booking check failed: its figures do not count (exit 1)');
  } finally {
    await cleanUp();
  }
  process.exit(exitCode);
}

main().catch(async (err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  await cleanUp();
  process.exit(1);
});
