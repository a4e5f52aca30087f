import { createLogger, RabbitMqClient } from '@chairbook/platform';
import { ServiceHarness, startServiceForTest } from '@chairbook/testing';
import { loadMessagingConfig, MessagingConfig } from '../config/messaging.config';
import { migrateMessagingDatabase } from '../database/migrate';
import { createMessagingApp } from '../http-app';

export type MessagingHarness = ServiceHarness<MessagingConfig>;

/**
 * The real messaging service, migrated, on its own database and vhost, connected to the broker
 * (its queues declared, so events published next are not dropped as unroutable).
 */
export async function startMessaging(options: { proxyDatabase?: boolean; proxyBroker?: boolean; rabbitUrl?: string; env?: Record<string, string> } = {}): Promise<MessagingHarness> {
  const harness = await startServiceForTest({
    ...options,
    databaseEnv: 'MESSAGING_DB_NAME',
    loadConfig: loadMessagingConfig,
    migrate: (config) => migrateMessagingDatabase(config, createLogger('messaging', config.logLevel)),
    createApp: (config) => createMessagingApp(config),
  });
  await harness.app.get(RabbitMqClient).waitUntilConnected(30_000);
  return harness;
}
