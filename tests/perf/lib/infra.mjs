// The run's own databases and RabbitMQ vhost: unique names, so a benchmark never touches a
// developer's data or a test's, and several runs can share a server.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

export function runId() {
  const d = new Date();
  const stamp = d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '_');
  return `${stamp}_${randomBytes(2).toString('hex')}`;
}

export async function checkDatabaseServer(server) {
  let connection;
  try {
    connection = await mysql.createConnection({ ...server, connectTimeout: 3_000 });
    const [[row]] = await connection.query('SELECT VERSION() AS version');
    return row.version;
  } catch (err) {
    throw new Error(`MariaDB/MySQL is not reachable at ${server.host}:${server.port} (${err.code ?? err.message}); start it (or docker compose up mysql) and try again`);
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

export async function createDatabase(server, name) {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`invalid database name ${name}`);
  const connection = await mysql.createConnection(server);
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(server, name) {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const connection = await mysql.createConnection(server);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/**
 * A vhost of the run's own, through the management API when RABBITMQ_MANAGEMENT_URL is set
 * (containers), else rabbitmqctl on this machine. Returns the AMQP URL pointing into it.
 */
export async function createVhost(baseUrl, vhost, managementUrl = process.env.RABBITMQ_MANAGEMENT_URL) {
  const base = new URL(baseUrl);
  const user = decodeURIComponent(base.username || 'guest');
  const manage = async (method, path, body) => {
    const auth = Buffer.from(`${user}:${decodeURIComponent(base.password || 'guest')}`).toString('base64');
    const response = await fetch(`${managementUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  };
  try {
    if (managementUrl) {
      await manage('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
      await manage('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
    } else {
      await run('rabbitmqctl', ['-q', 'add_vhost', vhost], { timeout: 60_000 });
      await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*'], { timeout: 60_000 });
    }
  } catch (err) {
    throw new Error(
      `could not create the RabbitMQ vhost ${vhost} (${String(err.message).split('\n')[0]}); is RabbitMQ running? ` +
        (managementUrl ? `(management API ${managementUrl})` : '(rabbitmqctl; set RABBITMQ_MANAGEMENT_URL to use the management API)'),
    );
  }
  const url = new URL(base.toString());
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    url: url.toString(),
    vhost,
    dispose: async () => {
      if (managementUrl) await manage('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`);
      else await run('rabbitmqctl', ['-q', 'delete_vhost', vhost], { timeout: 60_000 });
    },
  };
}
