import { isTransientDbError, LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { Counter, register } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { EMAIL_PROVIDER, SMS_PROVIDER } from '../channels/provider.types';
import type { EmailProvider, SendOutcome, SmsProvider } from '../channels/provider.types';
import { MessagingConfig } from '../config/messaging.config';
import { BranchContext, fallbackBranch, loadBranchContexts } from '../settings/branch-settings';
import { nextSendableTime } from '../settings/quiet-hours';
import { literalRows, NewMessage } from './message-store';
import { unsubscribeUrl } from './unsubscribe-link';

interface ClaimRow {
  id: string;
  business_id: string;
  branch_id: string;
  client_id: string | null;
  kind: string;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  attempts: number;
  outcome_unknown: number;
  first_claimed_at: Date | null;
  idempotency_key: string;
  opted_out: number | null;
  marketing_consent: number | null;
}

type Decision = { row: ClaimRow; action: 'send' } | { row: ClaimRow; action: 'block'; reason: string; message: string } | { row: ClaimRow; action: 'defer'; until: Date };

/** Attempts before a message that keeps failing transiently is given up as FAILED. */
const MAX_ATTEMPTS = 8;

const outcomes = (() => {
  const existing = register.getSingleMetric('messages_dispatched_total');
  return (
    (existing as Counter<'channel' | 'kind' | 'outcome'> | undefined) ??
    new Counter({ name: 'messages_dispatched_total', help: 'Messages handed to providers, by outcome (sent, failed, retry, blocked)', labelNames: ['channel', 'kind', 'outcome'] })
  );
})();

/**
 * Sends queued messages, in every copy of the service at once. The rules that make it
 * effect-once (one provider call per message) under crashes and concurrency:
 *
 * 1. Claim: in one transaction, rows are picked with `FOR UPDATE SKIP LOCKED`, checked against
 *    limits (daily SMS cap, country allow-list, opt-outs, quiet hours) and marked SENDING with a
 *    lease. Nothing else touches a SENDING row while its lease runs. SMS a consumer batch queues
 *    (confirmations) are claimed by the same checks in the transaction that inserts them
 *    (`claimOnInsert`: inserted SENDING, no poll, no second write) and sent once it commits (`handOff`).
 * 2. Call the provider outside any transaction, then record the outcome (SENT with the
 *    provider's id, FAILED, or back to QUEUED with a backoff).
 * 3. A row still SENDING after its lease expired was orphaned by a crash between 1 and 2: the
 *    provider may or may not have it. It goes back to QUEUED flagged `outcome_unknown`, and
 *    before it is sent again the SMS provider is asked whether it already accepted that message
 *    (same recipient and body since the first claim); if so it is recorded as SENT, not resent.
 *    SMTP cannot be asked: an orphaned email is resent with the same Message-ID, which mail
 *    systems use to drop the duplicate. The lease (MESSAGING_SEND_LEASE_MS) must exceed the
 *    longest provider call with its retries.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = true;
  private readonly loops: Promise<void>[] = [];
  private wakers: (() => void)[] = [];
  /** A wake that found no loop asleep (both busy): the next loop to finish a pass goes again at once. */
  private wakeMissed = false;
  private lastReclaim = 0;
  /** Messages claimed as they were queued (claimOnInsert), committed, waiting to be sent (handOff). */
  private readonly direct: { row: ClaimRow; at: number }[] = [];
  private directRuns = 0;
  private directRoom: (() => void)[] = [];
  private directIdle: (() => void)[] = [];
  private consecutive?: Promise<boolean>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    @Inject(EMAIL_PROVIDER) private readonly email: EmailProvider,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    // Several loops (two by default): one sends while another claims, so the provider is never
    // idle between batches.
    for (let i = 0; i < this.config.dispatch.loops; i++) this.loops.push(this.loop());
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const r of this.directRoom.splice(0)) r();
    await Promise.allSettled(this.loops);
    // What was handed over is sent (its lease runs); nothing new is taken once stopped.
    while (this.directRuns || this.direct.length) await new Promise<void>((r) => this.directIdle.push(r));
    await this.sms.close?.();
    await this.email.close?.();
  }

  /** Ask for an immediate pass (after queuing messages). */
  wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    if (!wakers.length) this.wakeMissed = true;
    for (const w of wakers) w();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let handled = 0;
      try {
        await this.reclaimOrphans();
        handled = await this.dispatchOnce();
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          (isTransientDbError(err) ? this.logger.warn.bind(this.logger) : this.logger.error.bind(this.logger))({ err }, 'dispatch pass failed; retrying');
        }
      }
      if (handled === 0 && !this.stopped) {
        if (this.wakeMissed && !failures) {
          this.wakeMissed = false;
          continue;
        }
        const wait = failures ? Math.min(5_000, this.config.dispatch.pollMs * 2 ** Math.min(failures, 5)) : this.config.dispatch.pollMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wakers.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  /** Rule 3: orphaned SENDING rows go back to the queue, flagged for a lookup before resending. */
  async reclaimOrphans(): Promise<number> {
    if (Date.now() - this.lastReclaim < 1_000) return 0;
    this.lastReclaim = Date.now();
    const result: { affectedRows: number } = await this.dataSource.query(
      `UPDATE message SET status = 'QUEUED', outcome_unknown = 1, lease_until = NULL, updated_at = NOW(3)
        WHERE status = 'SENDING' AND lease_until < NOW(3) LIMIT 1000`,
    );
    if (result.affectedRows) this.logger.warn({ count: result.affectedRows }, 'reclaimed messages orphaned mid-send; they will be looked up before any resend');
    return result.affectedRows;
  }

  /** One claim-send-record pass; returns how many messages it took. */
  async dispatchOnce(): Promise<number> {
    // READ COMMITTED: the claim locks the rows it takes, not the gaps between them, so messages
    // being queued meanwhile are not held up (SKIP LOCKED works the same).
    const decisions = await this.dataSource.transaction('READ COMMITTED', (m) => this.claim(m));
    const toSend = decisions.filter((d) => d.action === 'send').map((d) => d.row);
    if (toSend.length) await this.sendAndRecord(toSend);
    return decisions.length;
  }

  /** Step 2 for claimed rows: the provider calls (`dispatch.concurrency` at once), then their outcomes in bulk. */
  private async sendAndRecord(toSend: ClaimRow[]): Promise<void> {
    const results = new Array<SendOutcome>(toSend.length);
    let next = 0;
    const worker = async () => {
      while (next < toSend.length) {
        const i = next++;
        results[i] = await this.deliver(toSend[i]).catch((err: unknown) => ({
          outcome: 'retry' as const,
          code: 'DISPATCH_ERROR',
          message: err instanceof Error ? err.message : String(err),
          maybeAccepted: true,
        }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.dispatch.concurrency, toSend.length) }, worker));
    await this.record(toSend, results);
  }

  /**
   * Rule 1 for SMS a consumer batch queues (confirmations), inside the transaction that inserts
   * them: the same checks as `claim` (the branch's allowed countries, its daily SMS cap counted
   * under the sms_usage row lock), so each is inserted already SENDING with a lease and counted
   * as its first attempt, or BLOCKED, instead of QUEUED. The rows are invisible to every claim
   * until the commit and SENDING after it, so nothing else takes them; once committed `handOff`
   * sends them, and a crash before that leaves them to rule 3 (lookup, then send). Marketing and
   * email keep the polled path. Sets `message.claim`; the caller inserts the messages.
   */
  async claimOnInsert(m: EntityManager, items: { message: NewMessage; branch: BranchContext }[], now = new Date()): Promise<void> {
    const smsByBranch = new Map<string, { message: NewMessage; branch: BranchContext }[]>();
    for (const item of items) {
      const { message, branch } = item;
      if (message.channel !== 'SMS' || message.kind === 'MARKETING' || (message.notBefore && message.notBefore.getTime() > now.getTime())) continue;
      const blocked = this.countryBlock(message.recipient, branch);
      if (blocked) {
        message.claim = { status: 'BLOCKED', reason: 'COUNTRY_NOT_ALLOWED', message: blocked };
        outcomes.inc({ channel: 'SMS', kind: message.kind, outcome: 'blocked' });
        continue;
      }
      const list = smsByBranch.get(branch.branchId) ?? [];
      list.push(item);
      smsByBranch.set(branch.branchId, list);
    }
    const leaseUntil = new Date(now.getTime() + this.config.dispatch.leaseMs);
    // Branch order, as in `claim`: two transactions never wait on each other's usage rows crosswise.
    for (const branchId of [...smsByBranch.keys()].sort()) {
      const list = smsByBranch.get(branchId)!;
      const branch = list[0].branch;
      const room = await this.takeDailySms(m, branch, branchId, list.length, now);
      list.forEach(({ message }, i) => {
        if (i < room) message.claim = { status: 'SENDING', leaseUntil };
        else {
          message.claim = { status: 'BLOCKED', reason: 'DAILY_SMS_LIMIT_REACHED', message: `The branch's daily SMS limit (${branch.settings.dailySmsLimit}) is reached` };
          outcomes.inc({ channel: 'SMS', kind: message.kind, outcome: 'blocked' });
        }
      });
    }
  }

  /**
   * The rows `claimOnInsert` made SENDING, as inserted, for `handOff` once committed. `inserted`
   * is the database's answer to the INSERT of all of `messages`, which the caller checked put
   * every row in as given: then their ids are the statement's first id onwards, in row order,
   * when the server hands out consecutive ids to a multi-row insert (InnoDB
   * innodb_autoinc_lock_mode 0 or 1 with auto_increment_increment 1); otherwise, or without an
   * insert id, they are read back by idempotency key.
   */
  async claimedOnInsert(m: EntityManager, messages: NewMessage[], inserted?: { insertId?: number }): Promise<ClaimRow[]> {
    const sending = messages.filter((x) => x.claim?.status === 'SENDING');
    if (!sending.length) return [];
    const idOf = new Map<string, string>();
    const first = inserted?.insertId;
    if (first && (await this.consecutiveIds(m))) {
      messages.forEach((x, i) => idOf.set(x.idempotencyKey, String(first + i)));
    } else {
      const ids: { id: string | number; idempotency_key: string }[] = await m.query('SELECT id, idempotency_key FROM message WHERE idempotency_key IN (?)', [
        sending.map((x) => x.idempotencyKey),
      ]);
      for (const r of ids) idOf.set(r.idempotency_key, String(r.id));
    }
    return sending.map((x) => ({
      id: idOf.get(x.idempotencyKey) ?? missingRow(x.idempotencyKey),
      business_id: x.businessId,
      branch_id: x.branchId,
      client_id: x.clientId,
      kind: x.kind,
      channel: x.channel,
      recipient: x.recipient,
      subject: x.subject ?? null,
      body: x.body,
      html: x.html ?? null,
      attempts: 0,
      outcome_unknown: 0,
      first_claimed_at: null,
      idempotency_key: x.idempotencyKey,
      opted_out: null,
      marketing_consent: null,
    }));
  }

  /**
   * Sends rows claimed by `claimOnInsert` (at `claimedAt`, when their lease started) after their
   * transaction committed. Resolves once the backlog has room again (the consumer's pace). Once
   * stopped nothing is taken: the rows stay SENDING and rule 3 reconciles them after their lease.
   */
  async handOff(rows: ClaimRow[], claimedAt: Date): Promise<void> {
    if (!rows.length) return;
    if (this.stopped) {
      this.logger.warn({ count: rows.length }, 'stopping: claimed messages left to the orphan rule');
      return;
    }
    const at = claimedAt.getTime();
    for (const row of rows) this.direct.push({ row, at });
    this.pumpDirect();
    while (this.direct.length >= this.config.dispatch.batchSize * 2 && !this.stopped) await new Promise<void>((r) => this.directRoom.push(r));
  }

  private pumpDirect(): void {
    while (this.directRuns < this.config.dispatch.loops && this.direct.length) {
      const chunk = this.direct.splice(0, this.config.dispatch.batchSize);
      for (const r of this.directRoom.splice(0)) r();
      this.directRuns++;
      // A row that waited here past half its lease is not sent: rule 3 may take it any time now.
      const fresh = chunk.filter((c) => Date.now() - c.at < this.config.dispatch.leaseMs / 2).map((c) => c.row);
      if (fresh.length < chunk.length) this.logger.warn({ count: chunk.length - fresh.length }, 'claimed messages waited past half their lease; left to the orphan rule');
      void this.sendAndRecord(fresh)
        .catch((err: unknown) => this.logger.error({ err, count: fresh.length }, 'sending claimed messages failed; the orphan rule reconciles them'))
        .finally(() => {
          this.directRuns--;
          this.pumpDirect();
          if (!this.directRuns && !this.direct.length) for (const r of this.directIdle.splice(0)) r();
        });
    }
  }

  /** Whether a multi-row INSERT gets consecutive ids on this server (asked once). */
  private consecutiveIds(m: EntityManager): Promise<boolean> {
    if (!this.consecutive) {
      const asked = m
        .query('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step')
        .then((rows: { mode: number | string; step: number | string }[]) => [0, 1].includes(Number(rows[0]?.mode)) && Number(rows[0]?.step) === 1);
      // A failed look-up is asked again next time (and fails the batch now, which is redone).
      asked.catch(() => (this.consecutive = undefined));
      this.consecutive = asked;
    }
    return this.consecutive;
  }

  private countryBlock(recipient: string, branch: BranchContext): string | null {
    const country = parsePhoneNumberFromString(recipient)?.country;
    const allowed = branch.settings.allowedCountries ?? [branch.country];
    if (country && allowed.includes(country as CountryCode)) return null;
    return `SMS to ${country ?? 'unknown country'} is not in the branch's allowed countries (${allowed.join(', ')})`;
  }

  private async claim(m: EntityManager): Promise<Decision[]> {
    const rows: ClaimRow[] = await m.query(
      `SELECT id, business_id, branch_id, client_id, kind, channel, recipient, subject, body, html, attempts, outcome_unknown, first_claimed_at, idempotency_key
         FROM message WHERE status = 'QUEUED' AND not_before <= NOW(3)
        ORDER BY priority, not_before LIMIT ? FOR UPDATE SKIP LOCKED`,
      [this.config.dispatch.batchSize],
    );
    if (!rows.length) return [];
    await this.attachMarketingState(m, rows);
    const branches = await loadBranchContexts(m, rows.map((r) => r.branch_id));
    const branchOf = (r: ClaimRow) => branches.get(r.branch_id) ?? fallbackBranch(r.branch_id, r.business_id);
    const now = new Date();
    const decisions: Decision[] = [];
    const smsByBranch = new Map<string, ClaimRow[]>();
    for (const row of rows) {
      const branch = branchOf(row);
      if (row.kind === 'MARKETING') {
        if (row.opted_out) {
          decisions.push({ row, action: 'block', reason: 'OPTED_OUT', message: 'The recipient opted out of marketing' });
          continue;
        }
        if (row.marketing_consent === 0) {
          decisions.push({ row, action: 'block', reason: 'NO_MARKETING_CONSENT', message: 'The client withdrew marketing consent' });
          continue;
        }
        const until = nextSendableTime(now, branch.timeZone, branch.settings.quietHours);
        if (until.getTime() > now.getTime()) {
          decisions.push({ row, action: 'defer', until });
          continue;
        }
      }
      if (row.channel === 'SMS') {
        const blocked = this.countryBlock(row.recipient, branch);
        if (blocked) {
          decisions.push({ row, action: 'block', reason: 'COUNTRY_NOT_ALLOWED', message: blocked });
          continue;
        }
        // Counted once, on the first claim; a retry of the same message is not a new SMS.
        if (row.attempts === 0) {
          const list = smsByBranch.get(row.branch_id) ?? [];
          list.push(row);
          smsByBranch.set(row.branch_id, list);
          continue;
        }
      }
      decisions.push({ row, action: 'send' });
    }
    // In branch order (as claimOnInsert): two claims never wait on each other's usage rows crosswise.
    for (const branchId of [...smsByBranch.keys()].sort()) {
      const list = smsByBranch.get(branchId)!;
      decisions.push(...(await this.applyDailyLimit(m, branchOf(list[0]), branchId, list, now)));
    }
    await this.applyClaim(m, decisions);
    return decisions;
  }

  /** Consent and opt-outs as they are now (a STOP may have come in since the campaign was queued). */
  private async attachMarketingState(m: EntityManager, rows: ClaimRow[]): Promise<void> {
    const marketing = rows.filter((r) => r.kind === 'MARKETING');
    if (!marketing.length) return;
    const state: { id: string; opted_out: number | null; consent: number | null }[] = await m.query(
      `SELECT msg.id,
              (SELECT MAX(o.opted_out) FROM opt_out o WHERE o.channel = msg.channel AND o.address = msg.recipient AND o.scope IN ('*', msg.business_id)) AS opted_out,
              IF(msg.channel = 'SMS', c.sms_marketing_consent, c.email_marketing_consent) AS consent
         FROM message msg LEFT JOIN client_contact c ON c.client_id = msg.client_id
        WHERE msg.id IN (?)`,
      [marketing.map((r) => r.id)],
    );
    const byId = new Map(state.map((s) => [String(s.id), s]));
    for (const r of marketing) {
      const s = byId.get(String(r.id));
      r.opted_out = s?.opted_out ?? 0;
      r.marketing_consent = s?.consent ?? null;
    }
  }

  /** The per-branch daily SMS cap, counted on the branch's local day under a row lock. */
  private async applyDailyLimit(m: EntityManager, branch: BranchContext, branchId: string, rows: ClaimRow[], now: Date): Promise<Decision[]> {
    const room = await this.takeDailySms(m, branch, branchId, rows.length, now);
    return rows.map((row, i) =>
      i < room
        ? { row, action: 'send' as const }
        : { row, action: 'block' as const, reason: 'DAILY_SMS_LIMIT_REACHED', message: `The branch's daily SMS limit (${branch.settings.dailySmsLimit}) is reached` },
    );
  }

  /** Takes up to `wanted` SMS from the branch's count for its local day, under the row's lock; returns how many it took. */
  private async takeDailySms(m: EntityManager, branch: BranchContext, branchId: string, wanted: number, now: Date): Promise<number> {
    const day = DateTime.fromJSDate(now, { zone: branch.timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
    // Exclusive from the start (INSERT IGNORE would take a shared lock on an existing row, and two
    // claims upgrading their shared locks at once deadlock).
    await m.query('INSERT INTO sms_usage (branch_id, day, sent) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE sent = sent', [branchId, day]);
    const [usage]: { sent: number }[] = await m.query('SELECT sent FROM sms_usage WHERE branch_id = ? AND day = ? FOR UPDATE', [branchId, day]);
    const room = Math.max(0, branch.settings.dailySmsLimit - Number(usage?.sent ?? 0));
    const taken = Math.min(room, wanted);
    if (taken) await m.query('UPDATE sms_usage SET sent = sent + ? WHERE branch_id = ? AND day = ?', [taken, branchId, day]);
    if (wanted > room) {
      this.logger.warn({ branchId, limit: branch.settings.dailySmsLimit, blocked: wanted - room }, 'daily SMS limit reached; messages blocked');
    }
    return taken;
  }

  private async applyClaim(m: EntityManager, decisions: Decision[]): Promise<void> {
    const send = decisions.filter((d) => d.action === 'send').map((d) => d.row.id);
    if (send.length) {
      await m.query(
        `UPDATE message SET status = 'SENDING', attempts = attempts + 1, lease_until = NOW(3) + INTERVAL ? MICROSECOND,
                first_claimed_at = COALESCE(first_claimed_at, NOW(3)), updated_at = NOW(3) WHERE id IN (?)`,
        [this.config.dispatch.leaseMs * 1000, send],
      );
    }
    const blocked = decisions.filter((d): d is Extract<Decision, { action: 'block' }> => d.action === 'block');
    if (blocked.length) {
      const t = literalRows(['id', 'reason', 'msg'], blocked.map((b) => [b.row.id, b.reason, b.message.slice(0, 500)]));
      await m.query(
        `UPDATE message m JOIN (${t.sql}) v ON m.id = v.id SET m.status = 'BLOCKED', m.status_reason = v.reason, m.error_message = v.msg, m.updated_at = NOW(3)`,
        t.params,
      );
      for (const b of blocked) outcomes.inc({ channel: b.row.channel, kind: b.row.kind, outcome: 'blocked' });
    }
    const deferred = decisions.filter((d): d is Extract<Decision, { action: 'defer' }> => d.action === 'defer');
    if (deferred.length) {
      const t = literalRows(['id', 'until'], deferred.map((d) => [d.row.id, d.until]));
      await m.query(`UPDATE message m JOIN (${t.sql}) v ON m.id = v.id SET m.not_before = v.until, m.status_reason = 'QUIET_HOURS', m.updated_at = NOW(3)`, t.params);
    }
  }

  private async deliver(row: ClaimRow): Promise<SendOutcome> {
    const reference = String(row.id);
    if (row.channel === 'SMS') {
      const sms = { to: row.recipient, body: row.body, reference };
      if (row.outcome_unknown && this.sms.findAccepted) {
        const existing = await this.sms.findAccepted(sms, row.first_claimed_at ? new Date(row.first_claimed_at) : new Date(0));
        if (existing) {
          this.logger.info({ messageId: reference, providerMessageId: existing }, 'message found at the provider after an unknown outcome; not resending');
          return { outcome: 'accepted', providerMessageId: existing };
        }
      }
      return this.sms.send(sms);
    }
    const unsubscribe =
      row.kind === 'MARKETING' && row.client_id
        ? unsubscribeUrl(this.config.publicUrl, this.config.linkSigningSecret, { businessId: row.business_id, clientId: row.client_id, email: row.recipient })
        : undefined;
    return this.email.send({
      to: row.recipient,
      subject: row.subject ?? '',
      text: row.body,
      html: row.html ?? row.body,
      messageId: `<${row.idempotency_key.replace(/[^A-Za-z0-9._-]/g, '.')}@chairbook.messaging>`,
      unsubscribeUrl: unsubscribe,
      fromName: (await this.salonName(row.branch_id)) ?? undefined,
      reference,
    });
  }

  private async salonName(branchId: string): Promise<string | null> {
    const rows: { name: string }[] = await this.dataSource.query(
      'SELECT COALESCE(p.name, b.name) AS name FROM branch_profile b LEFT JOIN business_profile p ON p.business_id = b.business_id WHERE b.branch_id = ?',
      [branchId],
    );
    return rows[0]?.name ?? null;
  }

  /** Step 2's bookkeeping, in bulk. Callbacks may have moved a row on already: never move it back. */
  private async record(rows: ClaimRow[], results: SendOutcome[]): Promise<void> {
    const accepted: [string, string, string][] = [];
    const failed: unknown[][] = [];
    const retry: unknown[][] = [];
    rows.forEach((row, i) => {
      const r = results[i];
      outcomes.inc({ channel: row.channel, kind: row.kind, outcome: r.outcome === 'accepted' ? 'sent' : r.outcome });
      if (r.outcome === 'accepted') accepted.push([row.id, r.providerMessageId.slice(0, 100), row.channel === 'SMS' ? this.sms.name : this.email.name]);
      else if (r.outcome === 'failed' || row.attempts + 1 >= MAX_ATTEMPTS) failed.push([row.id, r.code.slice(0, 60), r.message.slice(0, 500)]);
      else {
        const delayMs = Math.max(r.retryAfterMs ?? 0, Math.min(15 * 60_000, 2_000 * 2 ** row.attempts));
        retry.push([row.id, r.code.slice(0, 60), r.message.slice(0, 500), r.maybeAccepted ? 1 : 0, Math.round(delayMs * 1000)]);
      }
    });
    await this.withDbRetry(async () => {
      if (accepted.length) {
        const t = literalRows(['id', 'pid', 'provider'], accepted);
        await this.dataSource.query(
          `UPDATE message m JOIN (${t.sql}) v ON m.id = v.id
              SET m.provider_message_id = COALESCE(m.provider_message_id, v.pid), m.provider = v.provider,
                  m.status = IF(m.status IN ('QUEUED', 'SENDING'), 'SENT', m.status), m.sent_at = COALESCE(m.sent_at, NOW(3)),
                  m.lease_until = NULL, m.outcome_unknown = 0, m.status_reason = NULL, m.error_message = NULL, m.updated_at = NOW(3)`,
          t.params,
        );
      }
      if (failed.length) {
        const t = literalRows(['id', 'code', 'msg'], failed);
        await this.dataSource.query(
          `UPDATE message m JOIN (${t.sql}) v ON m.id = v.id SET m.status = 'FAILED', m.status_reason = v.code, m.error_message = v.msg, m.lease_until = NULL, m.updated_at = NOW(3)
            WHERE m.status = 'SENDING'`,
          t.params,
        );
      }
      if (retry.length) {
        const t = literalRows(['id', 'code', 'msg', 'unknown', 'delay_us'], retry);
        await this.dataSource.query(
          `UPDATE message m JOIN (${t.sql}) v ON m.id = v.id
              SET m.status = 'QUEUED', m.status_reason = v.code, m.error_message = v.msg, m.outcome_unknown = GREATEST(m.outcome_unknown, v.unknown),
                  m.not_before = NOW(3) + INTERVAL v.delay_us MICROSECOND, m.lease_until = NULL, m.updated_at = NOW(3)
            WHERE m.status = 'SENDING'`,
          t.params,
        );
      }
    });
  }

  /**
   * Recording must survive a database blip: the provider has the message, so giving up here
   * would leave it to the orphan rule (a lookup, not a resend), but retrying is cheaper.
   */
  private async withDbRetry(work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await work();
        return;
      } catch (err) {
        if (!isTransientDbError(err) || attempt >= 30 || this.stopped) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  }
}

function missingRow(idempotencyKey: string): never {
  throw new Error(`message ${idempotencyKey} was just inserted but is not there`);
}
