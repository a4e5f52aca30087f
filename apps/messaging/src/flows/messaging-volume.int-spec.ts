import { createEvent, DOMAIN_EVENTS_EXCHANGE } from '@chairbook/contracts';
import { publishRaw, queryDatabase, queueDepth, waitFor } from '@chairbook/testing';
import amqplib from 'amqplib';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { appointment, contact, newId, salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { FakeTwilio } from '../test-support/fake-twilio';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

const AUDIENCE = 5_000;
const BURST = 400;
const mobile = (i: number) => `+35386${String(1_000_000 + i).padStart(7, '0')}`;
const bookerMobile = (i: number) => `+35385${String(1_000_000 + i).padStart(7, '0')}`;

/**
 * Messaging at volume, end to end (real MariaDB and RabbitMQ, fake Twilio):
 * - a 5,000-recipient SMS campaign: the audience is only the consenting, lapsed, not-opted-out
 *   clients; quiet hours hold it back; STOPs and withdrawn consent that arrive after it was
 *   queued still stop those messages; every other recipient gets exactly one message, and
 *   expanding the audience again sends nothing (the 100,000-recipient timing run is
 *   campaign-throughput.perf-spec.ts);
 * - a burst of bookings through the batching consumer: confirmed once each, duplicates (in one
 *   batch, or a redelivery of an event handled long ago) change nothing, and a poison event that
 *   fails its handler is dead-lettered after the queue's delivery limit, visible in /health and
 *   /metrics, while the rest of its batch flows.
 */
describe('messaging at volume: a campaign and a burst of bookings', () => {
  let messaging: MessagingHarness;
  const twilio = new FakeTwilio();
  const core = new FakeCoreApi();
  const salon = salonEvents();
  let owner: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${messaging.baseUrl}/messaging/business/${salon.businessId}${path}`, { ...init, headers: { authorization: owner, 'content-type': 'application/json' } });
  const settings = (body: object) => api(`/branch/${salon.branchId}/settings`, { method: 'PUT', body: JSON.stringify(body) });
  const clientIds: string[] = [];

  beforeAll(async () => {
    await Promise.all([twilio.start(), core.start()]);
    owner = core.addUser('owner@example.test', 'pw', { userId: 'u1', businessId: salon.businessId, role: 'OWNER' });
    messaging = await startMessaging({
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_API_BASE_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: 'token',
        SMS_FROM: '+353861000000',
        SMS_RATE_PER_SECOND: '100000',
        CORE_API_URL: core.url,
        MESSAGING_POLL_MS: '100',
        MESSAGING_DLQ_POLL_MS: '500',
      },
    });
    for (const e of salon.events) await publishRaw(messaging.rabbitUrl, e.type, JSON.stringify(e));
    await waitFor(async () => (await queryDatabase(messaging.database, 'SELECT 1 FROM branch_profile JOIN business_profile USING (business_id)')).length, { what: 'salon known' });
    expect((await settings({ dailySmsLimit: 1_000_000 })).status).toBe(200);
    const now = new Date();
    const lapsed = new Date(now.getTime() - 20 * 7 * 24 * 3600_000);
    const rows: unknown[][] = [];
    // The audience, then people who must not get it: no marketing consent, seen recently, opted out.
    for (let i = 0; i < AUDIENCE; i++) {
      const id = newId();
      clientIds.push(id);
      rows.push([id, salon.businessId, `Client${i}`, 'Test', mobile(i), 1, lapsed]);
    }
    for (let i = AUDIENCE; i < AUDIENCE + 100; i++) rows.push([newId(), salon.businessId, `NoConsent${i}`, 'Test', mobile(i), 0, lapsed]);
    for (let i = AUDIENCE + 100; i < AUDIENCE + 200; i++) rows.push([newId(), salon.businessId, `Recent${i}`, 'Test', mobile(i), 1, now]);
    for (let i = AUDIENCE + 200; i < AUDIENCE + 250; i++) rows.push([newId(), salon.businessId, `OptedOut${i}`, 'Test', mobile(i), 1, lapsed]);
    await queryDatabase(
      messaging.database,
      'INSERT INTO client_contact (client_id, business_id, first_name, last_name, mobile, sms_marketing_consent, last_visit_at, as_of, updated_at) VALUES ?',
      [rows.map((r) => [...r, new Date(now.getTime() - 60_000), now])],
    );
    await queryDatabase(messaging.database, 'INSERT INTO opt_out (scope, channel, address, opted_out, updated_at) VALUES ?', [
      Array.from({ length: 50 }, (_, i) => ['*', 'SMS', mobile(AUDIENCE + 200 + i), 1, now]),
    ]);
  }, 120_000);
  afterAll(async () => {
    await messaging?.close();
    await Promise.all([twilio.stop(), core.stop()]);
  });

  it('reaches each consenting recipient once, honouring quiet hours, late STOPs and withdrawn consent', async () => {
    // Quiet hours around the branch's current local time: the campaign is queued, not sent.
    const local = DateTime.now().setZone('Europe/Dublin');
    const hhmm = (t: DateTime) => t.toFormat('HH:mm');
    expect((await settings({ quietHours: { start: hhmm(local.minus({ hours: 1 })), end: hhmm(local.plus({ hours: 2 })) } })).status).toBe(200);
    const segment = { type: 'NOT_SEEN_FOR_WEEKS', weeks: 8 };
    const body = 'Hi {{firstName}}, 20% off colour at {{salonName}} this month!';
    const preview = (await (await api('/campaigns/preview', { method: 'POST', body: JSON.stringify({ branchId: salon.branchId, channel: 'SMS', segment, body }) })).json()) as {
      segmentSize: number;
      audienceSize: number;
    };
    expect(preview).toMatchObject({ segmentSize: AUDIENCE + 150, audienceSize: AUDIENCE });
    const { campaignId } = (await (await api('/campaigns', { method: 'POST', body: JSON.stringify({ branchId: salon.branchId, channel: 'SMS', segment, name: 'Colour', body }) })).json()) as {
      campaignId: string;
    };
    expect((await api(`/campaigns/${campaignId}/send`, { method: 'POST', body: '{}' })).status).toBeLessThan(300);
    const progress = async () => (await (await api(`/campaigns/${campaignId}`)).json()) as { status: string; audienceSize: number; progress: Record<string, number> };
    await waitFor(async () => (await progress()).status === 'SENDING', { timeoutMs: 60_000, what: 'audience queued' });
    expect(await progress()).toMatchObject({ audienceSize: AUDIENCE, progress: { queued: AUDIENCE, sent: 0 } });
    await new Promise((r) => setTimeout(r, 500));
    expect(twilio.messages).toHaveLength(0);
    await expect(api(`/campaigns/${campaignId}/send`, { method: 'POST', body: '{}' })).resolves.toMatchObject({ status: 409 });

    // While it waits: ten recipients reply STOP (recorded as opt-outs), ten withdraw consent in core-api.
    await queryDatabase(messaging.database, 'INSERT INTO opt_out (scope, channel, address, opted_out, updated_at) VALUES ?', [
      Array.from({ length: 10 }, (_, i) => ['*', 'SMS', mobile(i), 1, new Date()]),
    ]);
    for (let i = 10; i < 20; i++) {
      const consent = { clientId: clientIds[i], smsReminderConsent: true, emailReminderConsent: false, smsMarketingConsent: false, emailMarketingConsent: false };
      const e = createEvent('client.consent_changed', consent, { businessId: salon.businessId });
      await publishRaw(messaging.rabbitUrl, e.type, JSON.stringify(e));
    }
    await waitFor(async () => Number((await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(*) AS n FROM client_contact WHERE sms_marketing_consent = 0 AND first_name LIKE ?', ['Client%']))[0].n) === 10, {
      what: 'consent withdrawn',
    });

    // Quiet hours end (the clock moved on): the dispatcher takes them now.
    expect((await settings({ quietHours: { start: '00:00', end: '00:00' } })).status).toBe(200);
    await queryDatabase(messaging.database, 'UPDATE message SET not_before = NOW(3) WHERE campaign_id = ?', [campaignId]);
    const done = await waitFor(async () => ((await progress()).status === 'COMPLETED' ? progress() : undefined), { timeoutMs: 120_000, intervalMs: 250, what: 'campaign completed' });
    expect(done.progress).toMatchObject({ queued: 0, sent: AUDIENCE - 20, blocked: 20, failed: 0 });

    const counts = twilio.countsByBody();
    const received = new Set(twilio.messages.map((m) => m.to));
    const expected = Array.from({ length: AUDIENCE - 20 }, (_, i) => mobile(i + 20));
    const lost = expected.filter((to) => !received.has(to)).length;
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(`campaign of ${AUDIENCE}: provider received ${twilio.messages.length} (${received.size} distinct), duplicates ${duplicates}, lost ${lost}, blocked 20\n`);
    expect([twilio.messages.length, received.size, duplicates, lost]).toEqual([AUDIENCE - 20, AUDIENCE - 20, 0, 0]);
    expect(twilio.messages.every((m) => /^Hi Client\d+, 20% off colour at Foundation Hair this month!\nReply STOP to opt out$/.test(m.body))).toBe(true);
    const blocked = await queryDatabase<{ reason: string; n: number }>(
      messaging.database,
      "SELECT status_reason AS reason, COUNT(*) AS n FROM message WHERE campaign_id = ? AND status = 'BLOCKED' GROUP BY status_reason ORDER BY status_reason",
      [campaignId],
    );
    expect(blocked.map((b) => [b.reason, Number(b.n)])).toEqual([
      ['NO_MARKETING_CONSENT', 10],
      ['OPTED_OUT', 10],
    ]);

    // A crash mid-expansion resumes from the cursor; even expanding it all again queues nothing new.
    await queryDatabase(messaging.database, "UPDATE campaign SET status = 'EXPANDING', expansion_cursor = NULL WHERE id = ?", [campaignId]);
    await waitFor(async () => (await progress()).status === 'COMPLETED', { timeoutMs: 60_000, what: 'second expansion finished' });
    await new Promise((r) => setTimeout(r, 300));
    const [{ n }] = await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(*) AS n FROM message WHERE campaign_id = ?', [campaignId]);
    expect([Number(n), twilio.messages.length]).toEqual([AUDIENCE, AUDIENCE - 20]);
  }, 180_000);

  const confirmed = (i: number, appointmentId = newId()) => {
    const bookingId = newId();
    const clientId = newId();
    const start = new Date(Date.now() + 5 * 24 * 3600_000 + i * 60_000);
    return createEvent(
      'booking.confirmed',
      { bookingId, clientId, source: 'API', client: contact({ mobile: bookerMobile(i), email: null }), appointments: [appointment(start, { bookingId, clientId, appointmentId })] },
      { businessId: salon.businessId, branchId: salon.branchId },
    );
  };

  it('confirms a burst once each, drops duplicates, dead-letters a poison event and keeps the rest flowing', async () => {
    const before = twilio.messages.length;
    const early = confirmed(0);
    await publishRaw(messaging.rabbitUrl, early.type, JSON.stringify(early));
    await waitFor(() => twilio.messages.length === before + 1, { what: 'the first confirmation' });

    const events = Array.from({ length: BURST - 1 }, (_, i) => confirmed(i + 1));
    // Meets the contract (ids up to 64 characters) but fails its handler on every delivery: core-api's ids are 22.
    const poison = confirmed(BURST, 'x'.repeat(40));
    const connection = await amqplib.connect(messaging.rabbitUrl);
    const channel = await connection.createConfirmChannel();
    const publish = (e: { type: string }) => channel.publish(DOMAIN_EVENTS_EXCHANGE, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    for (let i = 0; i < events.length; i++) {
      publish(events[i]);
      if (i === 10) publish(events[3]); // the same event twice, likely in one batch
      if (i === 200) publish(poison);
      if (i === 300) publish(early); // a redelivery of an event handled long ago
    }
    await channel.waitForConfirms();
    await connection.close();

    await waitFor(() => twilio.messages.length >= before + BURST, { timeoutMs: 60_000, what: 'every confirmation but the poison one' });
    const dlq = `${'messaging.core-events'}.dlq`;
    await waitFor(async () => (await queueDepth(messaging.rabbitUrl, dlq)) === 1, { timeoutMs: 60_000, what: 'the poison event dead-lettered' });
    await new Promise((r) => setTimeout(r, 500));

    const sms = twilio.messages.slice(before);
    const counts = new Map<string, number>();
    for (const m of sms) counts.set(`${m.to}|${m.body}`, (counts.get(`${m.to}|${m.body}`) ?? 0) + 1);
    const received = new Set(sms.map((m) => m.to));
    const lost = Array.from({ length: BURST }, (_, i) => bookerMobile(i)).filter((to) => !received.has(to)).length;
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(`consumer burst: sent ${BURST} bookings (+2 duplicates, +1 poison), provider received ${sms.length}, duplicates ${duplicates}, lost ${lost}, dead-lettered 1\n`);
    expect([sms.length, duplicates, lost]).toEqual([BURST, 0, 0]);
    const [inbox] = await queryDatabase<{ n: number }>(messaging.database, "SELECT COUNT(*) AS n FROM inbox_event WHERE type = 'booking.confirmed'");
    expect(Number(inbox.n)).toBe(BURST);
    // Each row claimed on insert (ids taken from the insert, not read back) is recorded with the
    // provider id of its own SMS: same recipient and body.
    const bySid = new Map(sms.map((m) => [m.sid, m]));
    await waitFor(async () => Number((await queryDatabase<{ n: number }>(messaging.database, "SELECT COUNT(*) AS n FROM message WHERE kind = 'CONFIRMATION' AND status = 'SENDING'"))[0].n) === 0, {
      what: 'every confirmation recorded',
    });
    const rows = await queryDatabase<{ recipient: string; body: string; provider_message_id: string }>(
      messaging.database,
      "SELECT recipient, body, provider_message_id FROM message WHERE kind = 'CONFIRMATION' AND recipient LIKE '+35385%' AND status = 'SENT'",
    );
    expect(rows.length).toBe(BURST);
    expect(rows.filter((r) => bySid.get(r.provider_message_id)?.to !== r.recipient || bySid.get(r.provider_message_id)?.body !== r.body)).toEqual([]);

    const metrics = await (await fetch(`${messaging.baseUrl}/metrics`)).text();
    const metric = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
    expect(metric(/^messaging_dead_letter_depth\{queue="messaging\.core-events\.dlq"\} (\d+)/m)).toBe(1);
    expect(metric(/^events_consumed_total\{[^}]*type="booking\.confirmed",outcome="duplicate"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(metric(/^events_consumed_total\{[^}]*type="booking\.confirmed",outcome="retried"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    // Batched: far fewer transactions than events.
    expect(metric(/^messaging_event_batch_size_count (\d+)/m)).toBeLessThan(BURST / 2);
    const health = await fetch(`${messaging.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { details: Record<string, unknown> }).details['deadLetters']).toEqual({ status: 'up', queue: dlq, depth: 1 });
  }, 120_000);

  it('sends a confirmation once when its booking is confirmed again under another event id (the fast path steps aside)', async () => {
    const before = twilio.messages.length;
    // Claimed as they are queued, confirmations go out without the dispatcher's claim; a
    // booking confirmed twice (two event ids, same booking and time) queues one message, sent once,
    // whether the copy comes in the same burst or after the first was sent.
    const events = Array.from({ length: 20 }, (_, i) => confirmed(BURST + 100 + i));
    const copy = (e: (typeof events)[number]) => ({ ...e, id: randomUUID() });
    const connection = await amqplib.connect(messaging.rabbitUrl);
    const channel = await connection.createConfirmChannel();
    const publish = (e: { type: string }) => channel.publish(DOMAIN_EVENTS_EXCHANGE, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    events.forEach((e, i) => {
      publish(e);
      if (i === 5) publish(copy(events[2]));
    });
    await channel.waitForConfirms();
    await waitFor(() => twilio.messages.length >= before + events.length, { timeoutMs: 60_000, what: 'the burst confirmed' });
    publish(copy(events[7]));
    await channel.waitForConfirms();
    await connection.close();
    const [inbox] = await queryDatabase<{ n: number }>(messaging.database, 'SELECT COUNT(*) AS n FROM inbox_event WHERE event_id IN (?)', [events.map((e) => e.id)]);
    expect(Number(inbox.n)).toBe(events.length);
    await waitFor(async () => Number((await queryDatabase<{ n: number }>(messaging.database, "SELECT COUNT(*) AS n FROM inbox_event WHERE type = 'booking.confirmed'"))[0].n) === BURST + events.length + 2, {
      what: 'both copies handled',
    });
    await new Promise((r) => setTimeout(r, 500));
    const sms = twilio.messages.slice(before);
    expect(sms).toHaveLength(events.length);
    expect(new Set(sms.map((m) => m.to)).size).toBe(events.length);
    const rows = await queryDatabase<{ status: string; n: number }>(messaging.database, 'SELECT status, COUNT(*) AS n FROM message WHERE recipient IN (?) GROUP BY status', [
      events.map((e) => e.data.client.mobile),
    ]);
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['SENT', events.length]]);
  }, 90_000);
});
