import { captureEvents, createTestVhost, publishRaw, queryDatabase, queueDepth, waitFor, waitForEventsRelayed } from '@chairbook/testing';
import { randomUUID } from 'node:crypto';
import { CoreApi, Messaging, startCoreApi, startMessaging } from './support/built-services';
import { EventTap, report } from './support/checks';
import { Attempt, book, demoSalon, freeSlots, Salon, Slot, tally } from './support/salon';

const DLQ = 'messaging.core-events.dlq';
const MESSAGING_TYPES = /^(business|branch|client|booking|appointment|purchase)\./;

/**
 * A poison message across services: core-api and messaging (both built, real processes) on one
 * vhost; bookings made through core-api flow as events to messaging while malformed messages are
 * published on the same routing keys. Each poison message is dead-lettered to
 * messaging.core-events.dlq at once (never redelivered in a loop), messaging's /health shows
 * the dead-letter depth, and every valid event core-api published, before and after the poison,
 * reaches messaging's inbox exactly once.
 */
describe('fault: poison messages dead-lettered while valid events keep flowing (core-api -> RabbitMQ -> messaging)', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let core: CoreApi;
  let messaging: Messaging;
  let salon: Salon;
  let slots: Slot[];
  // Everything published on the vhost from the start: the record of what core-api sent.
  let tap: EventTap;

  beforeAll(async () => {
    vhost = await createTestVhost();
    tap = await captureEvents(vhost.url, '#');
    messaging = await startMessaging({ rabbitUrl: vhost.url, coreApiUrl: 'http://127.0.0.1:9' });
    core = await startCoreApi({ rabbitUrl: vhost.url, name: 'core-api-poison' });
    salon = await demoSalon(core.baseUrl, 20);
    slots = await freeSlots(core.baseUrl, salon, { fromDays: 60, days: 14, max: 200 });
  });

  afterAll(async () => {
    await tap?.close();
    await core?.close();
    await messaging?.close();
    await vhost?.dispose();
  });

  it('dead-letters each poison message once, shows the depth in /health, and delivers every valid event', async () => {
    const attempts: Attempt[] = [];
    const bookSome = async (from: number, n: number) => {
      await Promise.all(Array.from({ length: n }, (_, k) => book(core.baseUrl, salon, slots[from + k], salon.clientIds[(from + k) % salon.clientIds.length], from + k).then((a) => attempts.push(a))));
    };
    const depthBefore = await queueDepth(vhost.url, DLQ).catch(() => 0);
    await bookSome(0, 10);
    const poison = [
      { key: 'booking.confirmed', body: 'this is not JSON {', why: 'not JSON' },
      { key: 'appointment.booked', body: JSON.stringify({ id: randomUUID(), type: 'appointment.booked', occurredAt: new Date().toISOString(), version: 1, data: { appointmentId: 42 } }), why: 'breaks the contract (data)' },
      { key: 'client.created', body: JSON.stringify({ hello: 'world' }), why: 'not an event envelope' },
    ];
    for (const p of poison) await publishRaw(vhost.url, p.key, p.body);
    await bookSome(10, 10);
    for (const p of poison) await publishRaw(vhost.url, p.key, p.body);
    await bookSome(20, 20);

    // Every event core-api published that messaging subscribes to must reach its inbox.
    await waitForEventsRelayed(core.database, tap, { timeoutMs: 30_000, intervalMs: 250 });
    const poisonIds = new Set(poison.map((p) => String((JSON.parse(p.body.startsWith('{') && p.body.endsWith('}') ? p.body : '{}') as { id?: string }).id)));
    const published = tap.received
      .filter((m) => MESSAGING_TYPES.test(m.routingKey) && typeof m.body['id'] === 'string' && !poisonIds.has(m.body['id']))
      .map((m) => ({ event_id: String(m.body['id']), type: m.routingKey }));
    const inbox = async () => new Set((await queryDatabase<{ event_id: string }>(messaging.database, 'SELECT event_id FROM inbox_event')).map((r) => r.event_id));
    await waitFor(async () => {
      const seen = await inbox();
      return published.every((e) => seen.has(e.event_id));
    }, { timeoutMs: 60_000, intervalMs: 250, what: 'messaging to consume every valid event' }).catch(() => undefined);
    const seen = await inbox();
    const lost = published.filter((e) => !seen.has(e.event_id));
    const [{ n: inboxRows }] = await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(*) AS n FROM inbox_event');
    const [{ n: distinctInbox }] = await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(DISTINCT event_id) AS n FROM inbox_event');
    const confirmations = await queryDatabase<{ n: number }>(messaging.database, "SELECT COUNT(*) AS n FROM message WHERE kind = 'CONFIRMATION'").catch(() => [{ n: -1 }]);

    const deadLettered = await waitFor(async () => {
      const depth = (await queueDepth(vhost.url, DLQ)) - depthBefore;
      return depth >= poison.length * 2 ? depth : 0;
    }, { timeoutMs: 30_000, intervalMs: 250, what: 'the poison messages in the dead-letter queue' }).catch(async () => (await queueDepth(vhost.url, DLQ)) - depthBefore);
    // The monitor polls the queue every 15 s: /health shows the depth within ~20 s.
    const health = await waitFor(async () => {
      const body = (await (await fetch(`${messaging.baseUrl}/health`)).json()) as { details?: { deadLetters?: { depth?: number | null } } };
      return (body.details?.deadLetters?.depth ?? 0) >= poison.length * 2 ? body : undefined;
    }, { timeoutMs: 25_000, intervalMs: 500, what: '/health to show the dead-letter depth' }).catch(() => undefined);
    // Dead-lettered once, not redelivered in a loop: the depth stays put.
    await new Promise((r) => setTimeout(r, 1_500));
    const depthLater = (await queueDepth(vhost.url, DLQ)) - depthBefore;

    report('poison messages across services', {
      'poison messages published': `${poison.length * 2} (${poison.map((p) => `${p.key}: ${p.why}`).join('; ')}), each twice`,
      'dead-lettered (messaging.core-events.dlq depth)': deadLettered,
      'dead-letter depth 1.5 s later (no redelivery loop)': depthLater,
      "messaging /health deadLetters": health ? JSON.stringify((health as { details: { deadLetters: unknown } }).details.deadLetters) : 'not shown within 25 s',
      'bookings made around the poison': tally(attempts),
      'valid events core-api published (messaging-bound)': published.length,
      'received by messaging (inbox rows / distinct)': `${inboxRows} / ${distinctInbox}`,
      'lost (published, never in the inbox)': lost.length,
      'booking confirmations queued by messaging': confirmations[0].n,
      'messaging process': messaging.process.alive() ? 'alive' : 'DEAD',
    });

    expect(attempts.filter((a) => a.status !== 201)).toEqual([]);
    expect(deadLettered).toBe(poison.length * 2);
    expect(depthLater).toBe(poison.length * 2);
    expect(health).toBeDefined();
    expect(lost.map((e) => e.type)).toEqual([]);
    expect(messaging.process.alive()).toBe(true);
  });
});
