import { publishRaw, queryDatabase, waitFor } from '@chairbook/testing';
import { BuiltMessaging, startBuiltMessaging } from '../test-support/built-service';
import { newId, salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { FakeTwilio } from '../test-support/fake-twilio';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

const RECIPIENTS = Number(process.env['CAMPAIGN_RECIPIENTS'] ?? 100_000);
/** `inprocess`: the service inside this Jest process (sharing its event loop with the fake provider). Default: the built service as its own process. */
const MODE = process.env['CAMPAIGN_MODE'] === 'inprocess' ? 'inprocess' : 'process';
/** Optional service settings to try, e.g. CAMPAIGN_SERVICE_ENV=MESSAGING_DISPATCH_BATCH=300,MESSAGING_DISPATCH_CONCURRENCY=32. */
const SERVICE_ENV: Record<string, string> = Object.fromEntries(
  (process.env['CAMPAIGN_SERVICE_ENV'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
/** Optional: `--require` a CPU profiler preload into the service (see tests/perf/lib/cpu-profiler.cjs, toggled by SIGWINCH). */
const PROFILER = process.env['CAMPAIGN_PROFILER'];

/**
 * A 100,000-recipient SMS campaign against the fake Twilio: expansion, dispatch, provider call
 * and status row for every recipient, timed from "send" to COMPLETED. Prints the time, the
 * rate and a timeline; the goal is under 60 s on 2 cores (not asserted: a timed assertion
 * would make the suite flaky on a busy machine). Exactly-once is asserted.
 */
describe(`campaign throughput: ${RECIPIENTS} recipients (${MODE})`, () => {
  let inProcess: MessagingHarness | undefined;
  let built: BuiltMessaging | undefined;
  let baseUrl = '';
  let database = '';
  const twilio = new FakeTwilio();
  const core = new FakeCoreApi();
  const salon = salonEvents();

  beforeAll(async () => {
    await Promise.all([twilio.start(), core.start()]);
    const env = {
      SMS_PROVIDER: 'twilio',
      SMS_API_BASE_URL: twilio.baseUrl,
      SMS_ACCOUNT_SID: twilio.accountSid,
      SMS_AUTH_TOKEN: 'token',
      SMS_FROM: '+353861000000',
      SMS_RATE_PER_SECOND: '100000',
      CORE_API_URL: core.url,
      ...SERVICE_ENV,
    };
    if (MODE === 'inprocess') {
      inProcess = await startMessaging({ env });
      baseUrl = inProcess.baseUrl;
      database = inProcess.database;
      await publishRaw(inProcess.rabbitUrl, salon.events[0].type, JSON.stringify(salon.events[0]));
      await publishRaw(inProcess.rabbitUrl, salon.events[1].type, JSON.stringify(salon.events[1]));
    } else {
      built = await startBuiltMessaging({ env, name: 'campaign-throughput', nodeArgs: PROFILER ? ['--require', PROFILER] : [] });
      baseUrl = built.baseUrl;
      database = built.database;
      for (const e of salon.events) await publishRaw(built.rabbitUrl, e.type, JSON.stringify(e));
    }
    await waitFor(async () => (await queryDatabase(database, 'SELECT 1 FROM branch_profile JOIN business_profile USING (business_id)')).length, { what: 'business and branch' });
    const now = new Date();
    for (let i = 0; i < RECIPIENTS; i += 5_000) {
      const rows: unknown[][] = [];
      for (let j = i; j < Math.min(RECIPIENTS, i + 5_000); j++) {
        rows.push([newId(), salon.businessId, `Client${j}`, 'Test', `+35387${String(1_000_000 + j).padStart(7, '0')}`, 1, new Date('2020-01-01T00:00:00Z'), now, now]);
      }
      await queryDatabase(
        database,
        'INSERT INTO client_contact (client_id, business_id, first_name, last_name, mobile, sms_marketing_consent, last_visit_at, as_of, updated_at) VALUES ?',
        [rows],
      );
    }
  }, 300_000);
  afterAll(async () => {
    await inProcess?.close();
    await built?.close();
    await Promise.all([twilio.stop(), core.stop()]);
  });

  it('sends every recipient exactly once and reports the time', async () => {
    const auth = core.addUser('owner@example.test', 'pw', { userId: 'u1', businessId: salon.businessId, role: 'OWNER' });
    const call = (path: string, body: unknown) =>
      fetch(`${baseUrl}/messaging/business/${salon.businessId}${path}`, { method: path.endsWith('settings') ? 'PUT' : 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call(`/branch/${salon.branchId}/settings`, { quietHours: { start: '00:00', end: '00:00' }, dailySmsLimit: 1_000_000 })).status).toBe(200);
    const segment = { type: 'NOT_SEEN_FOR_WEEKS', weeks: 8 };
    const body = 'Hi {{firstName}}, we miss you at {{salonName}}!';
    const preview = (await (await call('/campaigns/preview', { branchId: salon.branchId, channel: 'SMS', segment, body })).json()) as { audienceSize: number };
    expect(preview.audienceSize).toBe(RECIPIENTS);
    const created = (await (await call('/campaigns', { branchId: salon.branchId, channel: 'SMS', segment, name: 'Lapsed', body })).json()) as { campaignId: string };
    if (PROFILER && built) process.kill(built.pid()!, 'SIGWINCH');
    const started = Date.now();
    expect((await call(`/campaigns/${created.campaignId}/send`, {})).status).toBeLessThan(300);
    const timeline: string[] = [];
    let nextLine = 0;
    let expandedAfter: number | undefined;
    const done = await waitFor(
      async () => {
        const c = (await (await fetch(`${baseUrl}/messaging/business/${salon.businessId}/campaigns/${created.campaignId}`, { headers: { authorization: auth } })).json()) as {
          status: string;
          audienceSize: number | null;
          progress: { sent: number; queued: number; failed: number };
        };
        const t = (Date.now() - started) / 1000;
        if (expandedAfter === undefined && c.status !== 'EXPANDING' && c.status !== 'SCHEDULED') expandedAfter = t;
        if (t >= nextLine || c.status === 'COMPLETED') {
          timeline.push(`  ${t.toFixed(1).padStart(5)} s  ${c.status.padEnd(10)} queued ${String(c.audienceSize ?? 0).padStart(6)}  sent ${String(c.progress.sent).padStart(6)}  at provider ${twilio.messages.length}`);
          nextLine = Math.floor(t / 5) * 5 + 5;
        }
        return c.status === 'COMPLETED' ? c : undefined;
      },
      { timeoutMs: 600_000, intervalMs: 250, what: 'campaign completed' },
    );
    const seconds = (Date.now() - started) / 1000;
    if (PROFILER && built) process.kill(built.pid()!, 'SIGWINCH');
    const counts = twilio.countsByBody();
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const received = counts.size;
    process.stdout.write(
      `\ncampaign of ${RECIPIENTS} SMS (${MODE}): ${seconds.toFixed(1)} s, ${Math.round(RECIPIENTS / seconds)} msg/s (goal < 60 s); ` +
        `audience queued in ${expandedAfter?.toFixed(1)} s; provider received ${twilio.messages.length} (${received} distinct), duplicates ${duplicates}, lost ${RECIPIENTS - received}\n` +
        `${timeline.join('\n')}\n`,
    );
    expect(done).toMatchObject({ progress: { sent: RECIPIENTS, queued: 0, failed: 0 } });
    expect(twilio.messages).toHaveLength(RECIPIENTS);
    expect(new Set(twilio.messages.map((m) => m.to)).size).toBe(RECIPIENTS);
    expect(twilio.messages[0].body).toMatch(/^Hi Client\d+, we miss you at Foundation Hair!\nReply STOP to opt out$/);
    const [rows] = await queryDatabase<{ sent: number; with_sid: number }>(
      database,
      "SELECT SUM(status = 'SENT') AS sent, COUNT(DISTINCT provider_message_id) AS with_sid FROM message WHERE campaign_id = ?",
      [created.campaignId],
    );
    expect([Number(rows.sent), Number(rows.with_sid)]).toEqual([RECIPIENTS, RECIPIENTS]);
  });
});
