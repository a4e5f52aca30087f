// Scenarios that live in files owned by other issues (scenarios/index.mjs EXTERNAL), called
// without editing them. A file may export either
//
//   - `scenarios` (or a default array): harness scenarios like ours (name, service, baseline,
//     requests/lane, check; see scenarios/index.mjs), with `BASELINES` for their baseline
//     servers. They run in the rounds with ours, against the run's core-api.
//   - `run(options)` (or a default function): a scenario that drives its own processes (e.g. the
//     messaging service and a raw amqplib loop). It is called once after the HTTP scenarios and
//     returns a result object, printed and stored in the results JSON under `external.<name>`.
//     When the file also exports `parseOptions(argv)` (a standalone script's own flags), the
//     options are `parseOptions(args)`, args from scenarios/index.mjs EXTERNAL (sized for the
//     default run; BENCH_<NAME>_ARGS, e.g. BENCH_MESSAGING_PIPELINE_ARGS="--events 20000",
//     replaces them), then `build: false` (the run built already) and this run's `keep` and
//     `rounds`; otherwise `run` gets the context below. A result with `summary` { pipelineRps|rps, rawRps, ratio, target, latency {p50,
//     p95, p99}, exactlyOnce { published, received, duplicates, lost } } is shown as a line;
//     `ok: false` or a thrown error fails the run. The peak RSS of every child process it
//     starts (found by parent pid) is sampled while it runs.
//
//   - neither (a standalone script that runs when loaded, e.g. reports.mjs): it is NOT imported
//     (that would run it inside this process); it runs as a child process,
//     `node <file> --no-build <args>` (entry.args; BENCH_<NAME>_ARGS replaces them), its output
//     goes to the run's logs, its last lines are printed, and the peak RSS of every service it
//     starts (its descendants running dist/main.js) is sampled. Exit status 0 = ok.
//
// A file is imported only when its source declares `export … run`, `export … scenarios` or a
// default export, and guards its own main (`import.meta.url === …argv[1]`) if it has one.
//
// ctx: { root, perfDir, logDir, server (MariaDB), databases, rabbitUrl (the run's vhost),
//        vhostName, fixture, opts, headers (owner's Basic auth), coreApi: { url, pid },
//        cores: { server, load }, say, startNode, freePort, waitForHttp, sampleRss, memoryOf,
//        track(proc) (its peak RSS joins the run's memory table) }
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadExternal(perfDir, entries) {
  const out = [];
  for (const entry of entries) {
    const file = join(perfDir, 'scenarios', entry.file);
    if (!existsSync(file)) {
      out.push({ ...entry, present: false, message: `not there yet (tests/perf/scenarios/${entry.file}); when it exists, export \`scenarios\` or \`run(ctx)\` (see tests/perf/lib/external.mjs)` });
      continue;
    }
    const source = readFileSync(file, 'utf8');
    const exportsSomething = /^export\s+(async\s+)?(function|const|let)\s+(run|scenarios|BASELINES)\b|^export\s+default\b/m.test(source);
    const runsOnLoad = /^(main|run)\(\)/m.test(source) || /^await\s+main\(/m.test(source);
    if (!exportsSomething || runsOnLoad) {
      out.push({ ...entry, present: true, kind: 'script', file, message: `a standalone script: run as \`node tests/perf/scenarios/${entry.file} --no-build${entry.args?.length ? ` ${entry.args.join(' ')}` : ''}\`` });
      continue;
    }
    let mod;
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (err) {
      out.push({ ...entry, present: true, kind: 'broken', message: `could not be loaded: ${err.message.split('\n')[0]}` });
      continue;
    }
    const list = Array.isArray(mod.scenarios) ? mod.scenarios : Array.isArray(mod.default) ? mod.default : null;
    const run = typeof mod.run === 'function' ? mod.run : typeof mod.default === 'function' ? mod.default : null;
    if (list) out.push({ ...entry, present: true, kind: 'scenarios', scenarios: list, baselines: mod.BASELINES ?? {}, message: `${list.length} scenario(s): ${list.map((s) => s.name).join(', ')}` });
    else if (run) out.push({ ...entry, present: true, kind: 'run', run, parseOptions: typeof mod.parseOptions === 'function' ? mod.parseOptions : undefined, message: `run(${typeof mod.parseOptions === 'function' ? 'its own options' : 'ctx'})` });
    else out.push({ ...entry, present: true, kind: 'unusable', message: `exports neither \`scenarios\` nor \`run(ctx)\` (exports: ${Object.keys(mod).join(', ') || 'none'})` });
  }
  return out;
}

/**
 * Runs the messaging campaign perf spec (jest, the built messaging service as its own process)
 * and reads the figures it prints: "campaign of N SMS (...): X s, Y msg/s ...".
 */
export function runCampaign({ root, spec, logFile, recipients }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const log = createWriteStream(logFile);
    let output = '';
    const child = spawn('npx', ['jest', '-c', spec.config, '--runInBand', spec.pattern], {
      cwd: root,
      env: { ...process.env, ...(recipients ? { CAMPAIGN_RECIPIENTS: String(recipients) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        output += d;
        log.write(d);
      });
    }
    const stopSampling = sampleServices(child.pid);
    child.on('exit', (code) => {
      log.end();
      const children = stopSampling();
      const m = /campaign of (\d+) SMS \(([^)]+)\): ([\d.]+) s, (\d+) msg\/s[^\n]*provider received (\d+) \((\d+) distinct\), duplicates (\d+), lost (-?\d+)/.exec(output);
      resolve({
        ok: code === 0,
        exitCode: code,
        children,
        wallSeconds: Math.round((Date.now() - started) / 100) / 10,
        ...(m
          ? { recipients: Number(m[1]), mode: m[2], seconds: Number(m[3]), msgPerSec: Number(m[4]), providerReceived: Number(m[5]), distinct: Number(m[6]), duplicates: Number(m[7]), lost: Number(m[8]) }
          : { message: 'the spec printed no "campaign of N SMS" line; see the log' }),
      });
    });
  });
}

