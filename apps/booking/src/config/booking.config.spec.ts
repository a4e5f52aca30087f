import { ConfigError } from '@chairbook/platform';
import { loadBookingConfig } from './booking.config';

describe('booking configuration', () => {
  it('has development defaults', () => {
    const config = loadBookingConfig({});
    expect(config.coreApiCredential.user).toBe('booking-site@chairbook.internal');
    expect(config.limits).toEqual({ ipPerMinute: 120, holdsPerIpPerHour: 20, holdsPerPhonePerHour: 6, openHoldsPerIp: 3 });
    expect(config.phoneAllowedCountries).toEqual([]);
  });

  it('requires the credential and the link secret in production, naming each', () => {
    expect(() => loadBookingConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadBookingConfig({ NODE_ENV: 'production', BOOKING_API_USER: 'site@example.com' });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/BOOKING_API_PASSWORD[\s\S]*LINK_SIGNING_SECRET/);
    }
    expect(() => loadBookingConfig({ NODE_ENV: 'production', BOOKING_API_USER: 'site@example.com', BOOKING_API_PASSWORD: 'x'.repeat(16), LINK_SIGNING_SECRET: 'y'.repeat(32) })).not.toThrow();
  });

  it('reads the phone allow-list', () => {
    expect(loadBookingConfig({ PHONE_ALLOWED_COUNTRIES: 'gb, fr' }).phoneAllowedCountries).toEqual(['GB', 'FR']);
    expect(() => loadBookingConfig({ PHONE_ALLOWED_COUNTRIES: 'Ireland' })).toThrow(ConfigError);
  });
});
