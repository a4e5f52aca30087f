import { DateTime } from 'luxon';

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Placeholders in a template that are not in `allowed` (to refuse a template on save). */
export function unknownPlaceholders(template: string, allowed: readonly string[]): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) if (!allowed.includes(match[1])) unknown.add(match[1]);
  return [...unknown];
}

/** Fills `{{name}}` placeholders; unknown ones render empty rather than leaking braces to clients. */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template
    .replace(PLACEHOLDER, (_, name: string) => variables[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

/** "Cut", "Cut and Colour", "Cut, Colour and Blow-dry". */
export function joinNames(names: string[]): string {
  const unique = [...new Set(names.filter(Boolean))];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

/** Local date and time of an instant in the branch's zone and language. */
export function localDateTime(instant: Date, timeZone: string, locale: string): { date: string; time: string } {
  const formats = formatsFor(timeZone, locale);
  return { date: plainSpaces(formats.date.format(instant)), time: plainSpaces(formats.time.format(instant)) };
}

/**
 * ICU puts no-break spaces in some dates and times ("5:00\u202fAM" in en-US): they are not in
 * the GSM-7 alphabet, so one would turn a whole SMS into UCS-2 (70 characters a part, not 160).
 */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const DATE_OPTIONS: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
const TIME_OPTIONS: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: 'numeric' };
const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/**
 * The formatters luxon's toLocaleString would build (same options), made once per zone and
 * language instead of per message: building them is most of the cost of rendering a date.
 * An unknown zone renders in UTC (as luxon's invalid DateTime fallback did); an unusable
 * language tag in the runtime's default language.
 */
function formatsFor(timeZone: string, locale: string): { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  const key = `${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    const make = (zone: string, tag: string | undefined) => ({
      date: new Intl.DateTimeFormat(tag, { ...DATE_OPTIONS, timeZone: zone }),
      time: new Intl.DateTimeFormat(tag, { ...TIME_OPTIONS, timeZone: zone }),
    });
    const zone = DateTime.now().setZone(timeZone).isValid ? timeZone : 'UTC';
    try {
      f = make(zone, locale);
    } catch {
      f = make(zone, undefined);
    }
    if (formatters.size > 1_000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Escapes text and turns bare http(s) URLs into links (after escaping, so nothing is injected). */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

/**
 * The HTML part of an email, built from its text so the two never disagree: paragraphs from
 * blank-line-separated blocks, links made clickable, the salon's name as the heading, and an
 * optional footer (the unsubscribe link of marketing mail).
 */
export function emailHtml(text: string, salonName: string, footer?: { text: string; url: string }): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((block) => `<p style="margin:0 0 16px">${linkify(escapeHtml(block)).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const foot = footer
    ? `<p style="margin:24px 0 0;font-size:12px;color:#666">${escapeHtml(footer.text)} <a href="${escapeHtml(footer.url)}">Unsubscribe</a></p>`
    : '';
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(salonName)}</title></head>` +
    `<body style="font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222;max-width:560px;margin:0 auto;padding:24px">` +
    `<h1 style="font-size:20px;margin:0 0 24px">${escapeHtml(salonName)}</h1>\n${paragraphs}\n${foot}</body></html>`
  );
}
