import pino from 'pino';
import { LogEmailAdapter } from './log-email.adapter';

describe('LogEmailAdapter', () => {
  it('accepts every email without sending and is always up', async () => {
    const adapter = new LogEmailAdapter(pino({ level: 'silent' }), 10);
    const result = await adapter.send({ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>', messageId: '<m1@x>', reference: '1' });
    expect(result).toEqual({ outcome: 'accepted', providerMessageId: '<m1@x>' });
    expect(await adapter.check()).toMatchObject({ up: true });
  });
});
