import { ensureDatabase } from '@chairbook/platform';
import type { Logger } from 'pino';
import type { MessagingConfig } from '../config/messaging.config';
import { createMessagingDataSource } from './data-source';

export async function migrateMessagingDatabase(config: MessagingConfig, logger: Logger): Promise<string[]> {
  await ensureDatabase(config.db);
  const dataSource = createMessagingDataSource(config);
  await dataSource.initialize();
  try {
    const names = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    logger.info({ database: config.db.database, applied: names }, names.length ? 'migrations applied' : 'schema up to date');
    return names;
  } finally {
    await dataSource.destroy();
  }
}
