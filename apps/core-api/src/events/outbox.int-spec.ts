import { parseEvent } from '@chairbook/contracts';
import { OutboxRelay } from '@chairbook/platform';
import { randomUUID } from 'node:crypto';
import { captureEvents, queryDatabase, waitFor } from '@chairbook/testing';
import { CreateBusinessUseCase } from '../modules/business/use-cases/create-business/create-business.use-case';
import { CoreApiHarness, startCoreApi } from '../test-support/core-api-harness';

const command = (slug: string) => ({
  name: `Salon ${slug}`,
  owner: { email: `${slug}@example.test`, password: 'correct horse battery' },
  branch: { name: 'Main', slug, timeZone: 'Europe/Dublin', country: 'IE', currency: 'EUR' },
});

describe('outbox relay (real MariaDB and RabbitMQ)', () => {
  let api: CoreApiHarness;
  let capture: Awaited<ReturnType<typeof captureEvents>>;

  beforeAll(async () => {
    api = await startCoreApi({ proxyBroker: true });
    capture = await captureEvents(api.rabbitUrl, '#');
  });
  afterAll(async () => {
    await capture?.close();
    await api?.close();
  });

  it('publishes the events of a committed change with their contract and the request id header', async () => {
    const created = await api.app.get(CreateBusinessUseCase).execute(command('relay-one'));
    const events = await waitFor(() => {
      const mine = capture.received.filter((m) => m.body['businessId'] === created.businessId);
      return mine.length === 2 ? mine : undefined;
    }, { what: 'business.created and branch.created' });
    expect(events.map((e) => e.routingKey)).toEqual(['business.created', 'branch.created']);
    for (const e of events) expect(() => parseEvent(e.body)).not.toThrow();
    const rows = await queryDatabase<{ published_at: Date | null }>(api.database, 'SELECT published_at FROM outbox_event WHERE payload LIKE ?', [`%${created.businessId}%`]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.published_at !== null)).toBe(true);
  });

  it('writes nothing, event included, when the change fails', async () => {
    const before = await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event');
    await expect(api.app.get(CreateBusinessUseCase).execute(command('relay-one'))).rejects.toMatchObject({ response: { code: 'SLUG_TAKEN' } });
    const after = await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event');
    expect(after[0].n).toBe(before[0].n);
  });

  it('holds events while the broker is down and delivers each exactly once when it returns', async () => {
    await api.brokerProxy!.cut();
    const created = await api.app.get(CreateBusinessUseCase).execute(command('relay-outage'));
    await new Promise((r) => setTimeout(r, 500));
    const pending = await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL');
    expect(pending[0].n).toBe(2);
    await api.brokerProxy!.restore();
    await waitFor(() => capture.received.filter((m) => m.body['businessId'] === created.businessId).length === 2, {
      timeoutMs: 20_000,
      what: 'events delivered after the outage',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(capture.received.filter((m) => m.body['businessId'] === created.businessId)).toHaveLength(2);
  });
  it('deletes rows published longer ago than the retention (7 days), and never an unpublished one', async () => {
    const day = 24 * 3_600_000;
    const ids = { old: randomUUID(), recent: randomUUID(), stuck: randomUUID() };
    const row = (id: string, createdAt: Date, publishedAt: Date | null) => [id, 'test.pruned', '{}', null, createdAt, publishedAt, 0, null];
    await queryDatabase(api.database, 'INSERT INTO outbox_event (event_id, type, payload, request_id, created_at, published_at, attempts, last_error) VALUES ?', [
      [
        row(ids.old, new Date(Date.now() - 9 * day), new Date(Date.now() - 8 * day)),
        row(ids.recent, new Date(Date.now() - 2 * day), new Date(Date.now() - 1 * day)),
        // never published (say, a broker refusing it for weeks): kept for the relay
        row(ids.stuck, new Date(Date.now() - 30 * day), null),
      ],
    ]);
    const relay = api.app.get(OutboxRelay);
    expect(await relay.prune()).toBeGreaterThanOrEqual(1);
    const left = await queryDatabase<{ event_id: string }>(api.database, 'SELECT event_id FROM outbox_event WHERE type = ?', ['test.pruned']);
    expect(left.map((r) => r.event_id).sort()).toEqual([ids.recent, ids.stuck].sort());
    await queryDatabase(api.database, 'DELETE FROM outbox_event WHERE type = ?', ['test.pruned']);
  });
});
