import { createTestVhost, TcpProxy, waitFor } from '@chairbook/testing';
import pino from 'pino';
import { RabbitMqClient } from '@chairbook/platform';

/**
 * The platform's RabbitMQ client (every service's broker connection) against the real broker,
 * through a proxy the test can cut: whatever moment the connection drops at, the client connects
 * again by itself once the broker is back. (Here rather than in libs/platform, which may not
 * depend on the test helpers.)
 */
describe('RabbitMqClient reconnects (real RabbitMQ)', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let proxy: TcpProxy;
  let client: RabbitMqClient | undefined;

  beforeAll(async () => {
    vhost = await createTestVhost();
    const target = new URL(vhost.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5672));
    await proxy.start();
  });
  afterEach(async () => {
    await client?.close(1_000);
    client = undefined;
  });
  afterAll(async () => {
    await proxy.stop();
    await vhost.dispose();
  });

  const newClient = async (consumers: number) => {
    const url = new URL(vhost.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const c = new RabbitMqClient({ url: url.toString(), name: 'reconnect-test', logger: pino({ level: 'silent' }) });
    // Many consumers: the set-up after the connection counts as connected takes a while.
    for (let i = 0; i < consumers; i++) await c.consume({ queue: `reconnect-test.q${i}`, bindings: [`reconnect.q${i}`] }, async () => 'ack');
    return c;
  };

  it('comes back after the broker went away while it was connected', async () => {
    client = await newClient(2);
    await client.start();
    await client.waitUntilConnected();
    await proxy.cut();
    await waitFor(() => !client?.isConnected(), { what: 'disconnected' });
    await proxy.restore();
    await client.waitUntilConnected(15_000);
    expect(client.isConnected()).toBe(true);
  });

  it('comes back after the broker went away while it was still starting its consumers', async () => {
    client = await newClient(40);
    await client.start();
    // Connected, but the consumers are still being started: cut right then.
    await waitFor(() => client?.isConnected(), { what: 'connected', intervalMs: 1 });
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 300));
    await proxy.restore();
    await client.waitUntilConnected(15_000);
    expect(client.isConnected()).toBe(true);
  });
});
