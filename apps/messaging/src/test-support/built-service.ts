import { createTestVhost, dropDatabase, TcpProxy, testDb, uniqueDatabaseName } from '@chairbook/testing';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The bundle `npx nx build messaging` writes (test-faults depends on that build). */
export const MESSAGING_DIST = resolve(__dirname, '../../dist');

export interface BuiltMessaging {
  baseUrl: string;
  port: number;
  database: string;
  /** The vhost, reached directly (not through the proxy). */
  rabbitUrl: string;
  brokerProxy?: TcpProxy;
  dbProxy?: TcpProxy;
  logFile: string;
  pid(): number | undefined;
  /** Starts the process (again) with the same environment and port; resolves once /health answers 200 (database, broker and its queues, providers). */
  start(): Promise<void>;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logTail(lines?: number): string;
  /** Stops the process (SIGTERM) and drops its database, vhost and proxies. */
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The built messaging service as its own process (`node dist/main.js`), as it runs in
 * production: its own database (migrated with `node dist/cli.js migrate`), its own RabbitMQ
 * vhost, optional TCP proxies in front of the broker or the database, logs in a file.
 */
export async function startBuiltMessaging(options: { env?: Record<string, string>; proxyBroker?: boolean; proxyDatabase?: boolean; nodeArgs?: string[]; name?: string } = {}): Promise<BuiltMessaging> {
  const main = join(MESSAGING_DIST, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build messaging\` first (nx run messaging:test-faults does)`);
  const database = uniqueDatabaseName('messaging');
  const vhost = await createTestVhost();
  const brokerUrl = new URL(vhost.url);
  const brokerProxy = options.proxyBroker ? new TcpProxy(brokerUrl.hostname, Number(brokerUrl.port || 5672)) : undefined;
  const dbProxy = options.proxyDatabase ? new TcpProxy(testDb.host, testDb.port) : undefined;
  if (brokerProxy) {
    await brokerProxy.start();
    brokerUrl.hostname = '127.0.0.1';
    brokerUrl.port = String(brokerProxy.port);
  }
  if (dbProxy) await dbProxy.start();
  const port = await freePort();
  const logFile = join(tmpdir(), `${options.name ?? 'messaging'}-${database}.log`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    LINK_SIGNING_SECRET: 'messaging-test-link-signing-secret',
    DB_HOST: testDb.host,
    DB_PORT: String(dbProxy?.port ?? testDb.port),
    DB_USER: testDb.user,
    DB_PASSWORD: testDb.password,
    MESSAGING_DB_NAME: database,
    RABBITMQ_URL: brokerUrl.toString(),
    MESSAGING_PORT: String(port),
    MESSAGING_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...options.env,
  };
  try {
    await run(process.execPath, [join(MESSAGING_DIST, 'cli.js'), 'migrate'], { env: { ...env, DB_PORT: String(testDb.port) }, timeout: 120_000 });
  } catch (err) {
    await dropDatabase(database);
    await vhost.dispose();
    await brokerProxy?.stop();
    await dbProxy?.stop();
    throw err;
  }

  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  const baseUrl = `http://127.0.0.1:${port}`;
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const handle: BuiltMessaging = {
    baseUrl,
    port,
    database,
    rabbitUrl: vhost.url,
    brokerProxy,
    dbProxy,
    logFile,
    pid: () => child?.pid,
    logTail,
    async start() {
      const fd = openSync(logFile, 'a');
      const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), main], { env, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      child = proc;
      let alive = true;
      exited = new Promise((done) =>
        proc.once('exit', (code, signal) => {
          alive = false;
          done({ code, signal });
        }),
      );
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (!alive) throw new Error(`messaging exited before it was ready; its log (${logFile}):\n${logTail()}`);
        try {
          const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3_000) });
          if (response.ok) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`messaging was not ready (/health) within 60 s; its log (${logFile}):\n${logTail()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async close() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await brokerProxy?.stop();
      await dbProxy?.stop();
      await dropDatabase(database);
      await vhost.dispose();
    },
  };
  try {
    await handle.start();
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  return handle;
}
