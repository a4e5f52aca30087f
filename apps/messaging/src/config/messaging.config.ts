import { commonEnv, databaseEnv, DatabaseSettings, flag, loadEnv, port, positiveInt, rabbitEnv } from '@chairbook/platform';
import { z } from 'zod';

const shape = {
  ...commonEnv,
  ...databaseEnv,
  ...rabbitEnv,
  /**
   * Unacked core events this copy holds. Messaging handles what arrived together in one
   * transaction, so it takes more than the platform default to form batches.
   */
  RABBITMQ_PREFETCH: positiveInt(1000),
  /** Core events handled per consumer transaction at most, and transactions at once. */
  MESSAGING_EVENT_BATCH: positiveInt(500),
  MESSAGING_EVENT_CONCURRENCY: positiveInt(2),
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
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: flag(false),
  /** Where providers and customers reach this service: status callbacks and unsubscribe links. */
  MESSAGING_PUBLIC_URL: z.url().default('http://localhost:3002'),
  /** Signs manage-booking links (shared with the booking site) and unsubscribe links. */
  LINK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** SMS requests per second from one copy (the provider's per-sender rate). */
  SMS_RATE_PER_SECOND: positiveInt(30),
  SMS_TIMEOUT_MS: positiveInt(10_000),
  /** A message claimed for sending longer ago than this is presumed orphaned and reconciled. */
  MESSAGING_SEND_LEASE_MS: positiveInt(120_000),
  MESSAGING_DISPATCH_BATCH: positiveInt(300),
  /** Claim-send-record loops per copy. */
  MESSAGING_DISPATCH_LOOPS: positiveInt(2),
  MESSAGING_DISPATCH_CONCURRENCY: positiveInt(64),
  MESSAGING_POLL_MS: positiveInt(250),
  MESSAGING_AUTH_CACHE_TTL_MS: positiveInt(30_000),
  /** How often the dead-letter queue's depth is read for /health and the metric. */
  MESSAGING_DLQ_POLL_MS: positiveInt(15_000),
  OUTBOX_POLL_MS: positiveInt(250),
};

/** Only for development machines: production must set LINK_SIGNING_SECRET (checked below). */
export const DEVELOPMENT_LINK_SECRET = 'chairbook-development-link-secret';

export class MessagingConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly logLevel!: string;
  readonly shutdownTimeoutMs!: number;
  readonly http!: { port: number; requestTimeoutMs: number };
  readonly db!: DatabaseSettings;
  readonly rabbit!: { url: string; publishWindow: number; prefetch: number };
  readonly coreApiUrl!: string;
  readonly bookingPublicUrl!: string;
  readonly sms!: { provider: 'twilio' | 'log'; apiBaseUrl: string; accountSid?: string; authToken?: string; from?: string };
  readonly email!: { provider: 'smtp' | 'log'; host: string; port: number; secure: boolean; user?: string; password?: string; from: string };
  readonly publicUrl!: string;
  readonly linkSigningSecret!: string;
  readonly smsLimits!: { ratePerSecond: number; timeoutMs: number };
  readonly dispatch!: { leaseMs: number; batchSize: number; concurrency: number; pollMs: number; loops: number };
  readonly auth!: { cacheTtlMs: number };
  readonly events!: { maxBatch: number; concurrency: number; deadLetterPollMs: number };
  readonly outbox!: { pollIntervalMs: number };
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
  if (e.NODE_ENV === 'production' && !e.LINK_SIGNING_SECRET) {
    loadEnv('messaging', { LINK_SIGNING_SECRET: z.string().min(1, 'required in production (the booking site verifies the links)') }, env);
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: { port: e.MESSAGING_PORT, requestTimeoutMs: e.REQUEST_TIMEOUT_MS },
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
    email: { provider: e.EMAIL_PROVIDER, host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, password: e.SMTP_PASSWORD, from: e.SMTP_FROM },
    publicUrl: e.MESSAGING_PUBLIC_URL.replace(/\/$/, ''),
    linkSigningSecret: e.LINK_SIGNING_SECRET ?? DEVELOPMENT_LINK_SECRET,
    smsLimits: { ratePerSecond: e.SMS_RATE_PER_SECOND, timeoutMs: e.SMS_TIMEOUT_MS },
    dispatch: { leaseMs: e.MESSAGING_SEND_LEASE_MS, batchSize: e.MESSAGING_DISPATCH_BATCH, concurrency: e.MESSAGING_DISPATCH_CONCURRENCY, pollMs: e.MESSAGING_POLL_MS, loops: e.MESSAGING_DISPATCH_LOOPS },
    auth: { cacheTtlMs: e.MESSAGING_AUTH_CACHE_TTL_MS },
    events: { maxBatch: e.MESSAGING_EVENT_BATCH, concurrency: e.MESSAGING_EVENT_CONCURRENCY, deadLetterPollMs: e.MESSAGING_DLQ_POLL_MS },
    outbox: { pollIntervalMs: e.OUTBOX_POLL_MS },
  };
}
