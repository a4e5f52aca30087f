import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shared request counts per credential and window, so every copy of core-api enforces one
 * limit (see SharedThrottlerStorage). Each copy adds its hits every ~100 ms in one multi-row
 * upsert and deletes windows a few seconds old. key_hash is a SHA-256 of the throttler key
 * (itself derived from a hash of the credential), never the credential; window_start is the
 * window's start in epoch milliseconds. The second index serves the clean-up and the read of
 * keys busy on other copies (window_start >= ? AND hits >= ?) without touching the rows.
 */
export class RateLimitWindow1764000600000 implements MigrationInterface {
  name = 'RateLimitWindow1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_limit_window (
      key_hash BINARY(32) NOT NULL,
      window_start BIGINT NOT NULL,
      hits INT UNSIGNED NOT NULL,
      PRIMARY KEY (key_hash, window_start),
      KEY ix_rate_limit_window_start (window_start, hits)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limit_window');
  }
}
