import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestVhost, dropDatabase, queryDatabase, uniqueDatabaseName, waitFor } from '@chairbook/testing';

const root = join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The README's first command, end to end: `npm start` (here `node scripts/start.mjs
 * --no-build` on the freshly built services) migrates, seeds the demo salon once, starts the
 * three services, prints the credentials, and stops cleanly on Ctrl-C. The demo's
 * business.created/branch.created events cross from core-api to messaging over RabbitMQ.
 */
describe('npm start (e2e, real processes, MariaDB and RabbitMQ)', () => {
  const coreDb = uniqueDatabaseName('core');
  const messagingDb = uniqueDatabaseName('messaging');
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let ports: { core: number; booking: number; messaging: number };
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    vhost = await createTestVhost();
    ports = { core: await freePort(), booking: await freePort(), messaging: await freePort() };
    env = {
      ...process.env,
      CORE_API_PORT: String(ports.core),
      BOOKING_PORT: String(ports.booking),
      MESSAGING_PORT: String(ports.messaging),
      CORE_API_URL: `http://127.0.0.1:${ports.core}`,
      CORE_API_DB_NAME: coreDb,
      MESSAGING_DB_NAME: messagingDb,
      RABBITMQ_URL: vhost.url,
      DEMO_PASSWORD: 'e2e-demo-password',
      LOG_LEVEL: 'warn',
      CHAIRBOOK_NO_DOCKER: '1',
    };
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await dropDatabase(coreDb);
    await dropDatabase(messagingDb);
    await vhost?.dispose();
  });

  it('starts everything, prints the demo credentials, and the demo events reach messaging', async () => {
    child = spawn(process.execPath, ['scripts/start.mjs', '--no-build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(() => output.includes('Chairbook is running') || child!.exitCode !== null, { timeoutMs: 90_000, what: 'the start banner' });
    expect(output).toContain('Chairbook is running');
    // Booking starts once core-api is healthy: its health check never fails on core-api
    // (core-api itself may answer one 503 health probe while its broker connection opens).
    expect(output.slice(0, output.indexOf('Chairbook is running'))).not.toMatch(/\[booking\][^\n]*ERROR/);
    expect(output).toContain('username: global/owner@foundation-hair.example');
    expect(output).toContain('password: e2e-demo-password');
    expect(output).toContain(`http://localhost:${ports.booking}/book/foundation-hair`);

    for (const port of [ports.core, ports.booking, ports.messaging]) {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(response.status).toBe(200);
    }
    const profile = await waitFor(
      async () => (await queryDatabase<{ name: string; time_zone: string }>(messagingDb, "SELECT name, time_zone FROM branch_profile WHERE slug = 'foundation-hair'"))[0],
      { timeoutMs: 15_000, what: 'the demo branch in messaging' },
    );
    expect(profile).toEqual({ name: 'Foundation Hair', time_zone: 'Europe/Dublin' });
  });

  it('seeds the demo exactly once', async () => {
    const again = spawnSync(process.execPath, ['apps/core-api/dist/cli.js', 'seed-demo'], { cwd: root, env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ created: false, slug: 'foundation-hair' });
    const counts = await queryDatabase<{ businesses: number; staff: number }>(
      coreDb,
      'SELECT (SELECT COUNT(*) FROM business) AS businesses, (SELECT COUNT(*) FROM staff) AS staff',
    );
    expect(counts[0]).toEqual({ businesses: 1, staff: 4 });
  });

  it('stops all three services cleanly on Ctrl-C', async () => {
    const before = output.length;
    child!.kill('SIGINT');
    const code = await waitFor(() => (child!.exitCode !== null ? { code: child!.exitCode } : undefined), { timeoutMs: 30_000, what: 'start to exit' });
    expect(code.code).toBe(0);
    expect(output).toContain('Stopped.');
    // Work loops stop before the pools close: no pass fails on a closed pool while shutting down.
    expect(output.slice(before)).not.toMatch(/pass failed|ERROR/);
    for (const port of [ports.core, ports.booking, ports.messaging]) {
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    }
  });

  it('says in one line how to start MySQL when it is not reachable', () => {
    const result = spawnSync(process.execPath, ['scripts/start.mjs', '--no-build'], {
      cwd: root,
      env: { ...env, DB_PORT: '1' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const message = result.stderr.trim().split('\n').filter(Boolean);
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(/MySQL\/MariaDB at 127\.0\.0\.1:1 not reachable.*docker compose -f docker\/compose\.yml up -d mysql/);
  });
});
