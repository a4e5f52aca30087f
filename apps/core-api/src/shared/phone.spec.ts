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
  ])('%s in %s is %s', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it.each(['', '12', 'not a phone', '087 123', '+999 123 456 789', '1'.repeat(40)])('refuses %j', (input) => {
    expect(normalizePhone(input, 'IE')).toBeUndefined();
  });
});
