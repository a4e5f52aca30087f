import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers are stored in E.164. Local forms are read with the branch's country as the
 * default; numbers that are not valid for their country are refused.
 */
export function normalizePhone(input: string, defaultCountry?: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 32) return undefined;
  // "00" is the international call prefix in most of the world (Ireland, the UK, the EU):
  // "00353 87 123 4567" is "+353 87 123 4567", whatever the default country.
  const international = /^00[1-9]/.test(trimmed) ? [`+${trimmed.slice(2)}`] : [];
  // Integrators send "353871234567" without the plus as often as with it.
  const candidates = [...international, ...(/^\d{8,15}$/.test(trimmed) ? [trimmed, `+${trimmed}`] : [trimmed])];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, candidate.startsWith('+') ? undefined : (defaultCountry as CountryCode | undefined));
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
}
