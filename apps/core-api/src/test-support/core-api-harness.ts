import { createLogger } from '@chairbook/platform';
import { captureEvents, ServiceHarness, startServiceForTest, waitForEventsRelayed } from '@chairbook/testing';
import { CoreApiConfig, loadCoreApiConfig } from '../config/core-api.config';
import { migrateCoreDatabase } from '../database/migrate';
import { createCoreApiApp } from '../http-app';

export type CoreApiHarness = ServiceHarness<CoreApiConfig> & {
  /**
   * Every event core-api published since the harness started, in the order the broker took
   * them: a queue of the test's own bound to the whole events exchange. The outbox keeps only
   * events still to leave, so this is the record of what left (read it through `publishedEvents`).
   */
  events: Awaited<ReturnType<typeof captureEvents>>;
};

/** The real core-api, migrated, on its own database and vhost (see startServiceForTest). */
export async function startCoreApi(options: { proxyDatabase?: boolean; proxyBroker?: boolean; rabbitUrl?: string; env?: Record<string, string> } = {}): Promise<CoreApiHarness> {
  const harness = await startServiceForTest({
    ...options,
    databaseEnv: 'CORE_API_DB_NAME',
    loadConfig: loadCoreApiConfig,
    migrate: (config) => migrateCoreDatabase(config, createLogger('core-api', config.logLevel)),
    createApp: (config) => createCoreApiApp(config),
  });
  const events = await captureEvents(harness.rabbitUrl, '#');
  return {
    ...harness,
    events,
    close: async () => {
      await events.close();
      await harness.close();
    },
  };
}

/** A published event: its type (the routing key) and its body as JSON. */
export interface PublishedEvent {
  type: string;
  payload: Record<string, any>;
}

/**
 * The events core-api published whose body mentions `text` (an id, say), in publishing order,
 * once every event committed so far has left: the outbox is empty (the relay deletes a row only
 * after the broker confirmed it) and the test's queue has stopped growing.
 */
export async function publishedEvents(api: CoreApiHarness, text = ''): Promise<PublishedEvent[]> {
  await waitForEventsRelayed(api.database, api.events);
  return api.events.received.filter((m) => JSON.stringify(m.body).includes(text)).map((m) => ({ type: m.routingKey, payload: m.body }));
}
