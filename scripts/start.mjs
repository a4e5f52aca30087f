#!/usr/bin/env node
// `npm start`: build, migrate, seed the demo salon once, run the three services, print where
// they are and how to log in. Ctrl-C stops all three cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  CORE_API_PORT: process.env.CORE_API_PORT ?? '3000',
  BOOKING_PORT: process.env.BOOKING_PORT ?? '3001',
  MESSAGING_PORT: process.env.MESSAGING_PORT ?? '3002',
};
const production = env.NODE_ENV === 'production';
const ports = { 'core-api': env.CORE_API_PORT, booking: env.BOOKING_PORT, messaging: env.MESSAGING_PORT };
const colour = { 'core-api': 36, booking: 35, messaging: 33 };
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line) => {
  process.stderr.write(`\n✖ ${line}\n`);
  process.exit(1);
};

function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function dockerAvailable() {
  if (env.CHAIRBOOK_NO_DOCKER) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

async function checkDependencies() {
  const dbHost = env.DB_HOST ?? '127.0.0.1';
  const dbPort = env.DB_PORT ?? '3306';
  const rabbit = new URL(env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const needed = [
    { name: 'MySQL/MariaDB', service: 'mysql', host: dbHost, port: dbPort },
    { name: 'RabbitMQ', service: 'rabbitmq', host: rabbit.hostname, port: rabbit.port || '5672' },
  ];
  let missing = [];
  for (const dep of needed) if (!(await reachable(dep.host, dep.port))) missing.push(dep);
  if (!missing.length) return;
  if (dockerAvailable()) {
    say(`${missing.map((d) => d.name).join(' and ')} not reachable; starting them with docker compose (docker/compose.yml)…`);
    const up = spawnSync('docker', ['compose', '-f', 'docker/compose.yml', 'up', '-d', '--wait', ...missing.map((d) => d.service)], { cwd: root, stdio: 'inherit' });
    if (up.status === 0) {
      for (let i = 0; i < 60 && missing.length; i++) {
        missing = (await Promise.all(missing.map(async (d) => ((await reachable(d.host, d.port)) ? null : d)))).filter(Boolean);
        if (missing.length) await new Promise((r) => setTimeout(r, 1000));
      }
      if (!missing.length) return;
    }
  }
  const list = missing.map((d) => `${d.name} at ${d.host}:${d.port}`).join(' and ');
  fail(
    `${list} not reachable. Start ${missing.length > 1 ? 'them' : 'it'} first: ` +
      `\`docker compose -f docker/compose.yml up -d ${missing.map((d) => d.service).join(' ')}\`, or on a machine with them installed ` +
      `\`../shared/services-up\` (or set DB_HOST/DB_PORT/RABBITMQ_URL to where they run).`,
  );
}

function runStep(title, command, commandArgs, options = {}) {
  say(`• ${title}`);
  const result = spawnSync(command, commandArgs, { cwd: root, env, encoding: 'utf8', stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (result.status !== 0) {
    if (options.capture) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail(`${title} failed (exit ${result.status}).`);
  }
  return result.stdout ?? '';
}

function demoCredentials(seed) {
  // A generated password is shown once by the seed; keep it (outside git) so later starts can
  // print it again. DEMO_PASSWORD, when set, always wins.
  const file = join(root, '.chairbook', 'demo-credentials.json');
  if (seed.password) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ email: seed.ownerEmail, password: seed.password }, null, 2), { mode: 0o600 });
    return seed.password;
  }
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).password;
  return '(set on first start; run with DEMO_PASSWORD=… to set a new one)';
}

/**
 * Secrets the services share locally (the booking site's own credential for core-api, the key
 * that signs "manage my booking" links): from the environment when set, else generated once
 * and kept in .chairbook/ (git-ignored) so links and credentials survive restarts.
 */
