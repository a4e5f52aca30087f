// `npm run bench -- --scale`: how the day view and availability cost grows with data. A database
// of its own: one business whose branches have the staff counts of --scale-staff (5, 12, 20, 50),
// a week of full diaries around today (the measured days), then older history added a day at a
// time backwards, across all branches, until the appointment table holds each size of
// --scale-sizes (10k, 100k, 1M). At every size the 12-staff branch's day view and availability
// are timed (service and raw baseline, at low concurrency so latency is service time, not
// queueing); at the largest size every branch is timed (the staff curve). The measured days
// are the same at every size, so a flat curve means cost depends on the day, not the table.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { availabilityRequests, checkAvailability, checkAvailabilityRows, checkDayView, dayViewRequests } from '../scenarios/core-api-appointments.mjs';
import { SQL } from '../scenarios/core-api-sql.mjs';
import { connect, extendHistory, seedDatabase } from '../seed/seed.mjs';
import { createDatabase, dropDatabase } from './infra.mjs';
import { median } from './report.mjs';

const fmtMs = (n) => (n === null || n === undefined ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

function pointSummary(rounds) {
  return {
    rps: Math.round(median(rounds.map((r) => r.rps))),
    p50: median(rounds.map((r) => r.latencyMs.p50)),
    p95: median(rounds.map((r) => r.latencyMs.p95)),
    p99: median(rounds.map((r) => r.latencyMs.p99)),
    errors: rounds.reduce((a, r) => a + (r.unexpected ?? r.errors + r.timeouts + r.non2xx), 0),
    cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    rpsRounds: rounds.map((r) => r.rps),
  };
}

/**
 * The SQL alone, one connection, sequentially: the day view's page + count for the sampled days,
 * and availability's appointment range read (the statements whose cost could grow with the
 * table). Median and p95 ms over `n` executions: the database side of the curve, without HTTP,
 * Node or queueing, so a flat line here means the index does its job.
 */
async function timeSql(server, database, business, branch, days, n = 60) {
  const c = await connect(server, database);
  const pct = (xs, p) => {
    const v = [...xs].sort((a, b) => a - b);
    return Math.round(v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] * 100) / 100;
  };
  try {
    const day = [];
    const range = [];
    for (let i = 0; i < n; i++) {
      const { date } = days[i % days.length];
      const from = new Date(`${date}T00:00:00Z`);
      const to = new Date(from.getTime() + 86_400_000);
      let t = process.hrtime.bigint();
      await Promise.all([c.query(SQL.dayAppointments.sql, [business.id, branch.id, from, to, 100, 0]), c.query(SQL.countDayAppointments.sql, [business.id, branch.id, from, to])]);
      day.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await c.query(SQL.staffAppointments.sql, [branch.staffIds, new Date(from.getTime() - 32 * 3_600_000), new Date(to.getTime() + 32 * 3_600_000), new Date()]);
      range.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return { dayView: { p50: pct(day, 50), p95: pct(day, 95) }, availabilityAppointments: { p50: pct(range, 50), p95: pct(range, 95) }, executions: n };
  } finally {
    await c.end();
  }
}

async function explainDay(server, database, business, branch, date) {
  const c = await connect(server, database);
  try {
    const from = new Date(`${date}T00:00:00Z`);
    const to = new Date(from.getTime() + 86_400_000);
    const [rows] = await c.query(`EXPLAIN ${SQL.dayAppointments.sql}`, [business.id, branch.id, from, to, 100, 0]);
    const a = rows.find((r) => r.table === 'a');
    return a ? `${a.type} ${a.key} rows=${a.rows}` : JSON.stringify(rows[0]);
  } finally {
    await c.end();
  }
}

/**
 * h: helpers from run.mjs { id, root, coreDist, server, serviceEnv, opts, logDir, load, say,
 * section, cleanups, startNode, freePort, waitForHttp, measure, check, BASELINES, CORES, track }
 */
export async function runScale(h) {
  const { opts, say, section, server } = h;
  const scale = opts.scale;
  const database = `bench_${h.id}_scale`;
  section('scale curves: set-up');
  await createDatabase(server, database);
  h.cleanups.push(async () => {
    if (opts.keep) say(`kept database ${database}`);
    else await dropDatabase(server, database);
  });
  const env = { ...h.serviceEnv, CORE_API_DB_NAME: database };
  const migrate = spawnSync(process.execPath, [join(h.coreDist, 'cli.js'), 'migrate'], { cwd: h.root, env, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`core-api migrate (scale) failed:\n${migrate.stderr}${migrate.stdout}`);
  // The 12-staff branch first (the table-size curve is timed on it), then the others.
  const staffList = [...new Set(scale.staff)].sort((a, b) => (a === 12 ? -1 : b === 12 ? 1 : a - b));
  const data = { ...opts.data, businesses: 1, branchesPerBusiness: staffList.length, staffPerBranchList: staffList, clientsPerBusiness: Math.min(opts.data.clientsPerBusiness, 20_000), historyDays: 3, futureDays: 3 };
  const fixture = await seedDatabase({ server, database, data, log: say });
  const business = fixture.businesses[0];
  say(`database ${database}: branches with ${staffList.join(', ')} staff; a week of full diaries (${fixture.counts.appointment} appointments) around today`);

  const port = await h.freePort();
  const service = h.startNode({ name: 'core-api (scale)', cpu: h.CORES.server, args: [join(h.coreDist, 'main.js')], env: { ...env, CORE_API_PORT: String(port) }, logFile: join(h.logDir, 'core-api-scale.log'), cwd: h.root });
  h.cleanups.push(() => service.stop());
  const basePort = await h.freePort();
  const baseline = h.startNode({
    name: 'raw-read (scale)',
    cpu: h.CORES.server,
    args: [join(h.root, h.BASELINES['raw-read'].script)],
    env: { ...env, DB_NAME: database, BASELINE_PORT: String(basePort) },
    logFile: join(h.logDir, 'raw-read-scale.log'),
    cwd: h.root,
  });
  h.cleanups.push(() => baseline.stop());
  await h.waitForHttp(service, `http://127.0.0.1:${port}/health`, 90_000);
  await h.waitForHttp(baseline, `http://127.0.0.1:${basePort}/health`, 30_000);
  h.track(service);
  h.track(baseline);
  const targets = { service: { name: 'core-api', url: `http://127.0.0.1:${port}`, proc: service }, baseline: { name: 'raw-read', url: `http://127.0.0.1:${basePort}`, proc: baseline } };
  const headers = { authorization: `Basic ${Buffer.from(`global/${business.ownerEmail}:${fixture.password}`).toString('base64')}` };
  const measureOpts = { connections: scale.connections, warmup: 1, duration: scale.duration };

  const kinds = {
    'day-view': { requests: (branch, seed) => dayViewRequests(business, branch, seed, { fromDay: -3, toDay: 3, count: 2_000 }), check: checkDayView, sameBody: true },
    availability: { requests: (branch, seed) => availabilityRequests(business, branch, seed, { fromDay: -3, toDay: 3, count: 1_000 }), check: checkAvailability, checkBaseline: checkAvailabilityRows, sameBody: false },
  };

  async function point(kind, branch) {
    const k = kinds[kind];
    const requests = k.requests(branch, opts.data.seed + 40);
    const problem = await h.check({ name: kind, check: k.check, checkBaseline: k.checkBaseline, sameBody: k.sameBody }, requests.slice(0, 3), targets.service, targets.baseline, headers);
    if (problem) throw new Error(`scale ${kind} (${branch.activeStaff} staff): ${problem}`);
    const run = { scenario: { name: kind, okStatuses: [200] }, paths: requests.map((r) => (r.method ? { method: r.method, path: r.path, body: r.body } : r.path)) };
    const out = {};
    const rounds = { service: [], baseline: [] };
    // Alternate which goes first, so a machine getting busier or quieter favours neither.
    for (let i = 0; i < scale.rounds; i++) {
      for (const which of i % 2 ? ['baseline', 'service'] : ['service', 'baseline']) rounds[which].push(await h.measure(h.load, targets[which], run, measureOpts, headers));
    }
    for (const which of ['service', 'baseline']) out[which] = pointSummary(rounds[which]);
    out.ratio = out.baseline.rps ? Math.round((out.service.rps / out.baseline.rps) * 100) / 100 : null;
    return out;
  }

  const line = (label, kind, p, first) =>
    `${label.padEnd(22)} ${kind.padEnd(13)} core-api p50 ${fmtMs(p.service.p50).padStart(6)} p99 ${fmtMs(p.service.p99).padStart(6)} ms ${String(p.service.rps).padStart(5)} req/s | raw p50 ${fmtMs(p.baseline.p50).padStart(6)} p99 ${fmtMs(p.baseline.p99).padStart(6)} ms ${String(p.baseline.rps).padStart(5)} req/s | ratio ${p.ratio?.toFixed(2) ?? '-'}` +
    (first ? ` | p50 vs first ${first.service.p50 ? `${((100 * (p.service.p50 - first.service.p50)) / first.service.p50 >= 0 ? '+' : '')}${((100 * (p.service.p50 - first.service.p50)) / first.service.p50).toFixed(0)}%` : '-'} (raw ${first.baseline.p50 ? `${((100 * (p.baseline.p50 - first.baseline.p50)) / first.baseline.p50 >= 0 ? '+' : '')}${((100 * (p.baseline.p50 - first.baseline.p50)) / first.baseline.p50).toFixed(0)}%` : '-'})` : '');

  const main = business.branches[0];
  const sample = dayViewRequests(business, main, 1, { fromDay: -3, toDay: 3, count: 1 })[0].expect;
  const sizes = [];
  section(`scale curves: table size (branch of ${main.activeStaff} staff, ${scale.connections} connections, ${scale.rounds} x ${scale.duration} s per point)`);
  for (const size of [...scale.sizes].sort((a, b) => a - b)) {
    const rows = await extendHistory({ server, database, business, targetRows: size, log: say });
    const explain = await explainDay(server, database, business, main, sample.date);
    const sql = await timeSql(server, database, business, main, dayViewRequests(business, main, 3, { fromDay: -3, toDay: 3, count: 20 }).map((r) => r.expect));
    say(`${`${rows} rows`.padEnd(22)} SQL only (1 connection, ${sql.executions}x): day view page+count p50 ${fmtMs(sql.dayView.p50)} p95 ${fmtMs(sql.dayView.p95)} ms; availability's appointment range p50 ${fmtMs(sql.availabilityAppointments.p50)} p95 ${fmtMs(sql.availabilityAppointments.p95)} ms; plan ${explain}`);
    const entry = { targetRows: size, rows, explainDayView: explain, sql };
    for (const kind of Object.keys(kinds)) {
      entry[kind] = await point(kind, main);
      say(line(`${rows} rows`, kind, entry[kind], sizes[0]?.[kind]));
    }
    sizes.push(entry);
  }

  section(`scale curves: staff per branch (at ${sizes.at(-1)?.rows ?? '?'} rows)`);
  const staffCurve = [];
  for (const branch of [...business.branches].sort((a, b) => a.activeStaff - b.activeStaff)) {
    const days = dayViewRequests(business, branch, 2, { fromDay: -3, toDay: 3, count: 50 });
    const perDay = Math.round(median(days.map((d) => d.expect.live)));
    const entry = { staff: branch.activeStaff, appointmentsPerDay: perDay, pagesPerDay: Math.ceil(perDay / 100) };
    for (const kind of Object.keys(kinds)) {
      entry[kind] = await point(kind, branch);
      say(line(`${branch.activeStaff} staff, ~${perDay}/day`, kind, entry[kind], staffCurve[0]?.[kind]));
    }
    staffCurve.push(entry);
  }
  await service.stop();
  await baseline.stop();
  return { database, connections: scale.connections, rounds: scale.rounds, duration: scale.duration, sizes, staff: staffCurve, measuredDays: '-3..+3 days around the run date (weekdays)' };
}

/** Text tables of the curves. */
export function scaleTables(scale) {
  const out = [];
  const pct = (a, b) => (a && b ? `${(100 * (a - b)) / b >= 0 ? '+' : ''}${((100 * (a - b)) / b).toFixed(0)}%` : '-');
  for (const kind of ['day-view', 'availability']) {
    out.push(`${kind}: latency as the appointment table grows (p50 / p99 ms at ${scale.connections} connections; change of p50 against the smallest)`);
    const first = scale.sizes[0]?.[kind];
    for (const s of scale.sizes) {
      const p = s[kind];
      out.push(
        `  ${String(s.rows).padStart(8)} rows   core-api ${fmtMs(p.service.p50).padStart(6)} / ${fmtMs(p.service.p99).padStart(6)} (${pct(p.service.p50, first.service.p50).padStart(5)})   raw ${fmtMs(p.baseline.p50).padStart(6)} / ${fmtMs(p.baseline.p99).padStart(6)} (${pct(p.baseline.p50, first.baseline.p50).padStart(5)})   req/s ${p.service.rps} / ${p.baseline.rps}   ratio ${p.ratio?.toFixed(2) ?? '-'}` +
          (s.sql ? `   SQL only p50 ${fmtMs(kind === 'day-view' ? s.sql.dayView.p50 : s.sql.availabilityAppointments.p50)} ms (${pct(kind === 'day-view' ? s.sql.dayView.p50 : s.sql.availabilityAppointments.p50, kind === 'day-view' ? scale.sizes[0].sql?.dayView.p50 : scale.sizes[0].sql?.availabilityAppointments.p50)})` : '') +
          (kind === 'day-view' ? `   plan: ${s.explainDayView}` : ''),
      );
    }
    out.push(`${kind}: by branch size (at ${scale.sizes.at(-1)?.rows} rows)`);
    const f = scale.staff[0]?.[kind];
    for (const s of scale.staff) {
      const p = s[kind];
      out.push(
        `  ${String(s.staff).padStart(3)} staff (~${String(s.appointmentsPerDay).padStart(3)} appts/day, ${s.pagesPerDay} page${s.pagesPerDay > 1 ? 's' : ''})   core-api ${fmtMs(p.service.p50).padStart(6)} / ${fmtMs(p.service.p99).padStart(6)} (${pct(p.service.p50, f.service.p50).padStart(5)})   raw ${fmtMs(p.baseline.p50).padStart(6)} / ${fmtMs(p.baseline.p99).padStart(6)} (${pct(p.baseline.p50, f.baseline.p50).padStart(5)})   req/s ${p.service.rps} / ${p.baseline.rps}   ratio ${p.ratio?.toFixed(2) ?? '-'}`,
      );
    }
  }
  return out.join('\n');
}
