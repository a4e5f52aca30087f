import { DateTime } from 'luxon';

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/**
 * When a marketing message may go out: `now` itself outside quiet hours, otherwise the end of
 * the quiet period in the branch's zone (DST-correct: computed on the local clock).
 */
export function nextSendableTime(now: Date, timeZone: string, quiet: { start: string; end: string }): Date {
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return now;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) return now;
  const t = local.hour * 60 + local.minute;
  const inQuiet = start < end ? t >= start && t < end : t >= start || t < end;
  if (!inQuiet) return now;
  let resume = local.startOf('day').plus({ minutes: end });
  if (resume <= local) resume = resume.plus({ days: 1 });
  return resume.toJSDate();
}
