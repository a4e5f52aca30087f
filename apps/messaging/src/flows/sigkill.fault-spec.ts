import { publishRaw, queryDatabase, waitFor } from '@chairbook/testing';
import { BuiltMessaging, startBuiltMessaging } from '../test-support/built-service';
import { salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { deliveryCounts, formatCounts } from '../test-support/fault-counts';
import { FakeTwilio } from '../test-support/fake-twilio';
import { bringRemindersDue, publishBookingBurst, waitForBookingsHandled } from '../test-support/reminder-burst';

const BURST = Number(process.env['SIGKILL_BURST'] ?? 10_000);
const LEASE_MS = 10_000;
const mobile = (i: number) => `+35383${String(3_000_000 + i).padStart(7, '0')}`;
const isConfirmation = (m: { body: string }) => m.body.includes('is confirmed');
const isReminder = (m: { body: string }) => m.body.includes('a reminder of your appointment');

/**
 * The built service (`node dist/main.js`) killed with SIGKILL in the middle of a burst of
 * 10,000 booking confirmations, started again, then (the clock moved on so that every reminder
 * falls due at once) killed again in the middle of the burst of their 10,000 reminders and
 * started again. Every message reaches the fake Twilio exactly once:
 * events the dead process had not acked are redelivered and dropped by the inbox; messages it
 * left SENDING are, once their lease runs out, looked up in the provider's message list
 * (which the fake answers) and recorded as sent instead of sent again.
 */
describe(`SIGKILL of the built messaging service mid-burst (${BURST} confirmations, then ${BURST} reminders)`, () => {
  let messaging: BuiltMessaging;
  const twilio = new FakeTwilio();
  const core = new FakeCoreApi();
  const salon = salonEvents();
  const count = (match: (m: { body: string }) => boolean) => twilio.messages.filter(match).length;
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) => queryDatabase<T>(messaging.database, query, params);

  beforeAll(async () => {
    await Promise.all([twilio.start(), core.start()]);
    messaging = await startBuiltMessaging({
      name: 'messaging-sigkill',
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_API_BASE_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: 'token',
        SMS_FROM: '+353861000000',
        SMS_RATE_PER_SECOND: '100000',
        SMS_TIMEOUT_MS: '2000',
        CORE_API_URL: core.url,
        MESSAGING_POLL_MS: '100',
        MESSAGING_SEND_LEASE_MS: String(LEASE_MS),
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
  }, 120_000);
  afterAll(async () => {
    await messaging?.close();
    await Promise.all([twilio.stop(), core.stop()]);
  });

  it('sends every confirmation and every reminder exactly once across two kills', async () => {
    const began = Date.now();
    const since = (t = Date.now()) => `${((t - began) / 1000).toFixed(1)} s`;
    // Appointments a day and an hour away: reminders (24 h before) due in an hour, until the clock is moved on below.
    const start = new Date(began + 25 * 3600_000);
    const expected = Array.from({ length: BURST }, (_, i) => mobile(i));
    const kills: string[] = [];
    const killAndRestart = async (what: string, sent: number) => {
      const at = Date.now();
      const pid = messaging.pid();
      const exit = await messaging.kill('SIGKILL');
      const [open] = await sql<{ sending: number; queued: number }>("SELECT SUM(status = 'SENDING') AS sending, SUM(status = 'QUEUED') AS queued FROM message");
      const atProvider = twilio.messages.length;
      await messaging.start();
      kills.push(
        `  SIGKILL (pid ${pid}, ${exit.signal}) at ${since(at)} during the ${what} (${sent} sent): left ${Number(open.sending ?? 0)} SENDING, ${Number(open.queued ?? 0)} QUEUED; ` +
          `provider had ${atProvider}; restarted and ready in ${((Date.now() - at) / 1000).toFixed(1)} s`,
      );
    };

    await publishBookingBurst(messaging.rabbitUrl, salon, start, BURST, mobile);

    await waitFor(() => count(isConfirmation) >= BURST / 3, { timeoutMs: 120_000, intervalMs: 20, what: 'a third of the confirmations' });
    await killAndRestart('confirmations', count(isConfirmation));
    await waitForBookingsHandled(sql, BURST);
    const consumed = Date.now();
    await waitFor(() => count(isConfirmation) >= BURST, { timeoutMs: 120_000, intervalMs: 250, what: 'every confirmation at the provider' });
    const { due, pending } = await bringRemindersDue(sql, start);
    expect(pending).toBe(BURST);

    await waitFor(() => count(isReminder) >= BURST / 3, { timeoutMs: 120_000, intervalMs: 20, what: 'a third of the reminders' });
    await killAndRestart('reminders', count(isReminder));

    await waitFor(
      async () => {
        const [row] = await sql<{ sent: number; open: number; fired: number }>(
          "SELECT SUM(status = 'SENT') AS sent, SUM(status IN ('QUEUED', 'SENDING')) AS open, (SELECT COUNT(*) FROM reminder WHERE status = 'FIRED') AS fired FROM message",
        );
        return Number(row.sent) >= 2 * BURST && Number(row.open) === 0 && Number(row.fired) === BURST;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'every message sent and recorded' },
    );
    const settled = Date.now();
    await new Promise((r) => setTimeout(r, 1_000));

    const confirmations = deliveryCounts(twilio.messages, expected, isConfirmation);
    const reminders = deliveryCounts(twilio.messages, expected, isReminder);
    const [rows] = await sql<{ total: number; reclaimed: number }>('SELECT COUNT(*) AS total, SUM(attempts > 1) AS reclaimed FROM message');
    process.stdout.write(
      `\nSIGKILL mid-burst, built service (all bookings handled at ${since(consumed)}, reminders due at ${since(due)}, settled at ${since(settled)})\n` +
        `${kills.join('\n')}\n` +
        `  ${formatCounts('confirmations', confirmations)}\n` +
        `  ${formatCounts('reminders', reminders)}\n` +
        `  message rows ${rows.total}, claimed again after a kill ${Number(rows.reclaimed ?? 0)}, provider message-list lookups ${twilio.lookups}, provider requests ${twilio.requests}\n`,
    );
    expect(confirmations).toEqual({ expected: BURST, received: BURST, duplicates: 0, lost: 0 });
    expect(reminders).toEqual({ expected: BURST, received: BURST, duplicates: 0, lost: 0 });
    expect(twilio.messages).toHaveLength(2 * BURST);
  }, 600_000);
});
