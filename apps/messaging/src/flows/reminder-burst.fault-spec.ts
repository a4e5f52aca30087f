import { publishRaw, queryDatabase, waitFor } from '@chairbook/testing';
import { salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { deliveryCounts, formatCounts } from '../test-support/fault-counts';
import { FakeTwilio } from '../test-support/fake-twilio';
import { bringRemindersDue, publishBookingBurst, waitForBookingsHandled } from '../test-support/reminder-burst';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

const BURST = Number(process.env['REMINDER_BURST'] ?? 10_000);
const mobile = (i: number) => `+35387${String(2_000_000 + i).padStart(7, '0')}`;
const isConfirmation = (m: { body: string }) => m.body.includes('is confirmed');
const isReminder = (m: { body: string }) => m.body.includes('a reminder of your appointment');

/**
 * 10,000 bookings arrive (each confirmed by SMS) with the broker cut and restored mid-burst;
 * then the clock moves on (the test shifts the whole schedule: appointments and reminder times)
 * so that all their reminders fall due at the same moment, and the database is cut and restored
 * in the middle of that reminder burst. Every confirmation and every reminder reaches the fake
 * provider exactly once: the inbox drops redelivered events, the idempotency keys drop second
 * inserts, and a message whose outcome a cut left unknown is looked up before any resend.
 */
describe(`reminder burst of ${BURST}: broker cut during the bookings, database cut during the reminders`, () => {
  let messaging: MessagingHarness;
  const twilio = new FakeTwilio();
  const core = new FakeCoreApi();
  const salon = salonEvents();
  const count = (match: (m: { body: string }) => boolean) => twilio.messages.filter(match).length;
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) => queryDatabase<T>(messaging.database, query, params);

  beforeAll(async () => {
    await Promise.all([twilio.start(), core.start()]);
    messaging = await startMessaging({
      proxyBroker: true,
      proxyDatabase: true,
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_API_BASE_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: 'token',
        SMS_FROM: '+353861000000',
        SMS_RATE_PER_SECOND: '100000',
        SMS_TIMEOUT_MS: '3000',
        CORE_API_URL: core.url,
        MESSAGING_POLL_MS: '100',
        // A send whose outcome the cut left unknown is reconciled after this lease (then looked up, not resent).
        MESSAGING_SEND_LEASE_MS: '15000',
      },
    });
    for (const e of salon.events) await publishRaw(messaging.rabbitUrl, e.type, JSON.stringify(e));
    await waitFor(async () => (await sql('SELECT 1 FROM branch_profile JOIN business_profile USING (business_id)')).length, { what: 'salon known' });
    const auth = core.addUser('owner@example.test', 'pw', { userId: 'u1', businessId: salon.businessId, role: 'OWNER' });
    const put = await fetch(`${messaging.baseUrl}/messaging/business/${salon.businessId}/branch/${salon.branchId}/settings`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reminderOffsetsMinutes: [1440], dailySmsLimit: 1_000_000 }),
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await messaging?.close();
    await Promise.all([twilio.stop(), core.stop()]);
  });

  it('delivers every confirmation and every reminder exactly once', async () => {
    const began = Date.now();
    const since = (t = Date.now()) => `${((t - began) / 1000).toFixed(1)} s`;
    // Appointments a day and an hour away: reminders (24 h before) due in an hour, until the clock is moved on below.
    const start = new Date(began + 25 * 3600_000);
    const expected = Array.from({ length: BURST }, (_, i) => mobile(i));

    // Phase 1: the bookings, with the broker cut mid-burst.
    await publishBookingBurst(messaging.rabbitUrl, salon, start, BURST, mobile);
    const published = Date.now();

    await waitFor(() => count(isConfirmation) >= BURST / 4, { timeoutMs: 120_000, what: 'a quarter of the confirmations' });
    const brokerCut = { at: Date.now(), confirmations: count(isConfirmation) };
    await messaging.brokerProxy!.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    await messaging.brokerProxy!.restore();

    await waitForBookingsHandled(sql, BURST);
    const consumed = Date.now();
    await waitFor(() => count(isConfirmation) >= BURST, { timeoutMs: 120_000, intervalMs: 250, what: 'every confirmation at the provider' });
    const { due, pending } = await bringRemindersDue(sql, start);
    expect(pending).toBe(BURST);

    // Phase 2: every reminder falls due at once; the database goes away in the middle of it.
    await waitFor(() => count(isReminder) >= BURST / 4, { timeoutMs: 120_000, intervalMs: 100, what: 'a quarter of the reminders' });
    const dbCut = { at: Date.now(), reminders: count(isReminder) };
    await messaging.dbProxy!.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    await messaging.dbProxy!.restore();

    // Settled: every message recorded as sent (none queued, none mid-send awaiting reconciliation).
    await waitFor(
      async () => {
        const [row] = await sql<{ sent: number; open: number; fired: number }>(
          "SELECT SUM(status = 'SENT') AS sent, SUM(status IN ('QUEUED', 'SENDING')) AS open, (SELECT COUNT(*) FROM reminder WHERE status = 'FIRED') AS fired FROM message",
        );
        return Number(row.sent) >= 2 * BURST && Number(row.open) === 0 && Number(row.fired) === BURST;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: 'every message sent and recorded' },
    );
    const settled = Date.now();
    await new Promise((r) => setTimeout(r, 1_000));

    const confirmations = deliveryCounts(twilio.messages, expected, isConfirmation);
    const reminders = deliveryCounts(twilio.messages, expected, isReminder);
    const [rows] = await sql<{ total: number; sent: number; reclaimed: number }>("SELECT COUNT(*) AS total, SUM(status = 'SENT') AS sent, SUM(first_claimed_at IS NOT NULL AND attempts > 1) AS reclaimed FROM message");
    process.stdout.write(
      `\nreminder burst of ${BURST} (published in ${since(published)}, all handled at ${since(consumed)}, reminders due at ${since(due)}, settled at ${since(settled)})\n` +
        `  broker cut for 3 s at ${since(brokerCut.at)} (${brokerCut.confirmations} confirmations sent)\n` +
        `  database cut for 3 s at ${since(dbCut.at)} (${dbCut.reminders} reminders sent)\n` +
        `  ${formatCounts('confirmations', confirmations)}\n` +
        `  ${formatCounts('reminders', reminders)}\n` +
        `  message rows ${rows.total}, SENT ${rows.sent}, claimed more than once ${rows.reclaimed}; provider requests ${twilio.requests}\n`,
    );
    expect(confirmations).toEqual({ expected: BURST, received: BURST, duplicates: 0, lost: 0 });
    expect(reminders).toEqual({ expected: BURST, received: BURST, duplicates: 0, lost: 0 });
    expect(twilio.messages).toHaveLength(2 * BURST);
  }, 600_000);
});
