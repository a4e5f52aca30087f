import { createEvent } from '@chairbook/contracts';
import { appendToOutbox } from '@chairbook/platform';
import type { EntityManager } from 'typeorm';

export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'OPTOUT']);
export const START_WORDS = new Set(['START', 'UNSTOP']);

/** The reply's keyword, as carriers read it: the whole message, trimmed, any case. */
export function replyKeyword(body: string): { keyword: string; optOut: boolean } | null {
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (STOP_WORDS.has(word)) return { keyword: word, optOut: true };
  if (START_WORDS.has(word)) return { keyword: word, optOut: false };
  return null;
}

/**
 * Records an opt-out (or its reversal) for an address, audits it per business, stops queued
 * marketing to it at once, and tells core-api through messaging's outbox so the clients'
 * consent changes there too (core-api then announces client.consent_changed, which brings
 * messaging's directory in line).
 *
 * An SMS STOP applies to the shared sender number, so to every business (scope '*'); an email
 * unsubscribe applies to the business whose mail carried the link. START gives marketing
 * consent back only to the clients whose consent the matching STOP took away.
 */
export async function recordOptOut(
  m: EntityManager,
  input: { channel: 'SMS' | 'EMAIL'; address: string; optOut: boolean; source: 'SMS_REPLY' | 'EMAIL_UNSUBSCRIBE'; keyword: string | null; scope: string; detail?: string; businessIds?: string[] },
): Promise<{ businesses: number }> {
  const { channel, address, optOut } = input;
  await m.query(
    `INSERT INTO opt_out (scope, channel, address, opted_out, updated_at) VALUES (?, ?, ?, ?, NOW(3))
     ON DUPLICATE KEY UPDATE opted_out = VALUES(opted_out), updated_at = NOW(3)`,
    [input.scope, channel, address, optOut ? 1 : 0],
  );
  const column = channel === 'SMS' ? 'mobile' : 'email';
  const consent = channel === 'SMS' ? 'sms_marketing_consent' : 'email_marketing_consent';
  const clients: { client_id: string; business_id: string; consent: number }[] = await m.query(
    `SELECT client_id, business_id, ${consent} AS consent FROM client_contact WHERE ${column} = ?${input.businessIds ? ' AND business_id IN (?)' : ''}`,
    input.businessIds ? [address, input.businessIds] : [address],
  );
  const businesses = [...new Set([...clients.map((c) => c.business_id), ...(input.businessIds ?? [])])];
  const events = [];
  for (const businessId of businesses) {
    const mine = clients.filter((c) => c.business_id === businessId);
    let clientIds: string[];
    if (optOut) {
      clientIds = mine.map((c) => c.client_id);
    } else {
      const [last]: { client_ids: string }[] = await m.query(
        "SELECT client_ids FROM opt_out_audit WHERE channel = ? AND address = ? AND business_id = ? AND action = 'OPT_OUT' ORDER BY id DESC LIMIT 1",
        [channel, address, businessId],
      );
      clientIds = last ? (JSON.parse(last.client_ids) as string[]) : [];
    }
    // For an opt-out the audit keeps who had consent, so that START can give exactly that back.
    const audited = optOut ? mine.filter((c) => c.consent).map((c) => c.client_id) : clientIds;
    await m.query(
      'INSERT INTO opt_out_audit (channel, address, business_id, client_ids, action, source, keyword, detail, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3))',
      [channel, address, businessId, JSON.stringify(audited), optOut ? 'OPT_OUT' : 'OPT_IN', input.source, input.keyword, input.detail?.slice(0, 500) ?? null],
    );
    events.push(createEvent('messaging.opt_out_changed', { channel, address, optedOut: optOut, clientIds: optOut ? clientIds : audited, source: input.source, keyword: input.keyword }, { businessId }));
  }
  if (!businesses.length) {
    await m.query(
      'INSERT INTO opt_out_audit (channel, address, business_id, client_ids, action, source, keyword, detail, received_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, NOW(3))',
      [channel, address, '[]', optOut ? 'OPT_OUT' : 'OPT_IN', input.source, input.keyword, input.detail?.slice(0, 500) ?? null],
    );
  }
  if (optOut) {
    await m.query(
      `UPDATE message SET status = 'BLOCKED', status_reason = 'OPTED_OUT', error_message = 'The recipient opted out of marketing', updated_at = NOW(3)
        WHERE recipient = ? AND channel = ? AND kind = 'MARKETING' AND status = 'QUEUED'${input.scope === '*' ? '' : ' AND business_id = ?'}`,
      input.scope === '*' ? [address, channel] : [address, channel, input.scope],
    );
  }
  await appendToOutbox(m, events);
  return { businesses: businesses.length };
}
