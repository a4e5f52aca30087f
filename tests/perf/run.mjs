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
import { checkDatabaseServer, createDatabase, createVhost, dropDatabase, runId } from './lib/infra.mjs';
import { dbServer, parseOptions, USAGE } from './lib/options.mjs';
import { busyPercent, CORES, coreCount, cpuMsOf, cpuTimes, freePort, hasTaskset, memoryOf, sampleRss, startNode, tailOf, waitForHttp } from './lib/processes.mjs';
import { formatProfile, summarizeProfile } from './lib/profile-summary.mjs';
import { baselineTable, compareTable, resultsTable, summarize, svgChart, TARGET_RATIO } from './lib/report.mjs';
import { staleStatements } from './scenarios/core-api-sql.mjs';
import { BASELINES, SCENARIOS } from './scenarios/index.mjs';
import { explainReads, formatExplain, seedDatabase } from './seed/seed.mjs';

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
async function getJson(url, headers) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
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

async function checkScenario(scenario, requests, service, baseline, headers) {
  for (const { path, expect } of requests.slice(0, SAMPLE_CHECKS)) {
    const a = await getJson(service.url + path, headers);
    if (a.status !== 200) return { ok: false, message: `${service.name} answered ${a.status} to GET ${path}: ${a.text.slice(0, 200)}` };
    const problem = scenario.check(a.body, expect);
    if (problem) return { ok: false, message: `${service.name}, GET ${path}: ${problem}` };
    if (baseline) {
      const b = await getJson(baseline.url + path, headers);
      if (b.status !== 200) return { ok: false, message: `${baseline.name} answered ${b.status} to GET ${path}: ${b.text.slice(0, 200)}` };
      const problemB = scenario.check(b.body, expect);
      if (problemB) return { ok: false, message: `${baseline.name}, GET ${path}: ${problemB}` };
      const diff = firstDifference(a.body, b.body);
      if (diff) return { ok: false, message: `service and baseline answer differently to GET ${path} (${diff}): the baseline no longer mirrors the service` };
    }
  }
  return { ok: true, message: `${SAMPLE_CHECKS} sample requests: 200 with the expected rows${baseline ? '; service and baseline bodies identical' : ''}` };
}

