import { MigrationInterface, QueryRunner } from 'typeorm';

const ID = 'CHAR(22) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Rosters beyond the weekly pattern (dated overrides, breaks, time off), bookings and their
 * appointments, and idempotency keys. Appointment rows carry the stylist-occupied blocks
 * precomputed (start, gap, busy end incl. buffer) so conflict checks and the day view are
 * plain indexed range reads.
 */
export class Scheduling1764000300000 implements MigrationInterface {
  name = 'Scheduling1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE staff_roster_override (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      business_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      date DATE NOT NULL,
      day_off TINYINT(1) NOT NULL DEFAULT 0,
      intervals JSON NULL,
      UNIQUE KEY uq_roster_override (staff_id, date)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE staff_break (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      start_at DATETIME(3) NOT NULL,
      end_at DATETIME(3) NOT NULL,
      label VARCHAR(100) NULL,
      paid TINYINT(1) NOT NULL DEFAULT 0,
      version INT NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_break_staff (staff_id, start_at),
      KEY ix_break_branch (branch_id, start_at)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE staff_time_off (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      start_at DATETIME(3) NOT NULL,
      end_at DATETIME(3) NOT NULL,
      reason VARCHAR(200) NULL,
      version INT NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_time_off_staff (staff_id, start_at)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE booking (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      client_id ${ID} NOT NULL,
      status ENUM('ACTIVE','RESERVED','CANCELED') NOT NULL,
      hold_expires_at DATETIME(3) NULL,
      source ENUM('API','ONLINE') NOT NULL DEFAULT 'API',
      note TEXT NULL,
      created_by ${ID} NULL,
      version INT NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_booking_branch (business_id, branch_id, created_at),
      KEY ix_booking_hold (status, hold_expires_at)
    ) ${TABLE}`);

    // start_at .. end_at is chair time; the stylist is busy [start_at, gap_start_at) and
    // [gap_end_at, busy_end_at) (busy_end_at includes the buffer), or the whole span without a gap.
    await q.query(`CREATE TABLE appointment (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      booking_id ${ID} NULL,
      client_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      service_id ${ID} NOT NULL,
      room_id ${ID} NULL,
      machine_id ${ID} NULL,
      start_at DATETIME(3) NOT NULL,
      end_at DATETIME(3) NOT NULL,
      busy_end_at DATETIME(3) NOT NULL,
      gap_start_at DATETIME(3) NULL,
      gap_end_at DATETIME(3) NULL,
      state ENUM('BOOKED','CHECKED_IN','STARTED','COMPLETED','NO_SHOW') NOT NULL DEFAULT 'BOOKED',
      activation_state ENUM('ACTIVE','RESERVED','CANCELED') NOT NULL,
      hold_expires_at DATETIME(3) NULL,
      confirmed TINYINT(1) NOT NULL DEFAULT 0,
      staff_request TINYINT(1) NOT NULL DEFAULT 0,
      price_minor INT NOT NULL,
      source ENUM('API','ONLINE') NOT NULL DEFAULT 'API',
      notes TEXT NULL,
      canceled_at DATETIME(3) NULL,
      version INT NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_appointment_day (branch_id, start_at),
      KEY ix_appointment_staff (staff_id, start_at),
      KEY ix_appointment_client (client_id, start_at),
      KEY ix_appointment_room (room_id, start_at),
      KEY ix_appointment_machine (machine_id, start_at),
      KEY ix_appointment_booking (booking_id),
      KEY ix_appointment_updated (business_id, branch_id, updated_at)
    ) ${TABLE}`);

    // A retried POST with the same key replays the first answer instead of acting twice.
    await q.query(`CREATE TABLE idempotency_key (
      user_id ${ID} NOT NULL,
      idem_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      request_hash CHAR(64) NOT NULL,
      status_code SMALLINT NULL,
      response_body LONGTEXT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      PRIMARY KEY (user_id, idem_key),
      KEY ix_idempotency_expiry (expires_at)
    ) ${TABLE}`);

    // One-use tickets for browsers to open the live appointment screen (WebSocket).
    await q.query(`CREATE TABLE screen_ticket (
      ticket CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      user_id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      expires_at DATETIME(3) NOT NULL
    ) ${TABLE}`);

    // The booking site's service credential belongs to no single business.
    await q.query(`ALTER TABLE api_user MODIFY business_id ${ID} NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM api_user WHERE business_id IS NULL`);
    await q.query(`ALTER TABLE api_user MODIFY business_id ${ID} NOT NULL`);
    for (const t of ['screen_ticket', 'idempotency_key', 'appointment', 'booking', 'staff_time_off', 'staff_break', 'staff_roster_override']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
