/** Formatting for the pages: money in the salon's currency, times in the salon's zone. */

export function money(amount: number, currency: string | null | undefined): string {
  if (!currency) return amount.toFixed(2);
  try {
    return new Intl.NumberFormat('en-IE', { style: 'currency', currency, minimumFractionDigits: amount % 1 ? 2 : 0 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "€55" or "from €22" when stylists charge differently. */
export function priceLabel(price: number, priceMax: number, currency: string): string {
  if (price === 0 && priceMax === 0) return 'Free';
  return price === priceMax ? money(price, currency) : `from ${money(price, currency)}`;
}

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function durationLabel(min: number, max: number): string {
  return min === max ? duration(min) : `${duration(min)} – ${duration(max)}`;
}

export function dateLong(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(new Date(iso));
}

export function timeOfDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IE', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(new Date(iso));
}

export function when(iso: string, timeZone: string): string {
  return `${dateLong(iso, timeZone)} at ${timeOfDay(iso, timeZone)}`;
}

/** A local calendar date (YYYY-MM-DD) as "Tue 2 Dec", read as a date, not an instant. */
export function dayLabel(date: string): { weekday: string; day: string; full: string } {
  const [y, m, d] = date.split('-').map(Number);
  const utc = new Date(Date.UTC(y!, m! - 1, d, 12));
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-IE', { ...o, timeZone: 'UTC' }).format(utc);
  return { weekday: fmt({ weekday: 'short' }), day: fmt({ day: 'numeric', month: 'short' }), full: fmt({ weekday: 'long', day: 'numeric', month: 'long' }) };
}

/** Today's date in a zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y!, m! - 1, d! + days));
  return next.toISOString().slice(0, 10);
}

/** The city part of an IANA zone, for "Times are in Dublin time". */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

/** A note for visitors whose device is set to another zone than the salon's (null when the same). */
export function zoneNote(salonZone: string, deviceZone: string | undefined): string | null {
  if (!deviceZone || deviceZone === salonZone) return null;
  return `Times are the salon’s local time: ${zoneCity(salonZone)} (${salonZone}).`;
}

export function deviceTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function countdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export const DAY_NAMES: Record<string, string> = {
  MONDAY: 'Monday',
  TUESDAY: 'Tuesday',
  WEDNESDAY: 'Wednesday',
  THURSDAY: 'Thursday',
  FRIDAY: 'Friday',
  SATURDAY: 'Saturday',
  SUNDAY: 'Sunday',
};
