import { ensureDatabase } from '@chairbook/platform';
import type { Logger } from 'pino';
import type { CoreApiConfig } from '../config/core-api.config';
import { createCoreDataSource } from './data-source';

/** Creates the schema if needed and applies every pending migration; safe to run repeatedly. */
export async function migrateCoreDatabase(config: CoreApiConfig, logger: Logger): Promise<string[]> {
  await ensureDatabase(config.db);
  const dataSource = createCoreDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((m) => m.name);
    logger.info({ database: config.db.database, applied: names }, names.length ? 'migrations applied' : 'schema up to date');
    return names;
  } finally {
    await dataSource.destroy();
  }
}
