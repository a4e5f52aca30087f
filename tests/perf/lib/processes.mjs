// Child processes of a run (the services, the baselines, the load generator), each pinned to
// one core with taskset when it exists, with their logs in files and their memory sampled
// from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';

export const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
export const coreCount = cpus().length;

/** The core a role runs on: the server under test on 0, the load generator on 1. */
export const CORES = { server: 0, load: coreCount > 1 ? 1 : 0 };

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` pinned to `cpu`. stdout/stderr go to `logFile`. With `ipc`, the child
 * gets a message channel (taskset execs node, which inherits it).
 */
export function startNode({ name, cpu, args, env, logFile, ipc = false, cwd }) {
  const command = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', String(cpu), process.execPath, ...args] : args;
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, argv, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let alive = true;
  void exited.then(() => {
    alive = false;
    log.end();
  });
  return {
    name,
    cpu: hasTaskset ? cpu : null,
    pid: child.pid,
    child,
    logFile,
    exited,
    isAlive: () => alive,
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!alive) return exited;
      child.kill(signal);
      const timer = setTimeout(() => alive && child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export function tailOf(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `url` until it answers 200; fails at once when the process dies. */
export async function waitForHttp(proc, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!proc.isAlive()) throw new Error(`${proc.name} exited before it was ready; its log (${proc.logFile}):\n${tailOf(proc.logFile)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs} ms (${last}); its log (${proc.logFile}):\n${tailOf(proc.logFile)}`);
}

/** VmRSS and VmHWM (peak) of a process, in KiB; undefined once it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Samples VmRSS of some pids every `everyMs` until stopped; returns the peak of each. */
export function sampleRss(pids, everyMs = 250) {
  const peak = Object.fromEntries(pids.map((p) => [p, 0]));
  const tick = () => {
    for (const pid of pids) {
      const m = memoryOf(pid);
      if (m && m.rssKb > peak[pid]) peak[pid] = m.rssKb;
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return () => {
    clearInterval(timer);
    tick();
    return peak;
  };
}

/** Per-core busy and steal time from /proc/stat, to tell how loaded each core was during a measurement. */
export function cpuTimes() {
  if (!existsSync('/proc/stat')) return undefined;
  const out = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = m[2].split(/\s+/).map(Number);
    out[m[1]] = { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  }
  return out;
}

export function busyPercent(before, after) {
  if (!before || !after) return undefined;
  const out = {};
  for (const core of Object.keys(after)) {
    const total = after[core].total - before[core].total;
    out[core] = total > 0 ? Math.round((100 * (after[core].busy - before[core].busy)) / total) : 0;
    out[`steal${core}`] = total > 0 ? Math.round((100 * (after[core].steal - before[core].steal)) / total) : 0;
  }
  return out;
}

/**
 * The shared servers' processes (found by name, since the bench did not start them): their CPU
 * per request shows what a target makes MariaDB and RabbitMQ do on its behalf, which the
 * target's own CPU time leaves out.
 */
export function sharedServerPids() {
  const out = {};
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') out.mariadb ??= Number(name);
      else if (comm === 'beam.smp') out.rabbitmq ??= Number(name);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU time (user+system, ms) a process used so far, from /proc/<pid>/stat. */
export function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
