import type { EntityManager } from 'typeorm';
import { SqlLiteral, sqlTime } from '../database/sql-literal';
import type { Channel } from '../channels/provider.types';
import type { MessageKind } from '../templates/default-templates';

/** Where a message is in its life. Only ever moves forward (see STATUS_RANK). */
export type MessageStatus = 'QUEUED' | 'SENDING' | 'SENT' | 'DELIVERED' | 'UNDELIVERED' | 'FAILED' | 'BLOCKED' | 'CANCELLED';

/** Delivery callbacks may only move a message to a higher rank. */
export const STATUS_RANK_SQL = `CASE status WHEN 'QUEUED' THEN 0 WHEN 'SENDING' THEN 1 WHEN 'SENT' THEN 2 ELSE 3 END`;
export const STATUS_RANK: Record<string, number> = { QUEUED: 0, SENDING: 1, SENT: 2, DELIVERED: 3, UNDELIVERED: 3, FAILED: 3 };

export interface NewMessage {
  businessId: string;
  branchId: string;
  clientId: string | null;
  bookingKey?: string | null;
  appointmentId?: string | null;
  campaignId?: string | null;
  kind: MessageKind;
  channel: Channel;
  /**
   * One message, one key: (booking or appointment, kind, scheduled time, channel). The unique
   * index makes a second insert of the same message a no-op, whatever path tries it.
   */
  idempotencyKey: string;
  recipient: string;
  subject?: string | null;
  body: string;
  html?: string | null;
  segments?: number | null;
  encoding?: string | null;
  notBefore?: Date;
  /**
   * Claimed as it is queued (Dispatcher.claimOnInsert): inserted SENDING with its lease (and
   * counted as a first attempt), or BLOCKED; without it the row is QUEUED for the dispatcher.
   */
  claim?: { status: 'SENDING'; leaseUntil: Date } | { status: 'BLOCKED'; reason: string; message: string };
}

/** Queues messages for the dispatcher inside the caller's transaction; duplicates are ignored. */
export async function enqueueMessages(m: EntityManager, messages: NewMessage[]): Promise<number> {
  return (await insertMessages(m, messages)).affectedRows ?? 0;
}

/** `enqueueMessages` with the database's whole answer (affected rows, duplicates and warnings in `info`). */
export async function insertMessages(m: EntityManager, messages: NewMessage[]): Promise<{ affectedRows?: number; insertId?: number; info?: string; warningStatus?: number }> {
  if (!messages.length) return { affectedRows: 0 };
  // Every row shares `now`, and a batch's claims share their lease: each time is formatted once.
  const now = sqlTime(new Date());
  const times = new Map<Date, SqlLiteral>();
  const time = (d: Date) => {
    let t = times.get(d);
    if (!t) times.set(d, (t = sqlTime(d)));
    return t;
  };
  const rows = messages.map((x) => [
    x.businessId,
    x.branchId,
    x.clientId,
    x.bookingKey ?? null,
    x.appointmentId ?? null,
    x.campaignId ?? null,
    x.kind,
    x.channel,
    x.kind === 'MARKETING' ? 1 : 0,
    x.idempotencyKey,
    x.recipient,
    x.subject ?? null,
    x.body,
    x.html ?? null,
    x.segments ?? null,
    x.encoding ?? null,
    x.claim?.status ?? 'QUEUED',
    x.claim?.status === 'BLOCKED' ? x.claim.reason : null,
    x.claim?.status === 'BLOCKED' ? x.claim.message.slice(0, 500) : null,
    x.claim?.status === 'SENDING' ? 1 : 0,
    x.claim?.status === 'SENDING' ? time(x.claim.leaseUntil) : null,
    x.claim?.status === 'SENDING' ? now : null,
    x.notBefore ? time(x.notBefore) : now,
    now,
    now,
  ]);
  return m.query(
    `INSERT IGNORE INTO message (business_id, branch_id, client_id, booking_key, appointment_id, campaign_id, kind, channel, priority, idempotency_key,
       recipient, subject, body, html, segments, encoding, status, status_reason, error_message, attempts, lease_until, first_claimed_at, not_before, created_at, updated_at) VALUES ?`,
    [rows],
  );
}

/** A derived table of literal rows (`SELECT ? a, ? b UNION ALL ...`) that MySQL 8 and MariaDB both accept. */
export function literalRows(columns: string[], rows: unknown[][]): { sql: string; params: unknown[] } {
  const sql = rows.map((_, i) => (i === 0 ? `SELECT ${columns.map((c) => `? AS ${c}`).join(', ')}` : `SELECT ${columns.map(() => '?').join(', ')}`)).join(' UNION ALL ');
  return { sql, params: rows.flat() };
}
