import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqplib from 'amqplib';

const run = promisify(execFile);

const base = new URL(process.env['RABBITMQ_URL'] || 'amqp://guest:guest@127.0.0.1:5672');
const managementUrl = process.env['RABBITMQ_MANAGEMENT_URL'];

async function manage(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
  const response = await fetch(`${managementUrl}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${path}: ${response.status}`);
}

/**
 * A RabbitMQ virtual host of its own for one test file: its own exchanges and queues, so
 * parallel test files (and a developer's running services) never consume each other's
 * messages. Uses the management API when RABBITMQ_MANAGEMENT_URL is set (CI containers),
 * otherwise rabbitmqctl on this machine.
 */
export async function createTestVhost(): Promise<{ url: string; vhost: string; dispose: () => Promise<void> }> {
  const vhost = `test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const user = decodeURIComponent(base.username || 'guest');
  if (managementUrl) {
    await manage('PUT', `/api/vhosts/${vhost}`);
    await manage('PUT', `/api/permissions/${vhost}/${encodeURIComponent(user)}`, { configure: '.*', write: '.*', read: '.*' });
  } else {
    await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
    await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
  }
  const url = new URL(base.toString());
  url.pathname = `/${vhost}`;
  return {
    url: url.toString(),
    vhost,
    dispose: async () => {
      if (managementUrl) await manage('DELETE', `/api/vhosts/${vhost}`);
      else await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]).catch(() => undefined);
    },
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Collects every message published to the events exchange with the given binding key. */
export async function captureEvents(url: string, bindingKey = '#') {
  const connection = await amqplib.connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange('chairbook.events', 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'chairbook.events', bindingKey);
  // `body` is the parsed JSON object ({} for anything else, a poison message say); `raw` the text.
  const received: { routingKey: string; body: Record<string, unknown>; raw: string; headers: Record<string, unknown> }[] = [];
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    const raw = msg.content.toString();
    received.push({ routingKey: msg.fields.routingKey, body: parseObject(raw), raw, headers: (msg.properties.headers ?? {}) as Record<string, unknown> });
    channel.ack(msg);
  });
  return {
    received,
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
}

/** Publishes a raw message to the events exchange (for consumer tests, including poison ones). */
export async function publishRaw(url: string, routingKey: string, content: Buffer | string, headers: Record<string, unknown> = {}): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange('chairbook.events', 'topic', { durable: true });
    channel.publish('chairbook.events', routingKey, Buffer.isBuffer(content) ? content : Buffer.from(content), { persistent: true, headers });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** Number of messages waiting in a queue of the given vhost URL. */
export async function queueDepth(url: string, queue: string): Promise<number> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    return messageCount;
  } finally {
    await connection.close();
  }
}
