import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestVhost, dropDatabase, uniqueDatabaseName, waitFor } from '@chairbook/testing';

export const repoRoot = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Platform {
  urls: { core: string; booking: string; messaging?: string };
  env: NodeJS.ProcessEnv;
  databases: { core: string; messaging?: string };
  secrets: { linkSigningSecret: string; apiUser: string; apiPassword: string; demoPassword: string };
  demo: { businessId: string; branchId: string; slug: string; ownerEmail: string };
  /** Everything the services printed, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

type Service = 'core-api' | 'booking' | 'messaging';

/**
 * The built services as real processes on free ports, each with its own database and a
 * RabbitMQ vhost of its own, migrated, with the booking site's credential provisioned and the
 * demo salon seeded: what `npm start` runs, isolated for one test file.
 */
export async function startPlatform(options: { messaging?: boolean; env?: Record<string, string> } = {}): Promise<Platform> {
  const vhost = await createTestVhost();
  const ports = { core: await freePort(), booking: await freePort(), messaging: await freePort() };
  const databases = { core: uniqueDatabaseName('core'), messaging: options.messaging ? uniqueDatabaseName('messaging') : undefined };
  const secrets = {
    linkSigningSecret: randomBytes(24).toString('base64url'),
    apiUser: `booking-site-${randomBytes(3).toString('hex')}@chairbook.internal`,
    apiPassword: randomBytes(18).toString('base64url'),
    demoPassword: 'browser-demo-password',
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    CORE_API_PORT: String(ports.core),
    BOOKING_PORT: String(ports.booking),
    MESSAGING_PORT: String(ports.messaging),
    CORE_API_URL: `http://127.0.0.1:${ports.core}`,
    BOOKING_PUBLIC_URL: `http://127.0.0.1:${ports.booking}`,
    CORE_API_DB_NAME: databases.core,
    ...(databases.messaging ? { MESSAGING_DB_NAME: databases.messaging } : {}),
    RABBITMQ_URL: vhost.url,
    DEMO_PASSWORD: secrets.demoPassword,
    BOOKING_API_USER: secrets.apiUser,
    BOOKING_API_PASSWORD: secrets.apiPassword,
    LINK_SIGNING_SECRET: secrets.linkSigningSecret,
    SMS_PROVIDER: 'log',
    EMAIL_PROVIDER: 'log',
    OUTBOX_POLL_MS: '100',
    ...options.env,
  };
  let output = '';
  const children = new Map<Service, ChildProcess>();

  const cli = (app: 'core-api' | 'messaging', args: string[]): string => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'apps', app, 'dist', 'cli.js'), ...args], { cwd: repoRoot, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${app} ${args[0]} failed (${result.status}): ${result.stderr}${result.stdout}`);
    return result.stdout;
  };

  const stop = async () => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGTERM');
    await waitFor(() => [...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null) || undefined, { timeoutMs: 15_000, what: 'services to stop' }).catch(() => {
      for (const child of children.values()) child.kill('SIGKILL');
    });
    await dropDatabase(databases.core);
    if (databases.messaging) await dropDatabase(databases.messaging);
    await vhost.dispose();
  };

  try {
    cli('core-api', ['migrate']);
    if (options.messaging) cli('messaging', ['migrate']);
    cli('core-api', ['create-service-credential', `--email=${secrets.apiUser}`, `--password=${secrets.apiPassword}`]);
    const seed = JSON.parse(cli('core-api', ['seed-demo']).trim().split('\n').pop()!) as { businessId: string; branchId: string; slug: string; ownerEmail: string };

    const services: Service[] = ['core-api', 'booking', ...(options.messaging ? (['messaging'] as Service[]) : [])];
    for (const name of services) {
      const child = spawn(process.execPath, ['--enable-source-maps', '--max-semi-space-size=64', 'main.js'], { cwd: join(repoRoot, 'apps', name, 'dist'), env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d) => (output += `[${name}] ${d}`));
      child.stderr!.on('data', (d) => (output += `[${name}] ${d}`));
      children.set(name, child);
    }
    const urls = {
      core: `http://127.0.0.1:${ports.core}`,
      booking: `http://127.0.0.1:${ports.booking}`,
      messaging: options.messaging ? `http://127.0.0.1:${ports.messaging}` : undefined,
    };
    for (const url of Object.values(urls).filter(Boolean) as string[]) {
      await waitFor(
        async () => {
          for (const [name, child] of children) if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output}`);
          return (await fetch(`${url}/health`).catch(() => undefined))?.ok || undefined;
        },
        { timeoutMs: 60_000, what: `${url}/health` },
      );
    }
    return { urls, env, databases, secrets, demo: seed, logs: () => output, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
