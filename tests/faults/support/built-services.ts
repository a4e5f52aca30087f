import { createTestVhost, dropDatabase, testDb, uniqueDatabaseName } from '@chairbook/testing';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(__dirname, '../../..');
const say = (line: string) => process.stdout.write(`${line}\n`);

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * A built service (`node apps/<app>/dist/main.js`) as its own process, as it runs in production:
 * fixed port and environment, so it can be SIGKILLed and started again; logs in a file.
 */
export class BuiltProcess {
  private child?: ChildProcess;
  private exitedPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  readonly logFile: string;
  readonly baseUrl: string;

  constructor(
    readonly app: 'core-api' | 'messaging',
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    name: string,
  ) {
    this.logFile = join(tmpdir(), `fault-${name}-${port}.log`);
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; resolves when `readyPath` answers 200 (or 503 is accepted with `acceptUnhealthy`). */
  async start(readyPath = '/health', timeoutMs = 90_000): Promise<number> {
    const main = join(ROOT, 'apps', this.app, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build it first (nx run e2e:test-faults builds core-api and messaging)`);
    const fd = openSync(this.logFile, 'a');
    const started = Date.now();
    const child = spawn(process.execPath, [main], { env: this.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.child = child;
    this.exitedPromise = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    for (;;) {
      if (!this.alive()) throw new Error(`${this.app} exited before it was ready; log ${this.logFile}:\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.baseUrl}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return Date.now() - started;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - started > timeoutMs) throw new Error(`${this.app} not ready at ${readyPath} after ${timeoutMs} ms; log ${this.logFile}:\n${this.logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive()) this.child?.kill(signal);
    return this.exitedPromise;
  }

  async stop(): Promise<void> {
    if (!this.alive()) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

export const DEMO_PASSWORD = 'fault-suite-demo-password';
export const OWNER = 'global/owner@foundation-hair.example';
export const ownerAuth = { authorization: `Basic ${Buffer.from(`${OWNER}:${DEMO_PASSWORD}`).toString('base64')}` };

export interface CoreApiOptions {
  /** Where core-api reaches MariaDB (a proxy's port); migrations and seeding always go direct. */
  dbPort?: number;
  rabbitUrl: string;
  env?: Record<string, string>;
  name?: string;
}

export interface CoreApi {
  process: BuiltProcess;
  database: string;
  baseUrl: string;
  close(): Promise<void>;
}

/** Migrates a fresh core-api database, seeds the demo salon (Foundation Hair) and starts the built core-api. */
export async function startCoreApi(options: CoreApiOptions): Promise<CoreApi> {
  const database = uniqueDatabaseName('core_fault');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    DB_HOST: testDb.host,
    DB_PORT: String(options.dbPort ?? testDb.port),
    DB_USER: testDb.user,
    DB_PASSWORD: testDb.password,
    DB_CONNECT_TIMEOUT_MS: '1500',
    CORE_API_DB_NAME: database,
    CORE_API_PORT: String(port),
    RABBITMQ_URL: options.rabbitUrl,
    OUTBOX_POLL_MS: '100',
    // The fault tests drive bursts from one credential; Phorest's 100/s limit is not under test here.
    RATE_LIMIT_PER_SECOND: '100000',
    DEMO_PASSWORD,
    ...options.env,
  };
  const direct = { ...env, DB_PORT: String(testDb.port) };
  const cli = join(ROOT, 'apps/core-api/dist/cli.js');
  try {
    await run(process.execPath, [cli, 'migrate'], { env: direct, timeout: 120_000 });
    // seed-demo refuses NODE_ENV=production (demo data never reaches a real database).
    await run(process.execPath, [cli, 'seed-demo'], { env: { ...direct, NODE_ENV: 'development' }, timeout: 120_000 });
  } catch (err) {
    await dropDatabase(database);
    throw err;
  }
  const proc = new BuiltProcess('core-api', port, env, options.name ?? 'core-api');
  try {
    await proc.start();
  } catch (err) {
    await dropDatabase(database);
    throw err;
  }
  return {
    process: proc,
    database,
    baseUrl: proc.baseUrl,
    async close() {
      await proc.stop();
      await dropDatabase(database);
    },
  };
}

export interface Messaging {
  process: BuiltProcess;
  database: string;
  baseUrl: string;
  close(): Promise<void>;
}

/** Migrates a fresh messaging database and starts the built messaging service on the given vhost. */
export async function startMessaging(options: { rabbitUrl: string; coreApiUrl: string; env?: Record<string, string> }): Promise<Messaging> {
  const database = uniqueDatabaseName('messaging_fault');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    LINK_SIGNING_SECRET: 'fault-suite-link-signing-secret',
    DB_HOST: testDb.host,
    DB_PORT: String(testDb.port),
    DB_USER: testDb.user,
    DB_PASSWORD: testDb.password,
    MESSAGING_DB_NAME: database,
    RABBITMQ_URL: options.rabbitUrl,
    MESSAGING_PORT: String(port),
    MESSAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
    CORE_API_URL: options.coreApiUrl,
    SMS_PROVIDER: 'log',
    EMAIL_PROVIDER: 'log',
    ...options.env,
  };
  await run(process.execPath, [join(ROOT, 'apps/messaging/dist/cli.js'), 'migrate'], { env, timeout: 120_000 }).catch(async (err) => {
    await dropDatabase(database);
    throw err;
  });
  const proc = new BuiltProcess('messaging', port, env, 'messaging');
  try {
    await proc.start('/health/live');
  } catch (err) {
    await dropDatabase(database);
    throw err;
  }
  return {
    process: proc,
    database,
    baseUrl: proc.baseUrl,
    async close() {
      await proc.stop();
      await dropDatabase(database);
    },
  };
}

export { createTestVhost, say };