// --- one measurement -------------------------------------------------------------------------
async function measure(load, target, paths, opts, headers) {
  const job = { url: target.url, headers, paths, connections: opts.connections };
  if (opts.warmup > 0) await load.run({ ...job, duration: opts.warmup, collect: false });
  const cpuBefore = cpuTimes();
  const procCpuBefore = cpuMsOf(target.proc.pid);
  const stopRss = sampleRss([target.proc.pid]);
  const result = await load.run({ ...job, duration: opts.duration, collect: true });
  const peak = stopRss();
  if (!target.proc.isAlive()) throw new Error(`${target.name} died during the measurement; its log (${target.proc.logFile}):\n${tailOf(target.proc.logFile)}`);
  const busy = busyPercent(cpuBefore, cpuTimes());
  const procCpuAfter = cpuMsOf(target.proc.pid);
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

function fmtRound(r) {
  return `${String(r.rps).padStart(6)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  err ${r.errors + r.timeouts}  non2xx ${r.non2xx}  CPU ${r.processCpuPct ?? '-'}% ${r.cpuUsPerRequest ?? '-'} µs/req  core${CORES.server} ${r.coreBusyPct?.server ?? '-'}% core${CORES.load} ${r.coreBusyPct?.load ?? '-'}%${r.coreBusyPct?.stealServer || r.coreBusyPct?.stealLoad ? `  steal ${r.coreBusyPct.stealServer}%/${r.coreBusyPct.stealLoad}%` : ''}`;
}

function printResults(results) {
  section('results (median of rounds)');
  say(resultsTable(results));
  say();
  say('baselines:');
  say(baselineTable(results));
  say();
  for (const s of results.scenarios) if (!s.check.ok) say(`FAILED CHECK ${s.name}: ${s.check.message}`);
  for (const [name, p] of Object.entries(results.processes ?? {})) {
    say(`peak RSS ${name}: ${(p.hwmKb / 1024).toFixed(0)} MiB (VmHWM over the whole run)${p.idleRssKb ? `; ${(p.idleRssKb / 1024).toFixed(0)} MiB when ready, before load` : ''}`);
  }
  say(`ratio = service req/s / baseline req/s in the same run; '<' marks a ratio below the ${TARGET_RATIO}x target.`);
  say('CPU ratio = baseline CPU µs per request / service CPU µs per request (each process\'s own CPU time): the same');
  say('  comparison, far less disturbed by other work on the machine; trust it when the two ratios disagree.');
  say(`noise = ± half the spread (max-min)/median of req/s over ${results.settings.rounds} rounds.`);
  say(`core-api ran with RATE_LIMIT_PER_SECOND=${results.settings.rateLimitPerSecond} (default 100/s per credential) so the throttler never answers 429 here.`);
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
  if (opts.list) {
    for (const s of SCENARIOS) say(`${s.name.padEnd(22)} ${s.service} vs ${s.baseline ?? '-'}: ${s.description}`);
    return;
  }
  const unknown = opts.scenarios.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  const scenarios = opts.scenarios.length ? SCENARIOS.filter((s) => opts.scenarios.includes(s.name)) : SCENARIOS;
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
    const migrate = spawnSync(process.execPath, [join(coreDist, 'cli.js'), 'migrate'], { cwd: ROOT, env: serviceEnv, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`core-api migrate failed (exit ${migrate.status}):\n${migrate.stderr}${migrate.stdout}`);
    say('core-api migrations applied (node apps/core-api/dist/cli.js migrate)');

    section('seed');
    const fixture = await seedDatabase({ server, database: databases.core, data: opts.data, log: say });
    section('EXPLAIN of the benchmarked reads');
    const explain = await explainReads({ server, database: databases.core, fixture });
    say(formatExplain(explain));

    // --- processes ---
    section('start');
    const servicePort = await freePort();
    const profileDir = join(RESULTS, `${stamp}-profiles`);
    if (opts.profile) mkdirSync(profileDir, { recursive: true });
    const serviceProc = startNode({
      name: 'core-api',
      cpu: CORES.server,
      args: [...opts.serviceNodeArgs, ...(opts.profile ? ['--require', join(PERF, 'lib/cpu-profiler.cjs')] : []), join(coreDist, 'main.js')],
      env: { ...serviceEnv, CORE_API_PORT: String(servicePort), BENCH_PROFILE_DIR: profileDir },
      logFile: join(logDir, 'core-api.log'),
      cwd: ROOT,
    });
    cleanups.push(() => serviceProc.stop());
    const service = { name: 'core-api', url: `http://127.0.0.1:${servicePort}`, proc: serviceProc };

    const baselines = {};
    for (const name of new Set(scenarios.map((s) => s.baseline).filter(Boolean))) {
      const port = await freePort();
      const proc = startNode({
        name,
        cpu: CORES.server,
        args: [...(opts.profile ? ['--require', join(PERF, 'lib/cpu-profiler.cjs')] : []), join(ROOT, BASELINES[name].script)],
        env: { ...serviceEnv, DB_NAME: databases.core, BASELINE_PORT: String(port), BENCH_PROFILE_DIR: profileDir },
        logFile: join(logDir, `${name}.log`),
        cwd: ROOT,
      });
      cleanups.push(() => proc.stop());
      baselines[name] = { name, url: `http://127.0.0.1:${port}`, proc };
    }
    const loadProc = startNode({ name: 'autocannon', cpu: CORES.load, args: [join(PERF, 'lib/load-worker.mjs')], env: process.env, logFile: join(logDir, 'autocannon.log'), ipc: true, cwd: ROOT });
    cleanups.push(() => loadProc.stop('SIGTERM', 3_000));
    const load = loadGenerator(loadProc);

    await waitForHttp(serviceProc, `${service.url}/health`, 90_000);
    for (const b of Object.values(baselines)) await waitForHttp(b.proc, `${b.url}/health`, 30_000);
    const idleRss = Object.fromEntries([serviceProc, ...Object.values(baselines).map((b) => b.proc)].map((p) => [p.name, memoryOf(p.pid)?.rssKb]));
    say(`core-api (pid ${serviceProc.pid}, core ${serviceProc.cpu ?? 'any'}) at ${service.url}, NODE_ENV=production LOG_LEVEL=warn DB_POOL_SIZE=${opts.poolSize} RATE_LIMIT_PER_SECOND=${RATE_LIMIT_PER_SECOND}${opts.serviceNodeArgs.length ? `, node ${opts.serviceNodeArgs.join(' ')}` : ''}`);
    for (const b of Object.values(baselines)) say(`baseline ${b.name} (pid ${b.proc.pid}, core ${b.proc.cpu ?? 'any'}) at ${b.url}: ${BASELINES[b.name].description}`);
    say(`autocannon (pid ${loadProc.pid}, core ${loadProc.cpu ?? 'any'}): ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s measured, ${opts.rounds} rounds`);

    const business = fixture.businesses[0];
    const headers = { authorization: `Basic ${Buffer.from(`global/${business.ownerEmail}:${fixture.password}`).toString('base64')}` };

    // --- scenarios ---
    section('scenarios');
    const runs = [];
    for (const scenario of scenarios) {
      const requests = scenario.requests(fixture, opts.data.seed);
      const baseline = scenario.baseline ? baselines[scenario.baseline] : undefined;
      const check = await checkScenario(scenario, requests, service, baseline, headers);
      say(`${scenario.name}: ${check.ok ? 'check ok' : 'CHECK FAILED'}: ${check.message}`);
      runs.push({ scenario, paths: requests.map((r) => r.path), baseline, check, service: [], base: [], rssService: 0, rssBaseline: 0 });
    }
    for (let round = 1; round <= opts.rounds; round++) {
      for (const run of runs) {
        if (!run.check.ok) continue;
        const order = round % 2 ? [service, run.baseline] : [run.baseline, service];
        for (const target of order.filter(Boolean)) {
          const result = await measure(load, target, run.paths, opts, headers);
          const isService = target === service;
          (isService ? run.service : run.base).push(result);
          if (isService) run.rssService = Math.max(run.rssService, result.peakRssKb ?? 0);
          else run.rssBaseline = Math.max(run.rssBaseline, result.peakRssKb ?? 0);
          say(`[round ${round}/${opts.rounds}] ${run.scenario.name.padEnd(20)} ${target.name.padEnd(9)} ${fmtRound(result)}`);
          if (result.errors + result.timeouts + result.non2xx > 0) say(`  status codes: ${JSON.stringify(result.statusCodes)}`);
        }
      }
    }

    // --- optional profiles, in runs of their own so they do not slow the figures above ---
    const profiles = [];
    if (opts.profile) {
      const run = runs.find((r) => r.scenario.name === opts.profile);
      for (const target of [service, run.baseline].filter(Boolean)) {
        section(`CPU profile of ${target.name} under ${opts.profile}`);
        const before = new Set(readdirSync(profileDir));
        await load.run({ url: target.url, headers, paths: run.paths, connections: opts.connections, duration: Math.max(2, opts.warmup), collect: false });
        target.proc.child.kill('SIGWINCH');
        const result = await load.run({ url: target.url, headers, paths: run.paths, connections: opts.connections, duration: opts.duration, collect: true });
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
        profiles.push({ scenario: opts.profile, target: target.name, file: relative(ROOT, join(profileDir, file)), run: result, summary });
      }
    }

    // --- results ---
    const processes = {};
    for (const p of [serviceProc, ...Object.values(baselines).map((b) => b.proc)]) {
      const m = memoryOf(p.pid);
      if (m) processes[p.name] = { ...m, idleRssKb: idleRss[p.name] };
    }
    const results = {
      version: 1,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: coreCount, model: cpus()[0]?.model, node: process.version, mariadb, taskset: hasTaskset, cores: CORES, loadavgEnd: loadavg() },
      settings: {
        rounds: opts.rounds,
        duration: opts.duration,
        warmup: opts.warmup,
        connections: opts.connections,
        poolSize: opts.poolSize,
        rateLimitPerSecond: RATE_LIMIT_PER_SECOND,
        serviceNodeArgs: opts.serviceNodeArgs,
        data: opts.data,
      },
      data: { counts: fixture.counts, seedSeconds: fixture.seconds },
      explain,
      processes,
      scenarios: runs.map((run) => {
        const serviceSummary = run.service.length ? summarize(run.service) : null;
        const baseSummary = run.base.length ? summarize(run.base) : null;
        return {
          name: run.scenario.name,
          description: run.scenario.description,
          check: run.check,
          service: { name: service.name, summary: serviceSummary ?? summarize([]), rounds: run.service, peakRssKb: run.rssService || null },
          baseline: run.baseline ? { name: run.baseline.name, summary: baseSummary ?? summarize([]), rounds: run.base, peakRssKb: run.rssBaseline || null } : null,
          ratio: serviceSummary && baseSummary && baseSummary.rps ? Math.round((serviceSummary.rps / baseSummary.rps) * 1000) / 1000 : null,
          cpuRatio:
            serviceSummary?.cpuUsPerRequest && baseSummary?.cpuUsPerRequest ? Math.round((baseSummary.cpuUsPerRequest / serviceSummary.cpuUsPerRequest) * 1000) / 1000 : null,
          roundRatios: run.service.map((r, i) => (run.base[i]?.rps ? Math.round((r.rps / run.base[i].rps) * 100) / 100 : null)),
        };
      }),
      profiles,
    };
    for (const s of results.scenarios) {
      if (!s.check.ok || s.service.summary.errors || s.service.summary.non2xx || s.baseline?.summary.errors || s.baseline?.summary.non2xx) exitCode = 1;
    }
    printResults(results);
    if (previous) {
      section(`change against ${opts.compare}`);
      say(compareTable(results, previous));
    }
    const jsonFile = join(RESULTS, `${stamp}.json`);
    writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(RESULTS, `${stamp}.svg`), svgChart(results));
    if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(results, null, 2)}\n`);
    say(`\nwrote ${relative(ROOT, jsonFile)} and ${relative(ROOT, join(RESULTS, `${stamp}.svg`))}${opts.json ? ` and ${opts.json}` : ''}`);
    if (exitCode) say('some scenario failed its check or saw errors/non-2xx answers: its figures do not count (exit 1)');
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
