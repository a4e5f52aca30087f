import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { testDb } from './database';

const run = promisify(execFile);
const STALE_MS = 3 * 3_600_000;
let reaped: Promise<void> | undefined;

/**
 * Test databases (`*_t_<base36 time>_*`) and vhosts (`test-<base36 time>-*`) are dropped by
 * the test that made them; a test run that was killed leaves them behind. Once per process,
 * drop those older than a few hours so a shared machine does not fill up.
 */
export function reapStaleTestResources(): Promise<void> {
  reaped ??= reap().catch(() => undefined);
  return reaped;
}

function isStale(stamp: string | undefined): boolean {
  if (!stamp) return false;
  const time = parseInt(stamp, 36);
  return Number.isFinite(time) && time > 1.6e12 && Date.now() - time > STALE_MS;
}

async function reap(): Promise<void> {
  const connection = await createConnection({ ...testDb });
  try {
    const [rows] = await connection.query('SHOW DATABASES');
    for (const { Database: name } of rows as { Database: string }[]) {
      const match = /^[a-z_]+_t_([a-z0-9]+)_[0-9a-f]{6}$/.exec(name);
      if (match && isStale(match[1])) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await connection.end();
  }
  if (process.env['RABBITMQ_MANAGEMENT_URL']) return;
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_vhosts']).catch(() => ({ stdout: '' }));
  for (const vhost of stdout.split('\n').map((l) => l.trim())) {
    const match = /^test-([a-z0-9]+)-[0-9a-f]{6}$/.exec(vhost);
    if (match && isStale(match[1])) await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]).catch(() => undefined);
  }
}
