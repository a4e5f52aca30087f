import pino from 'pino';
import { decodeQuotedPrintable, FakeSmtp } from '../../../../test-support/fake-smtp';
import { SmtpEmailAdapter } from './smtp.adapter';

describe('SmtpEmailAdapter against a local SMTP server', () => {
  const smtp = new FakeSmtp();
  let adapter: SmtpEmailAdapter;

  beforeAll(async () => {
    await smtp.start();
    smtp.rejected.add('nobody@example.com');
    adapter = new SmtpEmailAdapter({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Chairbook <no-reply@chairbook.test>', timeoutMs: 2_000 }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await adapter.close();
    await smtp.stop();
  });

  it('sends HTML and text with the salon as sender name, our Message-ID and RFC 8058 headers on marketing', async () => {
    const result = await adapter.send({
      to: 'client@example.com',
      subject: 'We miss you',
      text: 'Hi Siobhán',
      html: '<p>Hi Siobhán</p>',
      messageId: '<MARKETING.c1.x@chairbook.messaging>',
      unsubscribeUrl: 'https://m.test/messaging/unsubscribe/tok',
      fromName: 'Foundation Hair',
      reference: '9',
    });
    expect(result).toEqual({ outcome: 'accepted', providerMessageId: '<MARKETING.c1.x@chairbook.messaging>' });
    const mail = smtp.mails[0];
    expect(mail.to).toEqual(['client@example.com']);
    expect(mail.headers.get('from')).toBe('Foundation Hair <no-reply@chairbook.test>');
    expect(mail.headers.get('message-id')).toBe('<MARKETING.c1.x@chairbook.messaging>');
    expect(mail.headers.get('list-unsubscribe')).toBe('<https://m.test/messaging/unsubscribe/tok>');
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const body = decodeQuotedPrintable(mail.raw);
    expect(body).toContain('<p>Hi Siobhán</p>');
    expect(body).toMatch(/text\/plain/);
  });

  it('sends transactional mail without unsubscribe headers', async () => {
    await adapter.send({ to: 'client@example.com', subject: 'Confirmed', text: 't', html: '<p>t</p>', messageId: '<c2@x>', reference: '10' });
    expect(smtp.mails[1].headers.has('list-unsubscribe')).toBe(false);
  });

  it('fails a rejected mailbox permanently (5xx) and retries when the server is unreachable', async () => {
    expect(await adapter.send({ to: 'nobody@example.com', subject: 's', text: 't', html: 't', messageId: '<c3@x>', reference: '11' })).toMatchObject({ outcome: 'failed', code: 'SMTP_550' });
    const down = new SmtpEmailAdapter({ host: '127.0.0.1', port: 1, secure: false, from: 'x@y.z', timeoutMs: 500 }, pino({ level: 'silent' }));
    expect(await down.send({ to: 'a@b.c', subject: 's', text: 't', html: 't', messageId: '<c4@x>', reference: '12' })).toMatchObject({ outcome: 'retry', maybeAccepted: false });
    expect((await down.check()).up).toBe(false);
    expect(await adapter.check()).toEqual({ up: true });
    await down.close();
  });
});
