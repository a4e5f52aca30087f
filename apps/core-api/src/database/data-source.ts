import { mysqlDataSourceOptions, OutboxEventEntity } from '@chairbook/platform';
import { DataSource } from 'typeorm';
import type { CoreApiConfig } from '../config/core-api.config';
import { coreMigrations } from './migrations';

export function coreDataSourceOptions(config: CoreApiConfig) {
  // multipleStatements: the booking path sends its transaction in two round trips (BatchedTransaction).
  return mysqlDataSourceOptions(config.db, { entities: [OutboxEventEntity], migrations: coreMigrations }, { multipleStatements: true });
}

export function createCoreDataSource(config: CoreApiConfig): DataSource {
  return new DataSource(coreDataSourceOptions(config));
}
