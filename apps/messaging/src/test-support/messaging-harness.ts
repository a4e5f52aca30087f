import { createLogger } from '@chairbook/platform';
import { ServiceHarness, startServiceForTest } from '@chairbook/testing';
import { loadMessagingConfig, MessagingConfig } from '../config/messaging.config';
import { migrateMessagingDatabase } from '../database/migrate';
import { createMessagingApp } from '../http-app';

export type MessagingHarness = ServiceHarness<MessagingConfig>;

/** The real messaging service, migrated, on its own database and vhost. */
export function startMessaging(options: { proxyDatabase?: boolean; proxyBroker?: boolean; rabbitUrl?: string; env?: Record<string, string> } = {}): Promise<MessagingHarness> {
  return startServiceForTest({
    ...options,
    databaseEnv: 'MESSAGING_DB_NAME',
    loadConfig: loadMessagingConfig,
    migrate: (config) => migrateMessagingDatabase(config, createLogger('messaging', config.logLevel)),
    createApp: (config) => createMessagingApp(config),
  });
}
