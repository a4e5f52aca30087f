import { createLogger } from '@chairbook/platform';
import { ServiceHarness, startServiceForTest } from '@chairbook/testing';
import { CoreApiConfig, loadCoreApiConfig } from '../config/core-api.config';
import { migrateCoreDatabase } from '../database/migrate';
import { createCoreApiApp } from '../http-app';

export type CoreApiHarness = ServiceHarness<CoreApiConfig>;

/** The real core-api, migrated, on its own database and vhost (see startServiceForTest). */
export function startCoreApi(options: { proxyDatabase?: boolean; proxyBroker?: boolean; rabbitUrl?: string; env?: Record<string, string> } = {}): Promise<CoreApiHarness> {
  return startServiceForTest({
    ...options,
    databaseEnv: 'CORE_API_DB_NAME',
    loadConfig: loadCoreApiConfig,
    migrate: (config) => migrateCoreDatabase(config, createLogger('core-api', config.logLevel)),
    createApp: (config) => createCoreApiApp(config),
  });
}
