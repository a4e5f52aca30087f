import { ApiError } from '@chairbook/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { BookingConfig } from '../config/booking.config';

const HOUR = 3_600_000;

export function rateLimited(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
}

/**
 * The guards against abuse of the public booking API that need more than a per-route rate:
 * mobiles only from allowed countries and only real mobiles (premium and shared-cost numbers,
 * the stuff of SMS pumping, are refused), holds per mobile number, and open holds per address.
 *
 * Counters live in this copy's memory, through @nestjs/throttler's storage (the same one that
 * rate-limits the routes). That keeps each copy stateless towards the others: with N copies a
 * client can get at most N times a limit, which the edge's per-IP rule (the WAF) bounds anyway.
 * A shared ThrottlerStorage (Redis) can replace it without touching this code.
 */
@Injectable()
export class AbuseGuard {
  /** ip → open holds (booking id → expiry, ms). Bounded: expired holds drop out on every visit. */
  private readonly openHolds = new Map<string, Map<string, number>>();
  /** booking id → the address that holds it. */
  private readonly holdOwner = new Map<string, string>();
  private static readonly MAX_TRACKED_ADDRESSES = 50_000;

  constructor(
    private readonly config: BookingConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
  ) {}

  /** The mobile in E.164, or a 400 naming the field. Local forms are read as the branch's country. */
  checkMobile(input: string, branchCountry: string): string {
    const parsed = parsePhoneNumberFromString(input.trim(), branchCountry as CountryCode);
    if (!parsed || !parsed.isValid()) {
      throw ApiError.badRequest('INVALID_PHONE', 'That mobile number does not look right; check it, or add your country code (e.g. +353)', [
        { field: 'mobile', message: 'must be a valid mobile number' },
      ]);
    }
    const allowed = new Set([branchCountry.toUpperCase(), ...this.config.phoneAllowedCountries]);
    if (!parsed.country || !allowed.has(parsed.country)) {
      throw ApiError.badRequest('PHONE_COUNTRY_NOT_ALLOWED', `This salon takes online bookings with a mobile number from ${[...allowed].join(', ')} only; please call the salon`, [
        { field: 'mobile', message: 'must be a mobile number from the salon’s country' },
      ]);
    }
    const type = parsed.getType();
    if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
      throw ApiError.badRequest('NOT_A_MOBILE', 'Please give a mobile number: we text your confirmation and reminders to it', [{ field: 'mobile', message: 'must be a mobile number' }]);
    }
    return parsed.number;
  }

  /** Counts a hold attempt for this mobile; 429 past the hourly limit. */
  async countPhone(e164: string): Promise<void> {
    const limit = this.config.limits.holdsPerPhonePerHour;
    const record = await this.storage.increment(`phone:${e164}`, HOUR, limit, HOUR, 'phone');
    if (record.isBlocked || record.totalHits > limit) {
      throw rateLimited('Too many booking attempts with this mobile number; please try again later or call the salon', record.timeToBlockExpire || record.timeToExpire);
    }
  }

  /** 429 while this address already has the maximum of unconfirmed holds open. */
  checkOpenHolds(ip: string, now = Date.now()): void {
    const holds = this.live(ip, now);
    if (holds && holds.size >= this.config.limits.openHoldsPerIp) {
      const nextFree = Math.min(...holds.values());
      throw rateLimited('You already have several times on hold; finish or release one of those bookings first', (nextFree - now) / 1000);
    }
  }

  rememberHold(ip: string, bookingId: string, expiresAt: number): void {
    if (!this.openHolds.has(ip) && this.openHolds.size >= AbuseGuard.MAX_TRACKED_ADDRESSES) {
      const oldest = this.openHolds.keys().next().value;
      if (oldest !== undefined) {
        for (const id of this.openHolds.get(oldest)?.keys() ?? []) this.holdOwner.delete(id);
        this.openHolds.delete(oldest);
      }
    }
    const holds = this.openHolds.get(ip) ?? new Map<string, number>();
    holds.set(bookingId, expiresAt);
    this.openHolds.set(ip, holds);
    this.holdOwner.set(bookingId, ip);
  }

  /** A hold was confirmed or released: it no longer counts against anyone. */
  forgetHold(bookingId: string): void {
    const ip = this.holdOwner.get(bookingId);
    if (ip === undefined) return;
    this.holdOwner.delete(bookingId);
    const holds = this.openHolds.get(ip);
    if (holds?.delete(bookingId) && !holds.size) this.openHolds.delete(ip);
  }

  private live(ip: string, now: number): Map<string, number> | undefined {
    const holds = this.openHolds.get(ip);
    if (!holds) return undefined;
    for (const [id, expiresAt] of holds) {
      if (expiresAt > now) continue;
      holds.delete(id);
      this.holdOwner.delete(id);
    }
    if (!holds.size) this.openHolds.delete(ip);
    return holds.size ? holds : undefined;
  }
}
