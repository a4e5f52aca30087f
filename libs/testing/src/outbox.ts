import { queryDatabase } from './database';
import { waitFor } from './wait-for';

/**
 * Waits until every event committed to `database`'s outbox so far has left and arrived: the
 * outbox is empty (the relay deletes a row only once the broker confirmed it) and `capture`
 * (captureEvents on the service's vhost) has stopped growing between two looks.
 */
export async function waitForEventsRelayed(database: string, capture: { received: unknown[] }, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  let seen = -1;
  await waitFor(
    async () => {
      const [{ n }] = await queryDatabase<{ n: number | string }>(database, 'SELECT COUNT(*) AS n FROM outbox_event');
      const settled = Number(n) === 0 && capture.received.length === seen;
      seen = capture.received.length;
      return settled;
    },
    { timeoutMs: options.timeoutMs ?? 15_000, intervalMs: options.intervalMs ?? 50, what: 'the outbox to be relayed and its events received' },
  );
}
