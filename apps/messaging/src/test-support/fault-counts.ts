import type { FakeSms } from './fake-twilio';

export interface DeliveryCounts {
  /** Messages the test expected (one per recipient). */
  expected: number;
  /** Provider calls that matched. */
  received: number;
  /** Recipients who got the message more than once (extra copies counted). */
  duplicates: number;
  /** Expected recipients who never got it. */
  lost: number;
}

/** Exactly-once accounting of the provider's log for one kind of message (picked by `match`). */
export function deliveryCounts(messages: FakeSms[], expectedRecipients: string[], match: (m: FakeSms) => boolean): DeliveryCounts {
  const perRecipient = new Map<string, number>();
  let received = 0;
  for (const m of messages) {
    if (!match(m)) continue;
    received++;
    perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const n of perRecipient.values()) if (n > 1) duplicates += n - 1;
  const lost = expectedRecipients.filter((to) => !perRecipient.has(to)).length;
  return { expected: expectedRecipients.length, received, duplicates, lost };
}

export const formatCounts = (label: string, c: DeliveryCounts) => `${label}: sent ${c.expected}, received ${c.received}, duplicates ${c.duplicates}, lost ${c.lost}`;
