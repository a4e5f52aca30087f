import { createTransport, Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { EmailProvider, OutgoingEmail, ProviderHealth, SendOutcome } from '../../../provider.types';

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  /** `Name <address>`; the salon's name replaces the display name per message. */
  from: string;
  timeoutMs?: number;
  maxConnections?: number;
}

/**
 * Email through an SMTP relay with nodemailer (pooled connections). 5xx replies are permanent
 * (no such mailbox, rejected); 4xx and connection trouble are retried by the dispatcher.
 */
export class SmtpEmailAdapter implements EmailProvider {
  readonly name = 'smtp';
  private readonly transport: Transporter;
  private readonly fromAddress: string;

  constructor(
    private readonly options: SmtpOptions,
    private readonly logger: Logger,
  ) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    const match = /<([^>]+)>/.exec(options.from);
    this.fromAddress = match ? match[1] : options.from.trim();
  }

  async send(email: OutgoingEmail): Promise<SendOutcome> {
    const headers: Record<string, string> = {};
    if (email.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${email.unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      const info = await this.transport.sendMail({
        from: email.fromName ? { name: email.fromName, address: this.fromAddress } : this.options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers,
      });
      return { outcome: 'accepted', providerMessageId: info.messageId || email.messageId };
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; message?: string };
      const message = e.message ?? String(err);
      if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
        return { outcome: 'failed', code: `SMTP_${e.responseCode}`, message };
      }
      this.logger.warn({ err: message, code: e.code }, 'SMTP send failed; will retry');
      // SMTP commits a message only at the end of DATA: anything failing earlier was not accepted.
      return { outcome: 'retry', code: e.responseCode ? `SMTP_${e.responseCode}` : (e.code ?? 'SMTP_ERROR'), message, maybeAccepted: false };
    }
  }

  async check(): Promise<ProviderHealth> {
    try {
      await Promise.race([
        this.transport.verify(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 1500 ms')), 1_500).unref()),
      ]);
      return { up: true };
    } catch (err) {
      return { up: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
