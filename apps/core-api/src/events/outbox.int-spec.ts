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
    capture = api.events;
  });
  afterAll(async () => {
    await api?.close();
  });

  const rowsMentioning = async (id: string) =>
    Number((await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event WHERE payload LIKE ?', [`%${id}%`]))[0].n);

  it('publishes the events of a committed change with their contract and the request id header', async () => {
    const created = await api.app.get(CreateBusinessUseCase).execute(command('relay-one'));
    const events = await waitFor(() => {
      const mine = capture.received.filter((m) => m.body['businessId'] === created.businessId);
      return mine.length === 2 ? mine : undefined;
    }, { what: 'business.created and branch.created' });
    expect(events.map((e) => e.routingKey)).toEqual(['business.created', 'branch.created']);
    for (const e of events) expect(() => parseEvent(e.body)).not.toThrow();
    // Confirmed, so deleted: the outbox keeps only events still to leave.
    await waitFor(async () => (await rowsMentioning(created.businessId)) === 0, { what: 'the published rows to be deleted' });
  });

  it('writes nothing, event included, when the change fails', async () => {
    await waitFor(async () => (await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event'))[0].n === 0, { what: 'an empty outbox' });
    const received = capture.received.length;
    await expect(api.app.get(CreateBusinessUseCase).execute(command('relay-one'))).rejects.toMatchObject({ response: { code: 'SLUG_TAKEN' } });
    const after = await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event');
    expect(after[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(capture.received.length).toBe(received);
  });

  it('holds events while the broker is down and delivers each exactly once when it returns', async () => {
    await api.brokerProxy!.cut();
    const created = await api.app.get(CreateBusinessUseCase).execute(command('relay-outage'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await rowsMentioning(created.businessId)).toBe(2);
    await api.brokerProxy!.restore();
    await waitFor(() => capture.received.filter((m) => m.body['businessId'] === created.businessId).length === 2, {
      timeoutMs: 20_000,
      what: 'events delivered after the outage',
    });
    await waitFor(async () => (await rowsMentioning(created.businessId)) === 0, { what: 'the published rows to be deleted' });
    await new Promise((r) => setTimeout(r, 300));
    expect(capture.received.filter((m) => m.body['businessId'] === created.businessId)).toHaveLength(2);
  });

  it('publishes rows in the order they were written and deletes exactly the ones it published', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const row = (id: string) => [id, 'test.relayed', JSON.stringify({ id, type: 'test.relayed' }), null, new Date(), 0, null];
    // Written as another copy of the service would, then relayed by this one's next pass.
    await queryDatabase(api.database, 'INSERT INTO outbox_event (event_id, type, payload, request_id, created_at, attempts, last_error) VALUES ?', [ids.map(row)]);
    api.app.get(OutboxRelay).wake();
    const relayed = await waitFor(() => {
      const mine = capture.received.filter((m) => m.routingKey === 'test.relayed');
      return mine.length === 3 ? mine : undefined;
    }, { what: 'the three rows on the broker' });
    expect(relayed.map((m) => m.body['id'])).toEqual(ids);
    await waitFor(async () => (await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM outbox_event WHERE type = ?', ['test.relayed']))[0].n === 0, {
      what: 'the relayed rows to be deleted',
    });
  });
});
