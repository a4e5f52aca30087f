import { ApiError, LOGGER, OutboxRelay } from '@chairbook/platform';
import { Controller, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Counter, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { SMS_PROVIDER } from '../channels/provider.types';
import type { SmsProvider } from '../channels/provider.types';
import { MessagingConfig } from '../config/messaging.config';
import { STATUS_RANK } from '../dispatch/message-store';
import { recordOptOut, replyKeyword } from './opt-outs';

const callbacks = (() => {
  const existing = register.getSingleMetric('sms_status_callbacks_total');
  return (existing as Counter<'outcome'> | undefined) ?? new Counter({ name: 'sms_status_callbacks_total', help: 'SMS delivery callbacks by outcome (applied, stale, unknown, forbidden)', labelNames: ['outcome'] });
})();

/**
 * What the SMS provider calls: delivery status and inbound replies. Both are signed by the
 * provider (Twilio: HMAC-SHA1 of the public URL and the sorted form params with the auth
 * token); anything else gets 403 and changes nothing.
 */
@ApiTags('webhooks')
@Controller('messaging/webhooks/sms')
export class WebhooksController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
    private readonly relay: OutboxRelay,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('status')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delivery status callback (form-encoded, X-Twilio-Signature)' })
  async status(@Req() req: FastifyRequest, @Headers('x-twilio-signature') signature?: string): Promise<void> {
    const params = this.verified(req, signature);
    const update = this.sms.parseStatusCallback(params);
    if (!update) {
      callbacks.inc({ outcome: 'unknown' });
      return;
    }
    const ref = (req.query as Record<string, string | undefined>)['ref'];
    const rank = STATUS_RANK[update.status];
    // Forward only: a late "sent" after "delivered", or the same callback twice, changes nothing.
    const result: { affectedRows: number } = await this.dataSource.query(
      `UPDATE message SET status = ?, provider_message_id = COALESCE(provider_message_id, ?),
              delivered_at = IF(? = 'DELIVERED', COALESCE(delivered_at, NOW(3)), delivered_at),
              sent_at = IF(? >= 2, COALESCE(sent_at, NOW(3)), sent_at),
              status_reason = IF(? IN ('FAILED', 'UNDELIVERED'), ?, status_reason), updated_at = NOW(3)
        WHERE ${ref && /^\d{1,20}$/.test(ref) ? 'id = ?' : 'provider_message_id = ?'} AND channel = 'SMS'
          AND status IN ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'UNDELIVERED', 'FAILED')
          AND (CASE status WHEN 'QUEUED' THEN 0 WHEN 'SENDING' THEN 1 WHEN 'SENT' THEN 2 ELSE 3 END) < ?`,
      [
        update.status,
        update.providerMessageId,
        update.status,
        rank,
        update.status,
        update.errorCode ? `PROVIDER_${update.errorCode}`.slice(0, 60) : 'PROVIDER_REPORTED',
        ref && /^\d{1,20}$/.test(ref) ? ref : update.providerMessageId,
        rank,
      ],
    );
    callbacks.inc({ outcome: result.affectedRows ? 'applied' : 'stale' });
  }

  @Post('inbound')
  @HttpCode(200)
  @ApiOperation({ summary: 'Inbound SMS: STOP/UNSUBSCRIBE/END/QUIT/CANCEL/OPTOUT opt out of marketing, START opts back in' })
  async inbound(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const params = this.verified(req, signature);
    const from = params['From'];
    const reply_ = replyKeyword(params['Body'] ?? '');
    void reply.header('content-type', 'text/xml; charset=utf-8');
    if (from && reply_) {
      const outcome = await this.dataSource.transaction((m) =>
        recordOptOut(m, { channel: 'SMS', address: from, optOut: reply_.optOut, source: 'SMS_REPLY', keyword: reply_.keyword, scope: '*', detail: params['MessageSid'] }),
      );
      this.relay.wake();
      this.logger.info({ keyword: reply_.keyword, businesses: outcome.businesses }, 'SMS opt-out reply recorded');
    }
    // The provider sends the carrier-mandated STOP/START confirmation itself: reply nothing.
    return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
  }

  private verified(req: FastifyRequest, signature: string | undefined): Record<string, string> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v;
    const url = `${this.config.publicUrl}${req.url}`;
    if (!this.sms.verifySignature(url, params, signature)) {
      callbacks.inc({ outcome: 'forbidden' });
      throw new ApiError(403, 'BAD_SIGNATURE', 'The webhook signature does not match');
    }
    return params;
  }
}
