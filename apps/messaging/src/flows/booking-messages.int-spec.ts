import { createEvent, DomainEvent } from '@chairbook/contracts';
import { verifyManageToken } from '@chairbook/platform';
import { captureEvents, publishRaw, queryDatabase, waitFor } from '@chairbook/testing';
import { twilioSignature } from '../channels/sms/adapters/twilio/twilio.adapter';
import { appointment, contact, newId, salonEvents } from '../test-support/events';
import { FakeCoreApi } from '../test-support/fake-core-api';
import { decodeQuotedPrintable, FakeSmtp } from '../test-support/fake-smtp';
import { FakeTwilio } from '../test-support/fake-twilio';
import { MessagingHarness, startMessaging } from '../test-support/messaging-harness';

const AUTH_TOKEN = 'test-auth-token-0123456789';
const PUBLIC_URL = 'http://messaging.test';
const SECRET = 'test-link-signing-secret-0123';

describe('booking messages end to end (real MariaDB and RabbitMQ, fake Twilio, local SMTP)', () => {
  let messaging: MessagingHarness;
  const twilio = new FakeTwilio();
  const smtp = new FakeSmtp();
  const core = new FakeCoreApi();
  const salon = salonEvents();
  let owner: string;
  let capture: Awaited<ReturnType<typeof captureEvents>>;

  const publish = async (...events: DomainEvent[]) => {
    for (const e of events) await publishRaw(messaging.rabbitUrl, e.type, JSON.stringify(e));
  };
  const api = (path: string, init: RequestInit = {}, auth = owner) =>
    fetch(`${messaging.baseUrl}/messaging/business/${salon.businessId}${path}`, { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const smsTo = (to: string) => twilio.messages.filter((m) => m.to === to);

  beforeAll(async () => {
    await Promise.all([twilio.start(), smtp.start(), core.start()]);
    owner = core.addUser('owner@example.test', 'pw-owner', { userId: 'u1', businessId: salon.businessId, role: 'OWNER' });
    messaging = await startMessaging({
      env: {
        SMS_PROVIDER: 'twilio',
        SMS_API_BASE_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: AUTH_TOKEN,
        SMS_FROM: '+353861000000',
        SMS_RATE_PER_SECOND: '1000',
        EMAIL_PROVIDER: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        CORE_API_URL: core.url,
        MESSAGING_PUBLIC_URL: PUBLIC_URL,
        LINK_SIGNING_SECRET: SECRET,
        MESSAGING_POLL_MS: '50',
      },
    });
    capture = await captureEvents(messaging.rabbitUrl, 'messaging.*');
    await publish(...salon.events);
    await waitFor(async () => (await queryDatabase(messaging.database, 'SELECT 1 FROM branch_profile')).length, { what: 'branch known' });
    // Deterministic regardless of the hour the suite runs: no quiet hours here.
    const res = await api(`/branch/${salon.branchId}/settings`, { method: 'PUT', body: JSON.stringify({ quietHours: { start: '00:00', end: '00:00' }, reminderOffsetsMinutes: [1440, 5] }) });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await capture?.close();
    await messaging?.close();
    await Promise.all([twilio.stop(), smtp.stop(), core.stop()]);
  });

  function booking(start: Date, client = contact(), clientId = newId()) {
    const bookingId = newId();
    const appt = appointment(start, { bookingId, clientId });
    const data = { bookingId, clientId, source: 'ONLINE' as const, client, appointments: [appt] };
    return { bookingId, appt, clientId, data, confirmed: createEvent('booking.confirmed', data, { businessId: salon.businessId, branchId: salon.branchId }) };
  }

  it('confirms a booking once by SMS and email, in the branch zone, with a signed manage link', async () => {
    const b = booking(new Date('2030-04-05T09:00:00Z'), contact({ mobile: '+353871111111', email: 'one@example.com' }));
    await publish(b.confirmed, b.confirmed); // redelivered
    await publish(createEvent('booking.confirmed', b.data, { businessId: salon.businessId, branchId: salon.branchId })); // a second event, same booking
    await waitFor(() => smsTo('+353871111111').length === 1 && smtp.mails.some((m) => m.to.includes('one@example.com')), { what: 'confirmation by SMS and email' });
    const sms = smsTo('+353871111111')[0];
    // 09:00 UTC on 5 April 2030 is 10:00 in Dublin (summer time began on 31 March).
    expect(sms.body).toMatch(/^Hi Siobhán, your booking at Foundation Hair is confirmed: Cut and Blow-dry with Ann on Friday, 5 April at 10:00\. To change or cancel: http:\/\/localhost:3001\/book\/manage\/\S+$/);
    expect(sms.from).toBe('+353861000000');
    expect(sms.auth).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sms.statusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/messaging/webhooks/sms/status\\?ref=\\d+$`));
    const token = /\/book\/manage\/(\S+)$/.exec(sms.body)![1];
    const claims = verifyManageToken(SECRET, token, Date.parse('2030-04-06T00:00:00Z'));
    expect(claims).toMatchObject({ bookingId: b.bookingId, businessId: salon.businessId, branchId: salon.branchId });
    expect(claims.exp).toBe(Date.parse('2030-04-05T09:45:00Z') / 1000 + 7 * 24 * 3600);
    const mail = smtp.mails.find((m) => m.to.includes('one@example.com'))!;
    expect(mail.headers.get('subject')).toBe('Your booking at Foundation Hair is confirmed');
    expect(mail.headers.get('from')).toMatch(/^"?Foundation Hair"? <no-reply@chairbook.local>$/);
    expect(mail.headers.get('content-type')).toMatch(/multipart\/alternative/);
    const decoded = decodeQuotedPrintable(mail.raw);
    expect(decoded).toContain('<h1 style="font-size:20px;margin:0 0 24px">Foundation Hair</h1>');
    expect(decoded).toContain('Friday, 5 April at 10:00');
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo('+353871111111')).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('one@example.com'))).toHaveLength(1);
    const reminders = await queryDatabase<{ offset_minutes: number; due_at: Date }>(messaging.database, 'SELECT offset_minutes, due_at FROM reminder WHERE booking_key = ? ORDER BY offset_minutes DESC', [b.bookingId]);
    expect(reminders.map((r) => [r.offset_minutes, new Date(r.due_at).toISOString()])).toEqual([
      [1440, '2030-04-04T09:00:00.000Z'],
      [5, '2030-04-05T08:55:00.000Z'],
    ]);
  });

  it('sends a reminder at its time, and none for a reminder time that had passed when booked', async () => {
    const b = booking(new Date(Date.now() + 5 * 60_000 + 1_500), contact({ mobile: '+353872222222', email: null }));
    await publish(b.confirmed);
    await waitFor(() => smsTo('+353872222222').length === 2, { timeoutMs: 10_000, what: 'confirmation then reminder' });
    expect(smsTo('+353872222222')[1].body).toMatch(/^Hi Siobhán, a reminder of your appointment at Foundation Hair: Cut and Blow-dry with Ann on .+ at \d\d:\d\d\./);
    const rows = await queryDatabase<{ offset_minutes: number; status: string }>(messaging.database, 'SELECT offset_minutes, status FROM reminder WHERE booking_key = ?', [b.bookingId]);
    // The 24 h reminder's time had passed at booking: never scheduled.
    expect(rows).toEqual([{ offset_minutes: 5, status: 'FIRED' }]);
  });

  it('moves reminders and tells the client when an appointment is rescheduled', async () => {
    const b = booking(new Date('2030-06-10T09:00:00Z'), contact({ mobile: '+353873333333', email: null }));
    await publish(b.confirmed);
    await waitFor(() => smsTo('+353873333333').length === 1, { what: 'confirmation' });
    const moved = { ...b.appt, startTime: '2030-06-12T14:00:00.000Z', endTime: '2030-06-12T14:45:00.000Z', client: b.data.client, previousStartTime: b.appt.startTime, previousEndTime: b.appt.endTime };
    await publish(createEvent('appointment.rescheduled', moved, { businessId: salon.businessId, branchId: salon.branchId }));
    await waitFor(() => smsTo('+353873333333').length === 2, { what: 'reschedule notice' });
    expect(smsTo('+353873333333')[1].body).toMatch(/has moved: Cut and Blow-dry with Ann is now on Wednesday, 12 June at 15:00\./);
    const rows = await queryDatabase<{ due_at: Date; status: string }>(messaging.database, 'SELECT due_at, status FROM reminder WHERE booking_key = ? ORDER BY id', [b.bookingId]);
    expect(rows.filter((r) => r.status === 'PENDING').map((r) => new Date(r.due_at).toISOString())).toEqual(['2030-06-11T14:00:00.000Z', '2030-06-12T13:55:00.000Z']);
    expect(rows.filter((r) => r.status === 'CANCELLED')).toHaveLength(2);
  });

  it('sends one cancellation notice whether the booking or its last appointment is cancelled, and drops reminders', async () => {
    const b = booking(new Date('2030-07-01T09:00:00Z'), contact({ mobile: '+353874444444', email: null }));
    await publish(b.confirmed);
    await waitFor(() => smsTo('+353874444444').length === 1, { what: 'confirmation' });
    const cancelled = { ...b.data, appointments: [{ ...b.appt, state: 'CANCELLED' }] };
    await publish(
      createEvent('booking.cancelled', cancelled, { businessId: salon.businessId, branchId: salon.branchId }),
      createEvent('appointment.cancelled', { ...b.appt, state: 'CANCELLED', client: b.data.client }, { businessId: salon.businessId, branchId: salon.branchId }),
    );
    await waitFor(() => smsTo('+353874444444').length === 2, { what: 'cancellation notice' });
    expect(smsTo('+353874444444')[1].body).toBe(
      'Hi Siobhán, your appointment at Foundation Hair on Monday, 1 July at 10:00 (Cut and Blow-dry) has been cancelled. Book again: http://localhost:3001/book/foundation-hair',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo('+353874444444')).toHaveLength(2);
    const pending = await queryDatabase(messaging.database, "SELECT 1 FROM reminder WHERE booking_key = ? AND status = 'PENDING'", [b.bookingId]);
    expect(pending).toHaveLength(0);
  });

  it('applies signed delivery callbacks forward only and refuses unsigned ones', async () => {
    const b = booking(new Date('2030-08-01T09:00:00Z'), contact({ mobile: '+353875555555', email: null }));
    await publish(b.confirmed);
    const sms = await waitFor(() => smsTo('+353875555555')[0], { what: 'confirmation' });
    const status = async (messageStatus: string, sign = true) => {
      const params = { MessageSid: sms.sid, MessageStatus: messageStatus, AccountSid: twilio.accountSid };
      const url = sms.statusCallback;
      const path = url.slice(PUBLIC_URL.length);
      return fetch(`${messaging.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sign ? { 'x-twilio-signature': twilioSignature(AUTH_TOKEN, url, params) } : { 'x-twilio-signature': 'forged' }) },
        body: new URLSearchParams(params).toString(),
      });
    };
    const row = async () => (await queryDatabase<{ status: string }>(messaging.database, 'SELECT status FROM message WHERE provider_message_id = ?', [sms.sid]))[0]?.status;
    await waitFor(async () => (await row()) === 'SENT', { what: 'recorded as sent' });
    expect((await status('delivered', false)).status).toBe(403);
    expect(await row()).toBe('SENT');
    expect((await status('delivered')).status).toBe(204);
    expect((await status('delivered')).status).toBe(204);
    expect((await status('sent')).status).toBe(204); // late and out of order
    expect(await row()).toBe('DELIVERED');
  });

  it('records STOP from a phone, blocks marketing to it and tells core-api; START reverses it', async () => {
    const clientId = newId();
    await publish(
      createEvent(
        'client.created',
        { clientId, firstName: 'Orla', lastName: 'Kelly', mobile: '+353876666666', email: null, birthDate: null, clientCategoryIds: [], preferredStaffId: null, archived: false, smsReminderConsent: true, emailReminderConsent: false, smsMarketingConsent: true, emailMarketingConsent: false },
        { businessId: salon.businessId },
      ),
    );
    await waitFor(async () => (await queryDatabase(messaging.database, 'SELECT 1 FROM client_contact WHERE client_id = ?', [clientId])).length, { what: 'client known' });
    const inbound = (body: string) => {
      const params = { From: '+353876666666', To: '+353861000000', Body: body, MessageSid: `SM${newId()}` };
      const url = `${PUBLIC_URL}/messaging/webhooks/sms/inbound`;
      return fetch(`${messaging.baseUrl}/messaging/webhooks/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, url, params) },
        body: new URLSearchParams(params).toString(),
      });
    };
    const res = await inbound(' stop ');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Response></Response>');
    const event = await waitFor(() => capture.received.find((e) => e.routingKey === 'messaging.opt_out_changed' && (e.body['data'] as { optedOut: boolean }).optedOut), { what: 'opt-out event' });
    expect(event.body).toMatchObject({ businessId: salon.businessId, data: { channel: 'SMS', address: '+353876666666', optedOut: true, clientIds: [clientId], source: 'SMS_REPLY', keyword: 'STOP' } });
    const audit = await queryDatabase<{ action: string; keyword: string }>(messaging.database, 'SELECT action, keyword FROM opt_out_audit WHERE address = ?', ['+353876666666']);
    expect(audit).toEqual([{ action: 'OPT_OUT', keyword: 'STOP' }]);
    await inbound('START');
    const back = await waitFor(() => capture.received.find((e) => e.routingKey === 'messaging.opt_out_changed' && !(e.body['data'] as { optedOut: boolean }).optedOut), { what: 'opt-in event' });
    expect(back.body).toMatchObject({ data: { optedOut: false, clientIds: [clientId], keyword: 'START' } });
  });

  it('fails permanently refused numbers without retrying, retries 429s, and blocks what limits forbid', async () => {
    twilio.invalidNumbers.add('+353877777777');
    const bad = booking(new Date('2030-09-01T09:00:00Z'), contact({ mobile: '+353877777777', email: null }));
    twilio.failNext(2, 429, '0');
    const busy = booking(new Date('2030-09-01T10:00:00Z'), contact({ mobile: '+353878888888', email: null }));
    const abroad = booking(new Date('2030-09-01T11:00:00Z'), contact({ mobile: '+447700900123', email: null }));
    await publish(busy.confirmed, bad.confirmed, abroad.confirmed);
    const statusOf = async (to: string) => (await queryDatabase<{ status: string; status_reason: string | null; attempts: number }>(messaging.database, 'SELECT status, status_reason, attempts FROM message WHERE recipient = ?', [to]))[0];
    await waitFor(async () => (await statusOf('+353877777777'))?.status === 'FAILED', { what: 'permanent failure' });
    expect(await statusOf('+353877777777')).toEqual({ status: 'FAILED', status_reason: 'TWILIO_21211', attempts: 1 });
    await waitFor(async () => (await statusOf('+353878888888'))?.status === 'SENT', { what: 'sent after 429s' });
    await waitFor(async () => (await statusOf('+447700900123'))?.status === 'BLOCKED', { what: 'country blocked' });
    expect((await statusOf('+447700900123')).status_reason).toBe('COUNTRY_NOT_ALLOWED');
    expect(smsTo('+447700900123')).toHaveLength(0);

    await api(`/branch/${salon.branchId}/settings`, { method: 'PUT', body: JSON.stringify({ dailySmsLimit: 0 }) });
    const capped = booking(new Date('2030-09-02T11:00:00Z'), contact({ mobile: '+353879999999', email: null }));
    await publish(capped.confirmed);
    await waitFor(async () => (await statusOf('+353879999999'))?.status === 'BLOCKED', { what: 'daily limit' });
    expect((await statusOf('+353879999999')).status_reason).toBe('DAILY_SMS_LIMIT_REACHED');
    await api(`/branch/${salon.branchId}/settings`, { method: 'PUT', body: JSON.stringify({ dailySmsLimit: 2000 }) });
  });

  it('serves the message log to the business only, with core-api credentials', async () => {
    const b = booking(new Date('2030-10-01T09:00:00Z'), contact({ mobile: '+353870101010', email: null }));
    await publish(b.confirmed);
    await waitFor(() => smsTo('+353870101010').length === 1, { what: 'confirmation' });
    const log = await api(`/clients/${b.clientId}/messages`);
    expect(log.status).toBe(200);
    const body = (await log.json()) as { _embedded: { messages: { kind: string; status: string; bookingId: string; segments: number; encoding: string }[] }; page: object };
    expect(body.page).toEqual({ size: 20, totalElements: 1, totalPages: 1, number: 0 });
    expect(body._embedded.messages[0]).toMatchObject({ kind: 'CONFIRMATION', bookingId: b.bookingId, encoding: 'UCS-2' });
    // The signed manage link is long: with an Irish fada (UCS-2) a confirmation costs several parts.
    expect(body._embedded.messages[0].segments).toBeGreaterThan(1);
    expect((await api(`/bookings/${b.bookingId}/messages`)).status).toBe(200);
    expect((await api(`/appointments/${b.appt.appointmentId}/messages`)).status).toBe(200);
    expect((await api(`/clients/${b.clientId}/messages`, {}, 'Basic d3Jvbmc6d3Jvbmc=')).status).toBe(401);
    const stranger = core.addUser('other@example.test', 'pw', { userId: 'u2', businessId: newId(), role: 'OWNER' });
    expect((await api(`/clients/${b.clientId}/messages`, {}, stranger)).status).toBe(404);
    const stylist = core.addUser('stylist@example.test', 'pw', { userId: 'u3', businessId: salon.businessId, role: 'STYLIST' });
    expect((await api(`/branch/${salon.branchId}/settings`, { method: 'PUT', body: '{}' }, stylist)).status).toBe(403);
    expect((await api(`/clients/${b.clientId}/messages?size=101`)).status).toBe(400);
    const docs = (await (await fetch(`${messaging.baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/messaging/business/{businessId}/campaigns', '/messaging/webhooks/sms/inbound']));
  });
});
