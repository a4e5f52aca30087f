import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { FakeTwilio } from '../../../../test-support/fake-twilio';
import { formEncode, TwilioSmsAdapter, twilioSignature, verifyTwilioSignature } from './twilio.adapter';

describe('TwilioSmsAdapter against a fake Twilio on 127.0.0.1', () => {
  const twilio = new FakeTwilio();
  let adapter: TwilioSmsAdapter;

  beforeAll(async () => {
    await twilio.start();
    adapter = new TwilioSmsAdapter(
      { apiBaseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: 'secret-token', from: '+353861000000', statusCallbackUrl: 'https://m.test/messaging/webhooks/sms/status', ratePerSecond: 1000, timeoutMs: 2_000, retryBaseMs: 5 },
      pino({ level: 'silent' }),
    );
  });
  afterAll(async () => {
    await adapter.close();
    await twilio.stop();
  });

  it('posts To, From, Body and StatusCallback form-encoded with Basic auth', async () => {
    const result = await adapter.send({ to: '+353871234567', body: 'Hi Siobhán ✂', reference: '42' });
    expect(result).toEqual({ outcome: 'accepted', providerMessageId: twilio.messages[0].sid });
    expect(twilio.messages[0]).toMatchObject({
      to: '+353871234567',
      from: '+353861000000',
      body: 'Hi Siobhán ✂',
      statusCallback: 'https://m.test/messaging/webhooks/sms/status?ref=42',
      auth: `Basic ${Buffer.from(`${twilio.accountSid}:secret-token`).toString('base64')}`,
    });
  });

  it('retries 429 and 5xx with backoff, then succeeds', async () => {
    twilio.failNext(1, 429, '0');
    twilio.failNext(1, 503);
    const before = twilio.messages.length;
    expect((await adapter.send({ to: '+353871234568', body: 'x', reference: '1' })).outcome).toBe('accepted');
    expect(twilio.messages.length).toBe(before + 1);
  });

  it('hands back retry after repeated 5xx, and fails a permanent 4xx at once', async () => {
    twilio.failNext(3, 500);
    expect(await adapter.send({ to: '+353871234569', body: 'x', reference: '2' })).toMatchObject({ outcome: 'retry', code: 'TWILIO_20500', maybeAccepted: false });
    twilio.invalidNumbers.add('+353870000001');
    const requests = twilio.requests;
    expect(await adapter.send({ to: '+353870000001', body: 'x', reference: '3' })).toMatchObject({ outcome: 'failed', code: 'TWILIO_21211' });
    expect(twilio.requests).toBe(requests + 1);
  });

  it('finds a message it already sent (after a crash left the outcome unknown)', async () => {
    const since = new Date();
    await adapter.send({ to: '+353871230000', body: 'Reminder: Tuesday 10:00', reference: '7' });
    expect(await adapter.findAccepted({ to: '+353871230000', body: 'Reminder: Tuesday 10:00', reference: '7' }, since)).toBe(twilio.messages[twilio.messages.length - 1].sid);
    expect(await adapter.findAccepted({ to: '+353871230000', body: 'another body', reference: '8' }, since)).toBeNull();
  });

  it('maps status callbacks and checks their signature', () => {
    expect(adapter.parseStatusCallback({ MessageSid: 'SM1', MessageStatus: 'delivered' })).toEqual({ providerMessageId: 'SM1', status: 'DELIVERED', errorCode: undefined });
    expect(adapter.parseStatusCallback({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' })).toMatchObject({ status: 'UNDELIVERED', errorCode: '30003' });
    expect(adapter.parseStatusCallback({ MessageStatus: 'sent' })).toBeNull();
    // Twilio's scheme spelled out: URL, then each param name+value in name order, HMAC-SHA1, base64.
    const params = { To: '+18005551212', CallSid: 'CA1234567890ABCDE', From: '+12349013030', Digits: '1234' };
    const url = 'https://example.com/myapp.php?foo=1&bar=2';
    const expected = createHmac('sha1', '12345').update(`${url}CallSidCA1234567890ABCDEDigits1234From+12349013030To+18005551212`).digest('base64');
    expect(twilioSignature('12345', url, params)).toBe(expected);
    expect(verifyTwilioSignature('12345', url, params, expected)).toBe(true);
    expect(verifyTwilioSignature('12345', `${url}&x=1`, params, expected)).toBe(false);
    expect(adapter.verifySignature(url, params, expected)).toBe(false); // another token
    expect(adapter.verifySignature(url, params, undefined)).toBe(false);
  });

  it('form-encodes exactly as URLSearchParams does', () => {
    for (const value of ["Hi Siobhán ✂ (today) it's 10:00! ~50% off*", '+353 87 123 4567', 'a&b=c/d?e#f', 'emoji 😀 and \ud800 lone', 'tab\tnew\nline\r', '']) {
      expect(formEncode(value)).toBe(new URLSearchParams({ v: value }).toString().slice(2));
    }
  });

  it('tells a request that never left (connection refused) from one that may have arrived (no answer)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const refusedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const options = { accountSid: 'AC1', authToken: 't', from: '+353861000000', statusCallbackUrl: 'https://m.test/cb', ratePerSecond: 1000, timeoutMs: 300, retryBaseMs: 5 };
    const refused = new TwilioSmsAdapter({ ...options, apiBaseUrl: `http://127.0.0.1:${refusedPort}` }, pino({ level: 'silent' }));
    expect(await refused.send({ to: '+353871234500', body: 'x', reference: '9' })).toMatchObject({ outcome: 'retry', code: 'ECONNREFUSED', maybeAccepted: false });
    await refused.close();
    // Accepts the request and never answers: it may have been taken, so no blind retry.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const hanging = new TwilioSmsAdapter({ ...options, apiBaseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` }, pino({ level: 'silent' }));
    expect(await hanging.send({ to: '+353871234501', body: 'x', reference: '10' })).toMatchObject({ outcome: 'retry', maybeAccepted: true });
    await hanging.close();
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('reports the account reachable for /health', async () => {
    expect(await adapter.check()).toEqual({ up: true });
  });
});
