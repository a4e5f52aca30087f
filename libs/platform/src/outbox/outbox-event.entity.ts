import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event waiting to be published, written in the same transaction as the change it
 * describes, so a committed change always gets its event and a rolled-back one never does.
 */
@Entity('outbox_event')
@Index('ix_outbox_unpublished', ['publishedAt', 'seq'])
export class OutboxEventEntity {
  /** Insertion order, so events of one aggregate leave in the order they happened. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  seq!: string;

  @Column({ name: 'event_id', type: 'char', length: 36, unique: true })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'longtext' })
  payload!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}

/** DDL for the outbox table, called from each owning service's own migration. */
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
