import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadBookingConfig } from '../config/booking.config';
import { AbuseGuard } from './abuse';

describe('AbuseGuard (phone numbers and holds)', () => {
  const make = (env: Record<string, string> = {}) => new AbuseGuard(loadBookingConfig({ NODE_ENV: 'test', ...env }), new ThrottlerStorageService());

  it('accepts local and international mobiles from the branch country, in E.164', () => {
    const guard = make();
    expect(guard.checkMobile('087 123 4567', 'IE')).toBe('+353871234567');
    expect(guard.checkMobile('+353 87 123 4567', 'IE')).toBe('+353871234567');
  });

  it('refuses numbers from other countries unless allowed, non-mobiles and nonsense', () => {
    const guard = make();
    expect(() => guard.checkMobile('+44 7400 123456', 'IE')).toThrow(expect.objectContaining({ response: expect.objectContaining({ code: 'PHONE_COUNTRY_NOT_ALLOWED' }) }));
    expect(make({ PHONE_ALLOWED_COUNTRIES: 'GB' }).checkMobile('+44 7400 123456', 'IE')).toBe('+447400123456');
    // Irish premium rate (1550) and landlines are not where confirmations are texted.
    expect(() => guard.checkMobile('1550 123 456', 'IE')).toThrow();
    expect(() => guard.checkMobile('01 555 0100', 'IE')).toThrow(expect.objectContaining({ response: expect.objectContaining({ code: 'NOT_A_MOBILE' }) }));
    expect(() => guard.checkMobile('12', 'IE')).toThrow(expect.objectContaining({ response: expect.objectContaining({ code: 'INVALID_PHONE' }) }));
  });

  it('limits hold attempts per mobile number per hour with a 429', async () => {
    const guard = make({ RATE_LIMIT_HOLDS_PER_PHONE_PER_HOUR: '2' });
    await guard.countPhone('+353871234567');
    await guard.countPhone('+353871234567');
    await expect(guard.countPhone('+353871234567')).rejects.toMatchObject({ status: 429, response: expect.objectContaining({ code: 'RATE_LIMITED' }) });
    await expect(guard.countPhone('+353879999999')).resolves.toBeUndefined();
  });

  it('caps open holds per address until they are confirmed, released or expire', () => {
    const guard = make({ MAX_OPEN_HOLDS_PER_IP: '2' });
    const now = Date.now();
    guard.rememberHold('10.0.0.1', 'booking-1', now + 600_000);
    guard.rememberHold('10.0.0.1', 'booking-2', now + 600_000);
    expect(() => guard.checkOpenHolds('10.0.0.1', now)).toThrow(expect.objectContaining({ status: 429 }));
    expect(() => guard.checkOpenHolds('10.0.0.2', now)).not.toThrow();
    guard.forgetHold('booking-1');
    expect(() => guard.checkOpenHolds('10.0.0.1', now)).not.toThrow();
    guard.rememberHold('10.0.0.1', 'booking-3', now + 1_000);
    expect(() => guard.checkOpenHolds('10.0.0.1', now + 2_000)).not.toThrow();
  });
});
