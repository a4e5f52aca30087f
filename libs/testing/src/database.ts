import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const testDb = {
  host: process.env['DB_HOST'] || '127.0.0.1',
  port: Number(process.env['DB_PORT'] || 3306),
  user: process.env['DB_USER'] || 'root',
  password: process.env['DB_PASSWORD'] || '',
};

/** A database name of its own for one test file, so files run in parallel without sharing state. */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const connection = await createConnection({ ...testDb });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Runs SQL against a test database directly (to arrange or inspect state). */
export async function queryDatabase<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const connection = await createConnection({ ...testDb, database, timezone: 'Z' });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}
