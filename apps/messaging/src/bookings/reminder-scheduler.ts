import { LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { MessagingConfig } from '../config/messaging.config';
import { Dispatcher } from '../dispatch/dispatcher';
import { enqueueMessages, literalRows, NewMessage } from '../dispatch/message-store';
import { PollLoop } from '../dispatch/poll-loop';
import { fallbackBranch, loadBranchContexts } from '../settings/branch-settings';
import { effectiveTemplatesFor } from '../templates/template-store';
import { composeBookingMessages, loadBookings, loadClients, NO_REMINDER_STATES } from './booking-messages';

interface ReminderRow {
  id: string;
  booking_key: string;
  business_id: string;
  branch_id: string;
  offset_minutes: number;
  due_at: Date;
}

/**
 * Turns due reminders into queued messages. Reminders live in the database; every copy runs
 * this loop and claims due rows with `FOR UPDATE SKIP LOCKED`, so there is no timer that only
 * one copy must run and no reminder is lost to a restart. A reminder is checked again when it
 * fires: none for an appointment that has started, been cancelled or moved (its replacement
 * fires instead).
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollLoop;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
    private readonly dispatcher: Dispatcher,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.loop = new PollLoop('reminders', () => this.fireDue(), Math.max(config.dispatch.pollMs, 500), logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async fireDue(now = new Date()): Promise<number> {
    const fired = await this.dataSource.transaction('READ COMMITTED', (m) => this.fireBatch(m, now));
    if (fired) this.dispatcher.wake();
    return fired;
  }

  private async fireBatch(m: EntityManager, now: Date): Promise<number> {
    const due: ReminderRow[] = await m.query(
      `SELECT id, booking_key, business_id, branch_id, offset_minutes, due_at FROM reminder
        WHERE status = 'PENDING' AND due_at <= ? ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    if (!due.length) return 0;
    // Branch settings and templates beside the transaction, while it reads the bookings.
    const branchIds = due.map((r) => r.branch_id);
    const beside = m.connection.manager;
    const context = Promise.all([loadBranchContexts(beside, branchIds), effectiveTemplatesFor(beside, branchIds)]);
    context.catch(() => undefined); // awaited below
    const { status, clientOf, appointments } = await loadBookings(m, due.map((r) => r.booking_key));
    const clients = await loadClients(m, [...clientOf.values()]);
    const [branches, templates] = await context;
    const messages: NewMessage[] = [];
    const outcome: [string, string, string | null][] = [];
    for (const reminder of due) {
      const all = appointments.get(reminder.booking_key) ?? [];
      const live = all.filter((a) => !NO_REMINDER_STATES.has(a.state));
      const first = live.length ? Math.min(...live.map((a) => new Date(a.start_at).getTime())) : undefined;
      let skip: string | null = null;
      if (status.get(reminder.booking_key) !== 'ACTIVE' || first === undefined) skip = 'NOT_ACTIVE';
      else if (first !== new Date(reminder.due_at).getTime() + reminder.offset_minutes * 60_000) skip = 'MOVED';
      else if (first <= now.getTime()) skip = 'APPOINTMENT_STARTED';
      if (skip) {
        outcome.push([reminder.id, 'SKIPPED', skip]);
        continue;
      }
      const branch = branches.get(reminder.branch_id) ?? fallbackBranch(reminder.branch_id, reminder.business_id);
      messages.push(
        ...(await composeBookingMessages(m, {
          kind: 'REMINDER',
          branch,
          bookingKey: reminder.booking_key,
          client: clients.get(clientOf.get(reminder.booking_key)!),
          appointments: live,
          allAppointments: all,
          keyParts: [String(reminder.offset_minutes), new Date(reminder.due_at).toISOString()],
          links: { bookingPublicUrl: this.config.bookingPublicUrl, linkSigningSecret: this.config.linkSigningSecret },
          templates: templates.get(branch.branchId),
        })),
      );
      outcome.push([reminder.id, 'FIRED', null]);
    }
    await enqueueMessages(m, messages);
    const t = literalRows(['id', 'status', 'reason'], outcome);
    await m.query(`UPDATE reminder r JOIN (${t.sql}) v ON r.id = v.id SET r.status = v.status, r.reason = v.reason, r.updated_at = NOW(3)`, t.params);
    return due.length;
  }
}
