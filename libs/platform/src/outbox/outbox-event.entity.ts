import { Column, Entity, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';

/**
 * An event waiting to be published, written in the same transaction as the change it
 * describes, so a committed change always gets its event and a rolled-back one never does.
 * The relay deletes a row once the broker confirmed it (see OutboxRelay).
 */
@Entity('outbox_event')
export class OutboxEventEntity {
  /** Insertion order, so events of one aggregate leave in the order they happened. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  seq!: string;

  /** The event's own id (a random UUID; consumers drop a repeat by it). Not indexed: see OUTBOX_DROP_EVENT_ID_KEY. */
  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'longtext' })
  payload!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}

/**
 * DDL for the outbox table as each owning service's first migration created it (kept as it was:
 * migrations that ran must not change); OUTBOX_DROP_EVENT_ID_KEY follows it.
 */
export const OUTBOX_TABLE_DDL = `
CREATE TABLE outbox_event (
  seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id CHAR(36) NOT NULL,
  type VARCHAR(100) NOT NULL,
  payload LONGTEXT NOT NULL,
  request_id VARCHAR(128) NULL,
  created_at DATETIME(3) NOT NULL,
  published_at DATETIME(3) NULL,
  attempts INT NOT NULL DEFAULT 0,
  last_error VARCHAR(500) NULL,
  UNIQUE KEY uq_outbox_event_id (event_id),
  KEY ix_outbox_unpublished (published_at, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

/**
 * Drops the unique key on event_id, called from a later migration of each owning service. No
 * statement looks an event up by its id, and the ids are random UUIDs (no two alike), so the key
 * only cost: two inserts at random places of a B-tree that grows with every event ever written,
 * each with a uniqueness check, per booking; measured on our machine, about a third of what the
 * outbox insert costs MariaDB, and more as the table grows.
 */
export const OUTBOX_DROP_EVENT_ID_KEY = 'ALTER TABLE outbox_event DROP INDEX uq_outbox_event_id';
/** The way back (down migrations). */
export const OUTBOX_ADD_EVENT_ID_KEY = 'ALTER TABLE outbox_event ADD UNIQUE KEY uq_outbox_event_id (event_id)';

/**
 * The outbox keeps only events still to leave (a later migration of each owning service calls
 * this): rows already published are deleted, a batch per statement so that no statement holds
 * writers up for long, then the published_at column and its index go. Nothing reads a published
 * row any more.
 */
export async function outboxDeleteOnPublish(q: QueryRunner): Promise<void> {
  for (;;) {
    const result: { affectedRows?: number } = await q.query('DELETE FROM outbox_event WHERE published_at IS NOT NULL LIMIT 10000');
    if (!result.affectedRows) break;
  }
  await q.query('ALTER TABLE outbox_event DROP INDEX ix_outbox_unpublished, DROP COLUMN published_at');
}

/** The way back (down migrations): every row left is unpublished. */
export async function outboxMarkOnPublish(q: QueryRunner): Promise<void> {
  await q.query('ALTER TABLE outbox_event ADD COLUMN published_at DATETIME(3) NULL AFTER created_at, ADD KEY ix_outbox_unpublished (published_at, seq)');
}
