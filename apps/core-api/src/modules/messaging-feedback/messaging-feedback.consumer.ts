import { consumerQueues, createEvent, DomainEvent } from '@chairbook/contracts';
import { consumeDomainEvents, LOGGER, RabbitMqClient } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CoreApiConfig } from '../../config/core-api.config';
import { DomainEvents } from '../../events/domain-events';

const QUEUE = consumerQueues.coreApiMessagingEvents;

interface ConsentRow {
  id: string;
  sms_reminder_consent: number;
  email_reminder_consent: number;
  sms_marketing_consent: number;
  email_marketing_consent: number;
}

/**
 * What messaging learns from clients comes back here: an SMS STOP/START or an email
 * unsubscribe changes the client's marketing consent, so the salon's screens and every
 * integration see it. Effect-once through the inbox; the consent change is announced with
 * client.consent_changed through the outbox, in the same transaction.
 */
@Injectable()
export class MessagingFeedbackConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;

  constructor(
    private readonly config: CoreApiConfig,
    private readonly broker: RabbitMqClient,
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await consumeDomainEvents({
      client: this.broker,
      dataSource: this.dataSource,
      consumer: QUEUE.queue,
      spec: { ...QUEUE, bindings: [...QUEUE.bindings], prefetch: this.config.rabbit.prefetch },
      handlers: {
        'messaging.opt_out_changed': async (event, m) => {
          await this.applyOptOut(event, m);
          // The relay is nudged after the handler; the commit follows within milliseconds.
          setImmediate(() => this.events.flush());
        },
      },
      logger: this.logger,
      isStopping: () => this.stopping,
    });
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async applyOptOut(event: DomainEvent<'messaging.opt_out_changed'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const column = d.channel === 'SMS' ? 'sms_marketing_consent' : 'email_marketing_consent';
    const value = d.optedOut ? 0 : 1;
    const byAddress = d.optedOut ? (d.channel === 'SMS' ? 'mobile = ?' : 'email = ?') : null;
    const where = [d.clientIds.length ? 'id IN (?)' : null, byAddress].filter(Boolean).join(' OR ');
    if (!where) return;
    const params: unknown[] = [event.businessId, ...(d.clientIds.length ? [d.clientIds] : []), ...(byAddress ? [d.channel === 'SMS' ? d.address : d.address.toLowerCase()] : [])];
    const rows: ConsentRow[] = await m.query(
      `SELECT id, sms_reminder_consent, email_reminder_consent, sms_marketing_consent, email_marketing_consent FROM client
        WHERE business_id = ? AND (${where}) AND ${column} <> ${value} FOR UPDATE`,
      params,
    );
    if (!rows.length) return;
    await m.query(`UPDATE client SET ${column} = ?, version = version + 1, updated_at = NOW(3) WHERE id IN (?)`, [value, rows.map((r) => r.id)]);
    await this.events.record(
      m,
      ...rows.map((r) =>
        createEvent(
          'client.consent_changed',
          {
            clientId: r.id,
            smsReminderConsent: !!r.sms_reminder_consent,
            emailReminderConsent: !!r.email_reminder_consent,
            smsMarketingConsent: d.channel === 'SMS' ? !!value : !!r.sms_marketing_consent,
            emailMarketingConsent: d.channel === 'EMAIL' ? !!value : !!r.email_marketing_consent,
          },
          { businessId: event.businessId },
        ),
      ),
    );
    this.logger.info({ channel: d.channel, optedOut: d.optedOut, clients: rows.length, source: d.source }, 'marketing consent changed by the client');
  }
}
