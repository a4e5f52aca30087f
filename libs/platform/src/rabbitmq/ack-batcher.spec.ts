import type { Channel, Message } from 'amqplib/callback_api';
import { AckBatcher } from './rabbitmq-client';

/** A channel that records what would go to the broker. */
function fakeChannel() {
  const sent: string[] = [];
  const channel = {
    ack: (m: Message, multiple?: boolean) => sent.push(`ack ${m.fields.deliveryTag}${multiple ? ' multiple' : ''}`),
    nack: (m: Message, _all?: boolean, requeue?: boolean) => sent.push(`nack ${m.fields.deliveryTag}${requeue ? ' requeue' : ''}`),
  };
  return { channel: channel as unknown as Channel, sent };
}

const msg = (tag: number) => ({ fields: { deliveryTag: tag } }) as Message;
const tick = () => new Promise((r) => setImmediate(r));

describe('AckBatcher (coalesced acks)', () => {
  it('acks what was decided in one tick with one multiple ack', async () => {
    const { channel, sent } = fakeChannel();
    const acks = new AckBatcher(channel);
    for (const t of [1, 2, 3, 4]) acks.delivered(msg(t));
    for (const t of [3, 1, 2, 4]) acks.ack(msg(t));
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual(['ack 4 multiple']);
  });

  it('never covers a delivery still being handled: later acks wait for it', async () => {
    const { channel, sent } = fakeChannel();
    const acks = new AckBatcher(channel);
    for (const t of [1, 2, 3, 4]) acks.delivered(msg(t));
    acks.ack(msg(1));
    acks.ack(msg(3));
    acks.ack(msg(4));
    await tick();
    expect(sent).toEqual(['ack 1 multiple']);
    acks.ack(msg(2));
    await tick();
    expect(sent).toEqual(['ack 1 multiple', 'ack 4 multiple']);
    acks.close();
  });

  it('nacks at once and acks past a nacked delivery', async () => {
    const { channel, sent } = fakeChannel();
    const acks = new AckBatcher(channel);
    for (const t of [1, 2, 3]) acks.delivered(msg(t));
    acks.ack(msg(1));
    acks.nack(msg(2), true);
    acks.ack(msg(3));
    expect(sent).toEqual(['nack 2 requeue']);
    await tick();
    expect(sent).toEqual(['nack 2 requeue', 'ack 3 multiple']);
  });

  it('sends held acks on their own after a while, and everything on flushAll', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { channel, sent } = fakeChannel();
      const acks = new AckBatcher(channel);
      for (const t of [1, 2, 3]) acks.delivered(msg(t));
      acks.ack(msg(2));
      acks.ack(msg(3));
      await tick();
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1_000);
      expect(sent).toEqual(['ack 2', 'ack 3']);
      acks.ack(msg(1));
      acks.flushAll();
      expect(sent).toEqual(['ack 2', 'ack 3', 'ack 1 multiple']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends nothing once its channel closed (the broker redelivers)', async () => {
    const { channel, sent } = fakeChannel();
    const acks = new AckBatcher(channel);
    acks.delivered(msg(1));
    acks.ack(msg(1));
    acks.close();
    await tick();
    acks.flushAll();
    expect(sent).toEqual([]);
  });
});
