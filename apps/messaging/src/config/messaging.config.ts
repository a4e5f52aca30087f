import { commonEnv, databaseEnv, DatabaseSettings, loadEnv, port, rabbitEnv } from '@chairbook/platform';
import { z } from 'zod';

const shape = {
  ...commonEnv,
  ...databaseEnv,
  ...rabbitEnv,
  MESSAGING_PORT: port(3002),
  MESSAGING_DB_NAME: z.string().regex(/^[A-Za-z0-9_]+$/).default('chairbook_messaging'),
  CORE_API_URL: z.url().default('http://127.0.0.1:3000'),
  BOOKING_PUBLIC_URL: z.url().default('http://localhost:3001'),
  SMS_PROVIDER: z.enum(['twilio', 'log']).default('log'),
  SMS_API_BASE_URL: z.url().default('https://api.twilio.com'),
  SMS_ACCOUNT_SID: z.string().optional(),
  SMS_AUTH_TOKEN: z.string().optional(),
  SMS_FROM: z.string().optional(),
  EMAIL_PROVIDER: z.enum(['smtp', 'log']).default('log'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Chairbook <no-reply@chairbook.local>'),
};

export class MessagingConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly logLevel!: string;
  readonly shutdownTimeoutMs!: number;
  readonly http!: { port: number };
  readonly db!: DatabaseSettings;
  readonly rabbit!: { url: string; publishWindow: number; prefetch: number };
  readonly coreApiUrl!: string;
  readonly bookingPublicUrl!: string;
  readonly sms!: { provider: 'twilio' | 'log'; apiBaseUrl: string; accountSid?: string; authToken?: string; from?: string };
  readonly email!: { provider: 'smtp' | 'log'; host: string; port: number; user?: string; password?: string; from: string };
}

export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const e = loadEnv('messaging', shape, env);
  if (e.SMS_PROVIDER === 'twilio') {
    // Real sending needs the account; say so at start rather than at the first reminder.
    const missing = (['SMS_ACCOUNT_SID', 'SMS_AUTH_TOKEN', 'SMS_FROM'] as const).filter((k) => !e[k]);
    if (missing.length) {
      loadEnv('messaging', Object.fromEntries(missing.map((k) => [k, z.string().min(1, 'required when SMS_PROVIDER=twilio')])), env);
    }
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: { port: e.MESSAGING_PORT },
    db: {
      host: e.DB_HOST,
      port: e.DB_PORT,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      database: e.MESSAGING_DB_NAME,
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    },
    rabbit: { url: e.RABBITMQ_URL, publishWindow: e.RABBITMQ_PUBLISH_WINDOW, prefetch: e.RABBITMQ_PREFETCH },
    coreApiUrl: e.CORE_API_URL,
    bookingPublicUrl: e.BOOKING_PUBLIC_URL,
    sms: { provider: e.SMS_PROVIDER, apiBaseUrl: e.SMS_API_BASE_URL, accountSid: e.SMS_ACCOUNT_SID, authToken: e.SMS_AUTH_TOKEN, from: e.SMS_FROM },
    email: { provider: e.EMAIL_PROVIDER, host: e.SMTP_HOST, port: e.SMTP_PORT, user: e.SMTP_USER, password: e.SMTP_PASSWORD, from: e.SMTP_FROM },
  };
}
