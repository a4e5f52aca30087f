import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['087 123 4567', 'IE', '+353871234567'],
    ['+353 87 123 4567', 'IE', '+353871234567'],
    ['353871234567', 'IE', '+353871234567'],
    ['00353871234567', 'IE', '+353871234567'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+44 7911 123456', 'IE', '+447911123456'],
    ['(201) 555-0123', 'US', '+12015550123'],
    // The 00 international prefix, with or without a default country.
    ['00353871230004', undefined, '+353871230004'],
    ['00353 87 123 0004', undefined, '+353871230004'],
    ['00353871230004', 'US', '+353871230004'],
    ['0044 7911 123456', 'IE', '+447911123456'],
  ] as [string, string | undefined, string][])('%s in %s is %s', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it.each(['00', '0000000000', '00 87 123 4567'])('refuses the 00 prefix with no valid number after it: %j', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it.each(['', '12', 'not a phone', '087 123', '+999 123 456 789', '1'.repeat(40)])('refuses %j', (input) => {
    expect(normalizePhone(input, 'IE')).toBeUndefined();
  });
});
