import type { INestApplication } from '@nestjs/common';
import { dropDatabase, testDb, uniqueDatabaseName } from './database';
import { createTestVhost } from './rabbitmq';
import { TcpProxy } from './tcp-proxy';
import { waitFor } from './wait-for';
import { reapStaleTestResources } from './reaper';

export interface ServiceHarness<C> {
  app: INestApplication;
  config: C;
  baseUrl: string;
  /** The test's own database (when the service has one). */
  database: string;
  /** The test's own RabbitMQ vhost, reached directly (not through the proxy). */
  rabbitUrl: string;
  dbProxy?: TcpProxy;
  brokerProxy?: TcpProxy;
  close(): Promise<void>;
}

/**
 * A real service on a real port with a database and a RabbitMQ vhost of its own, built
 * through its real migrations. Optional TCP proxies let a test cut the database or broker.
 */
export async function startServiceForTest<C>(options: {
  /** Env var naming the service's database, e.g. CORE_API_DB_NAME. */
  databaseEnv?: string;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  migrate?: (config: C) => Promise<unknown>;
  createApp: (config: C) => Promise<INestApplication>;
  proxyDatabase?: boolean;
  proxyBroker?: boolean;
  /** Reuse an existing vhost (e.g. to put two services on one broker namespace). */
  rabbitUrl?: string;
  env?: Record<string, string>;
}): Promise<ServiceHarness<C>> {
  await reapStaleTestResources();
  const database = options.databaseEnv ? uniqueDatabaseName(options.databaseEnv.replace(/_DB_NAME$/, '').toLowerCase()) : '';
  const vhost = options.rabbitUrl ? { url: options.rabbitUrl, dispose: async () => undefined } : await createTestVhost();
  const dbProxy = options.proxyDatabase ? new TcpProxy(testDb.host, testDb.port) : undefined;
  const brokerUrl = new URL(vhost.url);
  const brokerProxy = options.proxyBroker ? new TcpProxy(brokerUrl.hostname, Number(brokerUrl.port || 5672)) : undefined;
  if (dbProxy) await dbProxy.start();
  if (brokerProxy) {
    await brokerProxy.start();
    brokerUrl.hostname = '127.0.0.1';
    brokerUrl.port = String(brokerProxy.port);
  }
  const config = options.loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    DB_PORT: String(dbProxy?.port ?? testDb.port),
    DB_CONNECT_TIMEOUT_MS: '1500',
    RABBITMQ_URL: brokerUrl.toString(),
    OUTBOX_POLL_MS: '50',
    // Tests fire requests faster than an integration would; the rate-limit test sets its own.
    RATE_LIMIT_PER_SECOND: '100000',
    ...(options.databaseEnv ? { [options.databaseEnv]: database } : {}),
    ...options.env,
  });
  let app: INestApplication | undefined;
  try {
    await options.migrate?.(config);
    app = await options.createApp(config);
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app?.close().catch(() => undefined);
    if (database) await dropDatabase(database);
    await vhost.dispose();
    throw err;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // Ready means its dependencies answer (e.g. the broker connected and its queues declared),
  // so a test does not publish into a queue that does not exist yet. Tests that start with a
  // dependency cut carry on after the wait.
  await waitFor(async () => (await fetch(`${baseUrl}/health`)).status === 200, { timeoutMs: 15_000, what: 'service health' }).catch(() => undefined);
  return {
    app,
    config,
    baseUrl,
    database,
    rabbitUrl: vhost.url,
    dbProxy,
    brokerProxy,
    close: async () => {
      await app?.close();
      await dbProxy?.stop();
      await brokerProxy?.stop();
      if (database) await dropDatabase(database);
      await vhost.dispose();
    },
  };
}
