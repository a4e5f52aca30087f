import { commonEnv, databaseEnv, DatabaseSettings, flag, loadEnv, port, positiveInt, rabbitEnv } from '@chairbook/platform';
import { z } from 'zod';

const shape = {
  ...commonEnv,
  ...databaseEnv,
  ...rabbitEnv,
  CORE_API_PORT: port(3000),
  CORE_API_DB_NAME: z.string().regex(/^[A-Za-z0-9_]+$/).default('chairbook_core'),
  /** Relay the outbox from this process (turn off where a separate worker does it). */
  OUTBOX_RELAY_ENABLED: flag(true),
  OUTBOX_POLL_MS: positiveInt(250),
  /** How long a verified Basic credential is remembered before the slow hash is checked again. */
  AUTH_CACHE_TTL_MS: positiveInt(60_000),
  /** Per-credential request rate (Phorest documents 100 requests per second). */
  RATE_LIMIT_PER_SECOND: positiveInt(100),
  /** The booking site's credential carries every online customer (it limits them itself). */
  SERVICE_RATE_LIMIT_PER_SECOND: positiveInt(2_000),
  /** How often each copy adds its request counts to the shared table and reads the totals back. */
  RATE_LIMIT_SYNC_MS: positiveInt(100),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
};

/** Typed, nested configuration of the core API; built once from the environment at start. */
export class CoreApiConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly logLevel!: string;
  readonly shutdownTimeoutMs!: number;
  readonly http!: { port: number; requestTimeoutMs: number };
  readonly db!: DatabaseSettings;
  readonly rabbit!: { url: string; publishWindow: number; prefetch: number };
  readonly outbox!: { relayEnabled: boolean; pollIntervalMs: number };
  readonly auth!: { cacheTtlMs: number; rateLimitPerSecond: number; serviceRateLimitPerSecond: number; rateLimitSyncMs: number };
  readonly demoPassword?: string;
}

export function loadCoreApiConfig(env: NodeJS.ProcessEnv = process.env): CoreApiConfig {
  const e = loadEnv('core-api', shape, env);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: { port: e.CORE_API_PORT, requestTimeoutMs: e.REQUEST_TIMEOUT_MS },
    db: {
      host: e.DB_HOST,
      port: e.DB_PORT,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      database: e.CORE_API_DB_NAME,
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    },
    rabbit: { url: e.RABBITMQ_URL, publishWindow: e.RABBITMQ_PUBLISH_WINDOW, prefetch: e.RABBITMQ_PREFETCH },
    outbox: { relayEnabled: e.OUTBOX_RELAY_ENABLED, pollIntervalMs: e.OUTBOX_POLL_MS },
    auth: { cacheTtlMs: e.AUTH_CACHE_TTL_MS, rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND, serviceRateLimitPerSecond: e.SERVICE_RATE_LIMIT_PER_SECOND, rateLimitSyncMs: e.RATE_LIMIT_SYNC_MS },
    demoPassword: e.DEMO_PASSWORD,
  };
}
