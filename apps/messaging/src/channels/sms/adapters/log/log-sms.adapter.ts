import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DeliveryUpdate, OutgoingSms, ProviderHealth, SendOutcome, SmsProvider } from '../../../provider.types';

/** Development adapter: writes the SMS to the log instead of sending it. */
export class LogSmsAdapter implements SmsProvider {
  readonly name = 'log';
  readonly sent: (OutgoingSms & { providerMessageId: string })[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly keep = 0,
  ) {}

  async send(sms: OutgoingSms): Promise<SendOutcome> {
    const providerMessageId = `log-${randomUUID()}`;
    this.logger.info({ to: sms.to, body: sms.body, providerMessageId }, 'SMS (log adapter, not sent)');
    if (this.keep) {
      this.sent.push({ ...sms, providerMessageId });
      if (this.sent.length > this.keep) this.sent.shift();
    }
    return { outcome: 'accepted', providerMessageId };
  }

  parseStatusCallback(): DeliveryUpdate | null {
    return null;
  }

  /** Nothing calls back for the log adapter; refuse every webhook. */
  verifySignature(): boolean {
    return false;
  }

  async check(): Promise<ProviderHealth> {
    return { up: true, detail: 'log adapter' };
  }
}
