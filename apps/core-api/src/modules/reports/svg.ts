/**
 * Hand-drawn SVG charts (no native dependencies): a column chart for a value per day and a
 * bar chart for a value per person. Pure functions of their data; every text is escaped.
 */

export interface Datum {
  label: string;
  value: number;
  /** What to print for the value (default: the number). */
  display?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** A "nice" axis maximum (1, 2 or 5 × 10^n) at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

function frame(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="16" y="24" ${FONT} font-size="16" font-weight="600" fill="#1f2937">${esc(title)}</text>${body}</svg>`
  );
}

/** Columns left to right (e.g. revenue per day); negative values hang below the axis. */
export function columnChart(title: string, data: Datum[], options: { width?: number; height?: number; unit?: string } = {}): string {
  const width = options.width ?? 900;
  const height = options.height ?? 320;
  const left = 64;
  const right = 16;
  const top = 44;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const min = Math.min(0, ...data.map((d) => d.value));
  const span = max - (min < 0 ? -niceMax(-min) : 0);
  const floor = max - span;
  const y = (v: number) => top + ((max - v) / span) * plotH;
  const slot = data.length ? plotW / data.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const every = Math.max(1, Math.ceil(data.length / 12));
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = floor + (span * i) / 4;
    parts.push(
      `<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${width - right}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>` +
        `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" ${FONT} font-size="11" text-anchor="end" fill="#6b7280">${esc(fmt(v))}</text>`,
    );
  }
  data.forEach((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const y0 = y(Math.max(0, d.value));
    const h = Math.abs(y(d.value) - y(0));
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${d.value < 0 ? '#dc2626' : '#4f46e5'}">` +
        `<title>${esc(`${d.label}: ${d.display ?? fmt(d.value)}${options.unit ? ` ${options.unit}` : ''}`)}</title></rect>`,
    );
    if (i % every === 0) {
      parts.push(
        `<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 16}" ${FONT} font-size="11" text-anchor="middle" fill="#374151">${esc(d.label)}</text>`,
      );
    }
  });
  parts.push(`<line x1="${left}" y1="${y(0).toFixed(1)}" x2="${width - right}" y2="${y(0).toFixed(1)}" stroke="#9ca3af"/>`);
  if (options.unit) parts.push(`<text x="${left}" y="${height - 10}" ${FONT} font-size="11" fill="#6b7280">${esc(options.unit)}</text>`);
  if (!data.length)
    parts.push(`<text x="${width / 2}" y="${top + plotH / 2}" ${FONT} font-size="13" text-anchor="middle" fill="#6b7280">No data</text>`);
  return frame(width, height, title, parts.join(''));
}

/** Horizontal bars top to bottom (e.g. utilisation per stylist), each with its value printed. */
export function barChart(title: string, data: Datum[], options: { width?: number; max?: number } = {}): string {
  const width = options.width ?? 720;
  const row = 28;
  const top = 44;
  const labelW = 160;
  const valueW = 70;
  const height = top + Math.max(1, data.length) * row + 16;
  const plotW = width - labelW - valueW - 16;
  const max = options.max ?? niceMax(Math.max(0, ...data.map((d) => d.value)));
  const parts: string[] = [];
  data.forEach((d, i) => {
    const y = top + i * row;
    const w = Math.max(0, Math.min(1, d.value / max)) * plotW;
    parts.push(
      `<text x="${labelW - 8}" y="${y + 18}" ${FONT} font-size="12" text-anchor="end" fill="#374151">${esc(d.label)}</text>` +
        `<rect x="${labelW}" y="${y + 5}" width="${plotW}" height="${row - 10}" fill="#f3f4f6"/>` +
        `<rect x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="${row - 10}" fill="#059669"><title>${esc(`${d.label}: ${d.display ?? fmt(d.value)}`)}</title></rect>` +
        `<text x="${labelW + plotW + 8}" y="${y + 18}" ${FONT} font-size="12" fill="#111827">${esc(d.display ?? fmt(d.value))}</text>`,
    );
  });
  if (!data.length)
    parts.push(`<text x="${width / 2}" y="${top + 18}" ${FONT} font-size="13" text-anchor="middle" fill="#6b7280">No data</text>`);
  return frame(width, height, title, parts.join(''));
}
