import { commonEnv, loadEnv, port } from '@chairbook/platform';
import { z } from 'zod';

const shape = {
  ...commonEnv,
  BOOKING_PORT: port(3001),
  CORE_API_URL: z.url().default('http://127.0.0.1:3000'),
  BOOKING_PUBLIC_URL: z.url().default('http://localhost:3001'),
};

export class BookingConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly logLevel!: string;
  readonly shutdownTimeoutMs!: number;
  readonly http!: { port: number };
  readonly coreApiUrl!: string;
  readonly publicUrl!: string;
}

export function loadBookingConfig(env: NodeJS.ProcessEnv = process.env): BookingConfig {
  const e = loadEnv('booking', shape, env);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: { port: e.BOOKING_PORT },
    coreApiUrl: e.CORE_API_URL.replace(/\/$/, ''),
    publicUrl: e.BOOKING_PUBLIC_URL.replace(/\/$/, ''),
  };
}
