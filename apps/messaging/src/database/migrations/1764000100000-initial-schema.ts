import { INBOX_TABLE_DDL, OUTBOX_TABLE_DDL } from '@chairbook/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

const ID = 'CHAR(22) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Messaging keeps its own copy of what it needs about salons (name, zone, country), built
 * from core-api's events, so it never reads core-api's tables.
 */
export class InitialSchema1764000100000 implements MigrationInterface {
  name = 'InitialSchema1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE business_profile (
      business_id ${ID} NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL
    ) ${TABLE}`);
    await q.query(`CREATE TABLE branch_profile (
      branch_id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      name VARCHAR(200) NOT NULL,
      slug VARCHAR(100) NOT NULL,
      time_zone VARCHAR(64) NOT NULL,
      country CHAR(2) NOT NULL,
      currency CHAR(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_branch_profile_business (business_id)
    ) ${TABLE}`);
    await q.query(OUTBOX_TABLE_DDL);
    await q.query(INBOX_TABLE_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['inbox_event', 'outbox_event', 'branch_profile', 'business_profile']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