/** Calls an external `run`, sampling the peak RSS of the child processes it starts. */
export async function callExternal(entry, ctx) {
  if (entry.kind === 'script') return runScript(entry, ctx);
  // Its own flags, sized for the default run (entry.args; BENCH_<NAME>_ARGS overrides), then ours.
  const envArgs = process.env[`BENCH_${entry.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ARGS`];
  const argv = envArgs !== undefined ? envArgs.split(/\s+/).filter(Boolean) : (entry.args ?? []);
  const args = entry.parseOptions ? { ...entry.parseOptions(argv), build: false, keep: ctx.opts.keep, rounds: ctx.opts.rounds } : ctx;
  const peaks = new Map();
  // Services it starts (node …/dist/main.js), not the run's own processes or one-off commands.
  const existing = new Set(descendantPids(process.pid));
  const sample = () => {
    for (const pid of descendantPids(process.pid)) {
      if (existing.has(pid)) continue;
      const command = peaks.get(pid)?.command ?? commandOf(pid);
      if (!/dist\/main\.js/.test(command)) {
        existing.add(pid);
        continue;
      }
      const m = statusOf(pid);
      if (!m) continue;
      const prev = peaks.get(pid);
      if (!prev || m.hwmKb > prev.hwmKb) peaks.set(pid, { ...m, command });
    }
  };
  const timer = setInterval(sample, 250);
  try {
    const result = await entry.run(args);
    return { result, children: [...peaks.values()].map((p) => ({ command: p.command, peakRssKb: p.hwmKb })) };
  } finally {
    clearInterval(timer);
  }
}

/** Every process below `parent` (children, grandchildren, …). */
function descendantPids(parent) {
  const byParent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone */
    }
  }
  const out = [];
  const walk = (pid) => {
    for (const c of byParent.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(parent);
  return out;
}

function childPids(parent) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.replace(/^.*\) /, '').split(' ')[1]);
      if (ppid === parent) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

function statusOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map((a) => a.replace(/^.*\/(apps|tests)\//, '$1/')).join(' ').slice(0, 120);
  } catch {
    return '?';
  }
}

