import { DateTime } from 'luxon';
import { emailHtml, joinNames, localDateTime, renderTemplate, unknownPlaceholders } from './render';

describe('template rendering', () => {
  it('fills placeholders, tolerating spaces, and renders unknown ones empty', () => {
    expect(renderTemplate('Hi {{firstName}}, {{ time }} {{nope}}!', { firstName: 'Siobhán', time: '10:00' })).toBe('Hi Siobhán, 10:00 !');
  });

  it('names the placeholders a template may not use', () => {
    expect(unknownPlaceholders('{{firstName}} {{manageLink}} {{secret}} {{secret}}', ['firstName'])).toEqual(['manageLink', 'secret']);
  });

  it('joins service and staff names without repeats', () => {
    expect(joinNames(['Cut'])).toBe('Cut');
    expect(joinNames(['Cut', 'Colour', 'Cut'])).toBe('Cut and Colour');
    expect(joinNames(['Cut', 'Colour', 'Blow-dry'])).toBe('Cut, Colour and Blow-dry');
  });

  it('renders an instant in the branch zone, across daylight saving time', () => {
    // 09:00 UTC is 09:00 in Dublin in winter and 10:00 in summer.
    expect(localDateTime(new Date('2026-03-28T09:00:00Z'), 'Europe/Dublin', 'en-IE')).toEqual({ date: 'Saturday, 28 March', time: '09:00' });
    expect(localDateTime(new Date('2026-03-29T09:00:00Z'), 'Europe/Dublin', 'en-IE')).toEqual({ date: 'Sunday, 29 March', time: '10:00' });
    // With a plain space: ICU's narrow no-break space would make the whole SMS UCS-2.
    expect(localDateTime(new Date('2026-03-29T09:00:00Z'), 'America/New_York', 'en-US').time).toBe('5:00 AM');
  });

  it('formats as luxon does (with plain spaces), for every zone and language a branch may use', () => {
    const zones = ['Europe/Dublin', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Not/AZone'];
    const locales = ['en-IE', 'en-GB', 'en-US', 'fr-FR', 'de-DE', 'ga-IE', 'es'];
    for (const zone of zones) {
      for (const locale of locales) {
        for (let t = Date.UTC(2026, 0, 1, 7, 5); t < Date.UTC(2027, 0, 1); t += 17 * 24 * 3600_000 + 3_517_000) {
          const local = DateTime.fromJSDate(new Date(t), { zone }).setLocale(locale);
          const zoned = local.isValid ? local : DateTime.fromJSDate(new Date(t), { zone: 'UTC' }).setLocale(locale);
          const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
          const luxon = { date: plain(zoned.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })), time: plain(zoned.toLocaleString(DateTime.TIME_SIMPLE)) };
          expect([zone, locale, t, localDateTime(new Date(t), zone, locale)]).toEqual([zone, locale, t, luxon]);
        }
      }
    }
  });

  it('builds HTML from the text: escaped, linked, with the salon name and an unsubscribe footer', () => {
    const html = emailHtml('Hi <b>Ann</b>,\n\nManage: https://x.test/book/manage/abc', 'Foundation & Co', { text: 'Not for you?', url: 'https://m.test/u/1' });
    expect(html).toContain('<h1 style="font-size:20px;margin:0 0 24px">Foundation &amp; Co</h1>');
    expect(html).toContain('Hi &lt;b&gt;Ann&lt;/b&gt;,');
    expect(html).toContain('<a href="https://x.test/book/manage/abc">https://x.test/book/manage/abc</a>');
    expect(html).toContain('<a href="https://m.test/u/1">Unsubscribe</a>');
  });
});
