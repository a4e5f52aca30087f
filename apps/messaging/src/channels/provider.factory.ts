import type { Logger } from 'pino';
import type { MessagingConfig } from '../config/messaging.config';
import { LogEmailAdapter } from './email/adapters/log/log-email.adapter';
import { SmtpEmailAdapter } from './email/adapters/smtp/smtp.adapter';
import type { EmailProvider, SmsProvider } from './provider.types';
import { LogSmsAdapter } from './sms/adapters/log/log-sms.adapter';
import { TwilioSmsAdapter } from './sms/adapters/twilio/twilio.adapter';

/** The status-callback path providers post to (under the public base URL). */
export const SMS_STATUS_PATH = '/messaging/webhooks/sms/status';

export function createSmsProvider(config: MessagingConfig, logger: Logger): SmsProvider {
  switch (config.sms.provider) {
    case 'twilio':
      return new TwilioSmsAdapter(
        {
          apiBaseUrl: config.sms.apiBaseUrl,
          accountSid: config.sms.accountSid ?? '',
          authToken: config.sms.authToken ?? '',
          from: config.sms.from ?? '',
          statusCallbackUrl: `${config.publicUrl}${SMS_STATUS_PATH}`,
          ratePerSecond: config.smsLimits.ratePerSecond,
          timeoutMs: config.smsLimits.timeoutMs,
          maxSockets: config.dispatch.concurrency,
        },
        logger,
      );
    case 'log':
      return new LogSmsAdapter(logger);
  }
}

export function createEmailProvider(config: MessagingConfig, logger: Logger): EmailProvider {
  switch (config.email.provider) {
    case 'smtp':
      return new SmtpEmailAdapter(
        { host: config.email.host, port: config.email.port, secure: config.email.secure, user: config.email.user, password: config.email.password, from: config.email.from },
        logger,
      );
    case 'log':
      return new LogEmailAdapter(logger);
  }
}
