import * as mysql2 from 'mysql2';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  connectTimeoutMs: number;
}

/**
 * mysql2 as TypeORM gets it, with one change: TypeORM asks the pooled connection for its promise
 * wrapper on every query (`connection.promise()`), which mysql2 builds anew each time, `require`
 * included (~5% of core-api's CPU under booking load); each connection now keeps its wrapper
 * (it holds no state of its own beyond the connection).
 */
const mysqlDriver = {
  ...mysql2,
  createPool(config: mysql2.PoolOptions): mysql2.Pool {
    const pool = mysql2.createPool(config);
    pool.on('connection', (connection: mysql2.PoolConnection) => {
      const wrap = connection.promise.bind(connection);
      const wrapper = wrap();
      connection.promise = (promiseImpl?: PromiseConstructor) => (promiseImpl ? wrap(promiseImpl) : wrapper);
    });
    return pool;
  },
};

/**
 * TypeORM options shared by every service that owns a MySQL schema. Times are stored in UTC
 * (`timezone: 'Z'`); schema changes only through migrations (`synchronize` is never on).
 */
export function mysqlDataSourceOptions(
  db: DatabaseSettings,
  parts: { entities: DataSourceOptions['entities']; migrations: DataSourceOptions['migrations'] },
  options: { multipleStatements?: boolean } = {},
): DataSourceOptions {
  return {
    type: 'mysql',
    // Bundled apps miss TypeORM's dynamic require of the driver, so hand it over explicitly.
    driver: mysqlDriver,
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    entities: parts.entities,
    migrations: parts.migrations,
    poolSize: db.poolSize,
    connectTimeout: db.connectTimeoutMs,
    // Off unless a service batches statements into one round trip (values are still escaped
    // one by one; only whole statements are joined).
    multipleStatements: options.multipleStatements ?? false,
    extra: {
      enableKeepAlive: true,
      // When the database is slow, requests queue for a connection; past this many they fail
      // fast (503) instead of piling up until memory runs out.
      queueLimit: db.poolSize * 50,
      maxIdle: db.poolSize,
      idleTimeout: 60_000,
      decimalNumbers: true,
      // No stack capture per query in mysql2's promise wrapper (~7% of core-api's CPU under
      // booking load): TypeORM's QueryFailedError keeps the caller's (async) stack.
      trace: false,
    },
  } as DataSourceOptions;
}

/** Creates the service's schema when it does not exist yet (first start on a fresh server). */
export async function ensureDatabase(db: DatabaseSettings): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(db.database)) throw new Error(`invalid database name ${db.database}`);
  const connection = await createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    connectTimeout: db.connectTimeoutMs,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_INTERRUPTED',
]);

/**
 * True for failures that say nothing about the request itself (the database went away, a
 * deadlock, a lock wait timeout): retry later, answer 503, never dead-letter for these.
 */
export function isTransientDbError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { code?: string; errno?: number; message?: string; driverError?: unknown; cause?: unknown };
    if (e.code && TRANSIENT_CODES.has(e.code)) return true;
    if (e.errno === 1205 || e.errno === 1213 || e.errno === 2013 || e.errno === 2006) return true;
    if (/Pool is closed|Queue limit reached|Connection lost|connect ETIMEDOUT|Can't add new command when connection is in closed state|Timeout acquiring|No connection|read ECONNRESET/i.test(e.message ?? '')) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}
