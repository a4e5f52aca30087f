import { toMajor, toMinor } from './money';

describe('money', () => {
  it.each([
    [5500, 'EUR', 55],
    [1999, 'GBP', 19.99],
    [1, 'EUR', 0.01],
    [500, 'JPY', 500],
    [1234, 'BHD', 1.234],
  ])('%i minor %s is %d', (minor, currency, major) => {
    expect(toMajor(minor, currency)).toBe(major);
    expect(toMinor(major, currency)).toBe(minor);
  });

  it('refuses more decimals than the currency has', () => {
    expect(toMinor(10.005, 'EUR')).toBeUndefined();
    expect(toMinor(1.5, 'JPY')).toBeUndefined();
  });

  it('does not drift on amounts binary floats get wrong', () => {
    expect(toMinor(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinor(0.3, 'EUR')).toBe(30);
    expect(toMinor(19.99, 'EUR')).toBe(1999);
  });
});
