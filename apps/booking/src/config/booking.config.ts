import { commonEnv, loadEnv, port, positiveInt } from '@chairbook/platform';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Dev-only defaults: `npm start` and the tests pass real values; production must set them. */
const DEV_API_USER = 'booking-site@chairbook.internal';
/** The same development secret as messaging's, so links it sends locally open here. */
const DEV_LINK_SECRET = 'chairbook-development-link-secret';

const countryList = z
  .string()
  .regex(/^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/, 'must be ISO country codes separated by commas, e.g. IE,GB')
  .transform((v) => v.split(',').map((c) => c.trim().toUpperCase()));

const shape = {
  ...commonEnv,
  BOOKING_PORT: port(3001),
  CORE_API_URL: z.url().default('http://127.0.0.1:3000'),
  BOOKING_PUBLIC_URL: z.url().default('http://localhost:3001'),
  /** The booking site's own SERVICE credential for core-api (`global/<email>`). */
  BOOKING_API_USER: z.string().min(3).optional(),
  BOOKING_API_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Shared with messaging: signs the customers' "manage my booking" links. */
  LINK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where the built Ember app (apps/booking-web) is; found next to the bundle or in the repo when unset. */
  BOOKING_WEB_DIR: z.string().optional(),
  /** Calls to /book/api from one address per minute (reads included). */
  RATE_LIMIT_IP_PER_MINUTE: positiveInt(120),
  /** Holds (slot reservations) one address may start per hour. */
  RATE_LIMIT_HOLDS_PER_IP_PER_HOUR: positiveInt(20),
  /** Holds one mobile number may start per hour (SMS pumping guard). */
  RATE_LIMIT_HOLDS_PER_PHONE_PER_HOUR: positiveInt(6),
  /** Unconfirmed holds one address may have open at once. */
  MAX_OPEN_HOLDS_PER_IP: positiveInt(3),
  /** Extra countries whose mobiles are accepted, besides each branch's own (e.g. "GB,FR"). */
  PHONE_ALLOWED_COUNTRIES: countryList.optional(),
  /** How long core-api may take to answer before the page is told to retry. */
  CORE_API_TIMEOUT_MS: positiveInt(8_000),
};

export class BookingConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly logLevel!: string;
  readonly shutdownTimeoutMs!: number;
  readonly http!: { port: number; requestTimeoutMs: number };
  readonly coreApiUrl!: string;
  readonly coreApiTimeoutMs!: number;
  readonly publicUrl!: string;
  readonly coreApiCredential!: { user: string; password: string };
  readonly linkSigningSecret!: string;
  /** Folder holding index.html and assets/ of the Ember build, or null when not built. */
  readonly webDir!: string | null;
  readonly limits!: {
    ipPerMinute: number;
    holdsPerIpPerHour: number;
    holdsPerPhonePerHour: number;
    openHoldsPerIp: number;
  };
  readonly phoneAllowedCountries!: string[];
}

function findWebDir(explicit: string | undefined): string | null {
  if (explicit) return resolve(explicit);
  // The bundle (dist/main.js) carries a copy in dist/web; from sources or tests, the app's own dist.
  const candidates = [join(__dirname, 'web'), resolve(__dirname, '../../booking-web/dist'), resolve(__dirname, '../../../booking-web/dist'), resolve(process.cwd(), 'apps/booking-web/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

export function loadBookingConfig(env: NodeJS.ProcessEnv = process.env): BookingConfig {
  const e = loadEnv('booking', shape, env);
  const production = e.NODE_ENV === 'production';
  const missing = [
    !e.BOOKING_API_USER && 'BOOKING_API_USER',
    !e.BOOKING_API_PASSWORD && 'BOOKING_API_PASSWORD',
    !e.LINK_SIGNING_SECRET && 'LINK_SIGNING_SECRET',
  ].filter((name): name is string => !!name);
  if (production && missing.length) {
    // Same ConfigError as any bad variable, so the start-up message names every one missing.
    loadEnv('booking', Object.fromEntries(missing.map((name) => [name, z.string().min(1, 'required in production')])), env);
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http: { port: e.BOOKING_PORT, requestTimeoutMs: e.REQUEST_TIMEOUT_MS },
    coreApiUrl: e.CORE_API_URL.replace(/\/$/, ''),
    coreApiTimeoutMs: e.CORE_API_TIMEOUT_MS,
    publicUrl: e.BOOKING_PUBLIC_URL.replace(/\/$/, ''),
    coreApiCredential: { user: e.BOOKING_API_USER ?? DEV_API_USER, password: e.BOOKING_API_PASSWORD ?? '' },
    linkSigningSecret: e.LINK_SIGNING_SECRET ?? DEV_LINK_SECRET,
    webDir: findWebDir(e.BOOKING_WEB_DIR),
    limits: {
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      holdsPerIpPerHour: e.RATE_LIMIT_HOLDS_PER_IP_PER_HOUR,
      holdsPerPhonePerHour: e.RATE_LIMIT_HOLDS_PER_PHONE_PER_HOUR,
      openHoldsPerIp: e.MAX_OPEN_HOLDS_PER_IP,
    },
    phoneAllowedCountries: e.PHONE_ALLOWED_COUNTRIES ?? [],
  };
}
