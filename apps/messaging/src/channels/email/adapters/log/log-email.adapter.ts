import type { Logger } from 'pino';
import { EmailProvider, OutgoingEmail, ProviderHealth, SendOutcome } from '../../../provider.types';

/** Development adapter: writes the email to the log instead of sending it. */
export class LogEmailAdapter implements EmailProvider {
  readonly name = 'log';
  readonly sent: OutgoingEmail[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly keep = 0,
  ) {}

  async send(email: OutgoingEmail): Promise<SendOutcome> {
    this.logger.info({ to: email.to, subject: email.subject, text: email.text, unsubscribeUrl: email.unsubscribeUrl }, 'email (log adapter, not sent)');
    if (this.keep) {
      this.sent.push(email);
      if (this.sent.length > this.keep) this.sent.shift();
    }
    return { outcome: 'accepted', providerMessageId: email.messageId };
  }

  async check(): Promise<ProviderHealth> {
    return { up: true, detail: 'log adapter' };
  }
}