/** One line for a result of an external scenario. */
export function describeExternal(name, e) {
  if (!e.present || (!e.result && !e.error)) return `${name}: ${e.message}`;
  if (e.error) return `${name}: FAILED: ${String(e.error).split('\n')[0]}`;
  const r = e.result ?? {};
  const s = r.summary;
  const mem = (e.children ?? []).filter((c) => c.peakRssKb).map((c) => `${c.command}: peak RSS ${(c.peakRssKb / 1024).toFixed(0)} MiB`).join('; ');
  if (r.table) return `${name}:\n${r.table}${mem ? `\n  ${mem}` : ''}`;
  if (s) {
    const rate = s.pipelineRps ?? s.rps;
    const parts = [
      `${rate} /s vs raw ${s.rawRps} /s = ${typeof s.ratio === 'number' ? s.ratio.toFixed(2) : s.ratio}x${s.target ? ` (target ${s.target}x: ${s.ok ? 'met' : 'NOT met'})` : ''}`,
      s.latency ? `latency p50 ${s.latency.p50} / p95 ${s.latency.p95} / p99 ${s.latency.p99} ms${s.latency.ratePerSecond ? ` at ${s.latency.ratePerSecond}/s` : ''}` : '',
      s.exactlyOnce ? `published ${s.exactlyOnce.published}, received ${s.exactlyOnce.received}, duplicates ${s.exactlyOnce.duplicates}, lost ${s.exactlyOnce.lost}` : '',
    ].filter(Boolean);
    return `${name}: ${parts.join('; ')}${mem ? `\n  ${mem}` : ''}`;
  }
  return `${name}: ${JSON.stringify(r).slice(0, 300)}${mem ? `\n  ${mem}` : ''}`;
}

/** Samples the peak RSS of every service (`…/dist/main.js`) below `rootPid` until stopped. */
export function sampleServices(rootPid) {
  const peaks = new Map();
  const timer = setInterval(() => {
    for (const pid of descendantPids(rootPid)) {
      const command = peaks.get(pid)?.command ?? commandOf(pid);
      if (!/dist\/main\.js/.test(command)) continue;
      const m = statusOf(pid);
      if (m && (!peaks.has(pid) || m.hwmKb > peaks.get(pid).hwmKb)) peaks.set(pid, { ...m, command });
    }
  }, 250);
  return () => {
    clearInterval(timer);
    return [...peaks.values()].map((p) => ({ command: p.command, peakRssKb: p.hwmKb }));
  };
}

/** A standalone scenario script as a child process (see the header). */
async function runScript(entry, ctx) {
  const envArgs = process.env[`BENCH_${entry.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ARGS`];
  const argv = ['--no-build', ...(envArgs !== undefined ? envArgs.split(/\s+/).filter(Boolean) : (entry.args ?? []))];
  const logFile = join(ctx.logDir, `${entry.name}.log`);
  const log = createWriteStream(logFile);
  const started = Date.now();
  const script = relative(ctx.root, entry.file);
  const child = spawn(process.execPath, [script, ...argv], { cwd: ctx.root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (d) => {
      output += d;
      log.write(d);
    });
  }
  const stopSampling = sampleServices(child.pid);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  const children = stopSampling();
  log.end();
  // Its summary: the output without EXPLAIN sections (long; kept in the log), last 30 lines.
  const lines = output.trimEnd().split('\n');
  const kept = [];
  let skipping = false;
  for (const line of lines) {
    if (/^==/.test(line)) skipping = /EXPLAIN/i.test(line);
    if (!skipping) kept.push(line);
  }
  const tail = kept.slice(-30).join('\n');
  return {
    result: { ok: code === 0, exitCode: code, seconds: Math.round((Date.now() - started) / 100) / 10, command: `node ${script} ${argv.join(' ')}`, log: relative(ctx.root, logFile), table: `  (node ${script} ${argv.join(' ')}: exit ${code}, ${Math.round((Date.now() - started) / 1000)} s; full output in ${relative(ctx.root, logFile)})\n${tail.split('\n').map((l) => `  ${l}`).join('\n')}` },
    children,
  };
}
