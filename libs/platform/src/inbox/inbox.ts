import type { DataSource, EntityManager } from 'typeorm';

/** DDL for the inbox table, called from each consuming service's own migration. */
export const INBOX_TABLE_DDL = `
CREATE TABLE inbox_event (
  consumer VARCHAR(100) NOT NULL,
  event_id CHAR(36) NOT NULL,
  type VARCHAR(100) NOT NULL,
  received_at DATETIME(3) NOT NULL,
  PRIMARY KEY (consumer, event_id),
  KEY ix_inbox_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

/**
 * Runs `work` at most once per (consumer, event id): the inbox row and the work commit in one
 * transaction, so a redelivered event is recognised and skipped, and a crash before commit
 * leaves nothing behind for the redelivery to trip over.
 */
export async function handleOnce(
  dataSource: DataSource,
  consumer: string,
  event: { id: string; type: string },
  work: (manager: EntityManager) => Promise<void>,
): Promise<'processed' | 'duplicate'> {
  return dataSource.transaction(async (manager) => {
    const result: { affectedRows: number } = await manager.query(
      'INSERT IGNORE INTO inbox_event (consumer, event_id, type, received_at) VALUES (?, ?, ?, NOW(3))',
      [consumer, event.id, event.type],
    );
    if (result.affectedRows === 0) return 'duplicate';
    await work(manager);
    return 'processed';
  });
}
