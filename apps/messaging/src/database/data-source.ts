import { mysqlDataSourceOptions, OutboxEventEntity } from '@chairbook/platform';
import { DataSource } from 'typeorm';
import type { MessagingConfig } from '../config/messaging.config';
import { messagingMigrations } from './migrations';

export function messagingDataSourceOptions(config: MessagingConfig) {
  return mysqlDataSourceOptions(config.db, { entities: [OutboxEventEntity], migrations: messagingMigrations });
}

export function createMessagingDataSource(config: MessagingConfig): DataSource {
  return new DataSource(messagingDataSourceOptions(config));
}
