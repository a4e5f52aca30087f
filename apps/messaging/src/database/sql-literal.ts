import { escape } from 'mysql2';

/** A value mysql2 writes into a query as its SQL text, as is. */
export interface SqlLiteral {
  toSqlString(): string;
}

/**
 * A time written once per batch instead of once per row and column: multi-row inserts repeat
 * the same `now` (created, updated, claimed, not before) in every row, and formatting a Date is
 * the costliest value mysql2 escapes. Written exactly as mysql2 writes a Date on our
 * connections (timezone 'Z'), so the stored value is the same.
 */
export function sqlTime(date: Date): SqlLiteral {
  const text = escape(date, false, 'Z');
  return { toSqlString: () => text };
}