function localSecrets() {
  const file = join(root, '.chairbook', 'local-secrets.json');
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = {
    BOOKING_API_USER: env.BOOKING_API_USER ?? saved.BOOKING_API_USER ?? 'booking-site@chairbook.internal',
    BOOKING_API_PASSWORD: env.BOOKING_API_PASSWORD ?? saved.BOOKING_API_PASSWORD ?? randomBytes(24).toString('base64url'),
    LINK_SIGNING_SECRET: env.LINK_SIGNING_SECRET ?? saved.LINK_SIGNING_SECRET ?? randomBytes(32).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function formatLogLine(name, line) {
  // The services log JSON; show a compact human line (full JSON stays available with LOG_FORMAT=json).
  if (env.LOG_FORMAT === 'json' || !line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line);
    const { level, time, msg, service, context, requestId, ...rest } = entry;
    const extras = Object.entries(rest)
      .filter(([, v]) => v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return `${(level ?? '').toUpperCase().padEnd(5)} ${msg ?? ''}${extras ? `  ${extras}` : ''}`;
  } catch {
    return line;
  }
}

const children = new Map();
function startService(name) {
  // The flags docker/Dockerfile's CMD runs the services with.
  const child = spawn(process.execPath, ['--enable-source-maps', '--max-semi-space-size=64', 'main.js'], { cwd: join(root, 'apps', name, 'dist'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${colour[name]}m[${name}]\x1b[0m`;
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      let index;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        if (line.trim()) say(`${prefix} ${formatLogLine(name, line)}`);
      }
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${prefix} exited (${signal ?? code}); stopping the others`);
      void stop(1);
    }
  });
  children.set(name, child);
}

let stopping = false;
async function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  say('\nStopping services…');
  for (const child of children.values()) child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of children.values()) child.kill('SIGKILL');
  say('Stopped.');
  process.exit(exitCode);
}

async function waitHealthy(name) {
  const url = `http://127.0.0.1:${ports[name]}/health`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return true;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main() {
  await checkDependencies();
  for (const [name, port] of Object.entries(ports)) {
    if (await reachable('127.0.0.1', port, 500)) fail(`port ${port} (${name}) is already in use: stop what runs there or set ${name.toUpperCase().replace('-', '_')}_PORT.`);
  }
  if (!args.has('--no-build')) {
    runStep('Building the three services', 'npx', ['nx', 'run-many', '-t', 'build', '-p', 'core-api', 'booking', 'messaging', '--output-style=static'], { capture: true });
  }
  runStep('Migrating core-api database', process.execPath, ['apps/core-api/dist/cli.js', 'migrate'], { capture: true });
  runStep('Migrating messaging database', process.execPath, ['apps/messaging/dist/cli.js', 'migrate'], { capture: true });
  Object.assign(env, localSecrets());
  runStep('Provisioning the booking site’s credential', process.execPath, [
    'apps/core-api/dist/cli.js',
    'create-service-credential',
    `--email=${env.BOOKING_API_USER}`,
    // `=`: a generated password may start with '-', which would read as an option.
    `--password=${env.BOOKING_API_PASSWORD}`,
  ], { capture: true });
  let seed = null;
  if (!production) {
    const out = runStep('Seeding the demo salon (once)', process.execPath, ['apps/core-api/dist/cli.js', 'seed-demo'], { capture: true });
    seed = JSON.parse(out.trim().split('\n').pop());
  }

  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // core-api first: booking's health names core-api, so starting them together printed a
  // failed health check (an alarming ERROR) before core-api had finished starting.
  startService('core-api');
  const healthy = [await waitHealthy('core-api')];
  const others = Object.keys(ports).filter((name) => name !== 'core-api');
  if (!healthy.includes(false)) {
    for (const name of others) startService(name);
    healthy.push(...(await Promise.all(others.map(waitHealthy))));
  }
  if (healthy.includes(false)) {
    say('Some services did not become healthy in time; see their logs above.');
    return stop(1);
  }
  const password = seed ? demoCredentials(seed) : null;
  const lines = [
    '',
    '  Chairbook is running',
    `  core API      http://localhost:${ports['core-api']}/third-party-api-server/api/business   (docs: http://localhost:${ports['core-api']}/docs)`,
    `  booking       http://localhost:${ports.booking}/book/foundation-hair`,
    `  messaging     http://localhost:${ports.messaging}/docs`,
    `  health        http://localhost:${ports['core-api']}/health  :${ports.booking}/health  :${ports.messaging}/health`,
  ];
  if (seed) {
    lines.push(
      '',
      `  Demo salon "Foundation Hair"  businessId ${seed.businessId}  branchId ${seed.branchId}`,
      `  API login     username: global/${seed.ownerEmail}`,
      `                password: ${password}`,
      `  try           curl -u 'global/${seed.ownerEmail}:${password}' http://localhost:${ports['core-api']}/third-party-api-server/api/business`,
    );
  }
  lines.push('', '  Ctrl-C stops everything.', '');
  say(lines.join('\n'));
}

main().catch((err) => fail(err?.stack ?? String(err)));
