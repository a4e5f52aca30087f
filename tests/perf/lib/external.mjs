// Scenarios that live in files owned by other issues (scenarios/index.mjs EXTERNAL), called
// without editing them. A file may export either
//
//   - `scenarios` (or a default array): harness scenarios like ours (name, service, baseline,
//     requests/lane, check; see scenarios/index.mjs), with `BASELINES` for their baseline
//     servers. They run in the rounds with ours, against the run's core-api.
//   - `run(ctx)` (or a default function): a scenario that drives its own processes (e.g. the
//     messaging service and a raw amqplib loop). It is called once after the HTTP scenarios
//     with the run's context (below) and returns a result object, printed and stored in the
//     results JSON under `external.<name>`: ideally { rows: [{ name, rps|msgPerSec, p50, p95,
//     p99, errors, baseline, ratio, peakRssKb }], table?: string, ok?: boolean }.
//
// ctx: { root, perfDir, logDir, server (MariaDB), databases, rabbitUrl (the run's vhost),
//        vhostName, fixture, opts, headers (owner's Basic auth), coreApi: { url, pid },
//        cores: { server, load }, say, startNode, freePort, waitForHttp, sampleRss, memoryOf,
//        track(proc) (its peak RSS joins the run's memory table) }
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadExternal(perfDir, entries) {
  const out = [];
  for (const entry of entries) {
    const file = join(perfDir, 'scenarios', entry.file);
    if (!existsSync(file)) {
      out.push({ ...entry, present: false, message: `not there yet (tests/perf/scenarios/${entry.file}); when it exists, export \`scenarios\` or \`run(ctx)\` (see tests/perf/lib/external.mjs)` });
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
    else if (run) out.push({ ...entry, present: true, kind: 'run', run, message: 'run(ctx)' });
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
    child.on('exit', (code) => {
      log.end();
      const m = /campaign of (\d+) SMS \(([^)]+)\): ([\d.]+) s, (\d+) msg\/s[^\n]*provider received (\d+) \((\d+) distinct\), duplicates (\d+), lost (-?\d+)/.exec(output);
      resolve({
        ok: code === 0,
        exitCode: code,
        wallSeconds: Math.round((Date.now() - started) / 100) / 10,
        ...(m
          ? { recipients: Number(m[1]), mode: m[2], seconds: Number(m[3]), msgPerSec: Number(m[4]), providerReceived: Number(m[5]), distinct: Number(m[6]), duplicates: Number(m[7]), lost: Number(m[8]) }
          : { message: 'the spec printed no "campaign of N SMS" line; see the log' }),
      });
    });
  });
}
