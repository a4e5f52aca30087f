import { createEvent } from '@chairbook/contracts';
import { publishRaw, queryDatabase, queueDepth, waitFor } from '@chairbook/testing';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

describe('messaging consumes core events effect-once (real MariaDB and RabbitMQ)', () => {
  let messaging: MessagingHarness;

  beforeAll(async () => {
    messaging = await startMessaging({ proxyDatabase: true });
    await waitFor(async () => (await fetch(`${messaging.baseUrl}/health`)).status === 200, { what: 'messaging healthy' });
  });
  afterAll(async () => {
    await messaging?.close();
  });

  const publish = (event: object, routingKey: string) => publishRaw(messaging.rabbitUrl, routingKey, JSON.stringify(event), { 'x-request-id': 'req-42' });

  it('records a new business and branch from their events', async () => {
    const business = createEvent('business.created', { businessId: 'biz0000000000000000001', name: 'Foundation Hair' }, { businessId: 'biz0000000000000000001' });
    const branch = createEvent(
      'branch.created',
      { branchId: 'brn0000000000000000001', name: 'Drury St', slug: 'drury', timeZone: 'Europe/Dublin', country: 'IE', currency: 'EUR' },
      { businessId: 'biz0000000000000000001', branchId: 'brn0000000000000000001' },
    );
    await publish(business, business.type);
    await publish(branch, branch.type);
    const rows = await waitFor(async () => {
      const r = await queryDatabase<{ name: string; time_zone: string }>(messaging.database, 'SELECT name, time_zone FROM branch_profile WHERE branch_id = ?', ['brn0000000000000000001']);
      return r.length ? r : undefined;
    }, { what: 'branch profile' });
    expect(rows[0]).toEqual({ name: 'Drury St', time_zone: 'Europe/Dublin' });
    const businesses = await queryDatabase(messaging.database, 'SELECT name FROM business_profile');
    expect(businesses).toEqual([{ name: 'Foundation Hair' }]);
  });

  const rename = (name: string, id?: string) =>
    createEvent(
      'branch.updated',
      { branchId: 'brn0000000000000000001', name, slug: 'drury', timeZone: 'Europe/Dublin', country: 'IE', currency: 'EUR' },
      { businessId: 'biz0000000000000000001', branchId: 'brn0000000000000000001', id },
    );
  const branchName = async () =>
    (await queryDatabase<{ name: string }>(messaging.database, 'SELECT name FROM branch_profile WHERE branch_id = ?', ['brn0000000000000000001']))[0]?.name;

  it('handles a redelivered event once: a second delivery with the same id changes nothing', async () => {
    const first = rename('Renamed once');
    for (let i = 0; i < 3; i++) await publish(first, first.type);
    await waitFor(async () => (await branchName()) === 'Renamed once', { what: 'rename applied' });
    // Same event id, different content: must be recognised as already handled.
    const replay = rename('Must not apply', first.id);
    await publish(replay, replay.type);
    const marker = rename('After the replay');
    await publish(marker, marker.type);
    await waitFor(async () => (await branchName()) === 'After the replay', { what: 'marker applied' });
    const inbox = await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(*) AS n FROM inbox_event WHERE event_id = ?', [first.id]);
    expect(inbox[0].n).toBe(1);
  });

  it('dead-letters messages that break the contract and keeps the others flowing', async () => {
    await publish({ not: 'an event' } as object, 'branch.updated');
    await publishRaw(messaging.rabbitUrl, 'branch.updated', '{not json');
    const valid = rename('After the poison');
    await publish(valid, valid.type);
    await waitFor(async () => (await branchName()) === 'After the poison', { what: 'valid event after poison' });
    await waitFor(async () => (await queueDepth(messaging.rabbitUrl, 'messaging.core-events.dlq')) === 2, { what: 'two messages in the DLQ' });
  });

  it('holds events while its database is away and applies them when it returns (nothing dead-lettered)', async () => {
    await messaging.dbProxy!.cut();
    const during = rename('During the outage');
    await publish(during, during.type);
    await new Promise((r) => setTimeout(r, 1_000));
    await messaging.dbProxy!.restore();
    await waitFor(async () => (await branchName()) === 'During the outage', { timeoutMs: 20_000, what: 'event applied after the outage' });
    expect(await queueDepth(messaging.rabbitUrl, 'messaging.core-events.dlq')).toBe(2);
  });
});
