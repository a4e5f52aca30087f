/**
 * CSV as RFC 4180 (comma-separated, CRLF line ends, quotes doubled) with one guard: a text
 * cell that a spreadsheet would run as a formula (starting with = + - @ or a tab or carriage
 * return) is prefixed with a single quote (OWASP's advice against CSV injection). Numbers
 * (also negative ones) and E.164 phone numbers are left as they are.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const SAFE_AS_IS = /^(-?\d+(\.\d+)?|\+\d{6,15})$/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) && !SAFE_AS_IS.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
