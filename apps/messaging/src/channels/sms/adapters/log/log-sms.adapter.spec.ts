import pino from 'pino';
import { LogSmsAdapter } from './log-sms.adapter';

describe('LogSmsAdapter', () => {
  it('accepts every message without sending, refuses webhooks, and is always up', async () => {
    const adapter = new LogSmsAdapter(pino({ level: 'silent' }), 10);
    const result = await adapter.send({ to: '+353871234567', body: 'hello', reference: '1' });
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: expect.stringMatching(/^log-/) });
    expect(adapter.sent).toHaveLength(1);
    expect(adapter.verifySignature()).toBe(false);
    expect(await adapter.check()).toEqual({ up: true, detail: 'log adapter' });
  });
});
