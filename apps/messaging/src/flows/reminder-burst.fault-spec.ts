import { createEvent, DOMAIN_EVENTS_EXCHANGE } from '@chairbook/contracts';
import { queryDatabase, waitFor } from '@chairbook/testing';
import amqplib from 'amqplib';
import { appointment, contact, newId, salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { FakeTwilio } from '../test-support/fake-twilio';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

const BURST = Number(process.env['REMINDER_BURST'] ?? 10_000);

/**
 * 10,000 bookings whose reminders fall due together, with the broker cut in the middle of the
 * burst and restored: every confirmation and every reminder reaches the provider exactly once.
 */
describe(`reminder burst of ${BURST} with the broker cut and restored`, () => {
  let messaging: MessagingHarness;
  const twilio = new FakeTwilio();
  const core = new FakeCoreApi();
  const salon = salonEvents();

  beforeAll(async () => {
    await Promise.all([twilio.start(), core.start()]);
    messaging = await startMessaging({
      proxyBroker: true,
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_API_BASE_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: 'token',
        SMS_FROM: '+353861000000',
        SMS_RATE_PER_SECOND: '100000',
        CORE_API_URL: core.url,
        MESSAGING_DISPATCH_BATCH: '500',
        MESSAGING_POLL_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await messaging?.close();
    await Promise.all([twilio.stop(), core.stop()]);
  });

  it('delivers every confirmation and reminder exactly once', async () => {
    const connection = await amqplib.connect(messaging.rabbitUrl);
    const channel = await connection.createConfirmChannel();
    const publish = (e: { type: string }) => channel.publish(DOMAIN_EVENTS_EXCHANGE, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    for (const e of salon.events) publish(e);
    await channel.waitForConfirms();
    const auth = core.addUser('owner@example.test', 'pw', { userId: 'u1', businessId: salon.businessId, role: 'OWNER' });
    await waitFor(async () => (await queryDatabase(messaging.database, 'SELECT 1 FROM branch_profile JOIN business_profile USING (business_id)')).length, { what: 'salon known' });
    const put = await fetch(`${messaging.baseUrl}/messaging/business/${salon.businessId}/branch/${salon.branchId}/settings`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reminderOffsetsMinutes: [1440], dailySmsLimit: 1_000_000 }),
    });
    expect(put.status).toBe(200);
    // Every reminder falls due ~40 s from now, while confirmations are still flowing.
    const start = new Date(Date.now() + 24 * 3600_000 + 40_000);
    for (let i = 0; i < BURST; i++) {
      const bookingId = newId();
      const clientId = newId();
      const client = contact({ mobile: `+35387${String(2_000_000 + i).padStart(7, '0')}`, email: null });
      publish(createEvent('booking.confirmed', { bookingId, clientId, source: 'API', client, appointments: [appointment(start, { bookingId, clientId })] }, { businessId: salon.businessId, branchId: salon.branchId }));
      if (i % 500 === 499) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
    await connection.close();

    await waitFor(() => twilio.messages.length >= BURST / 4, { timeoutMs: 120_000, what: 'a quarter of the confirmations' });
    await messaging.brokerProxy!.cut();
    const atCut = twilio.messages.length;
    await new Promise((r) => setTimeout(r, 3_000));
    await messaging.brokerProxy!.restore();

    await waitFor(() => twilio.messages.length >= 2 * BURST, { timeoutMs: 300_000, intervalMs: 500, what: 'all confirmations and reminders' });
    await new Promise((r) => setTimeout(r, 2_000));
    const counts = twilio.countsByBody();
    const reminders = twilio.messages.filter((m) => m.body.includes('a reminder of your appointment'));
    const confirmations = twilio.messages.filter((m) => m.body.includes('is confirmed'));
    process.stdout.write(`\nbroker cut at ${atCut} provider calls; confirmations ${confirmations.length}, reminders ${reminders.length}, duplicates ${[...counts.values()].filter((n) => n > 1).length}\n`);
    expect(confirmations).toHaveLength(BURST);
    expect(reminders).toHaveLength(BURST);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const fired = await queryDatabase<{ n: number }>(messaging.database, "SELECT COUNT(*) AS n FROM reminder WHERE status = 'FIRED'");
    expect(Number(fired[0].n)).toBe(BURST);
  });
});
