import { INBOX_TABLE_DDL, OUTBOX_TABLE_DDL } from '@chairbook/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Opaque 22-character ids (URL-safe base64 of 16 random bytes), as Phorest's look. */
const ID = 'CHAR(22) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const AUDIT = `
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL`;

/**
 * The salon's business and its set-up: branches, users and credentials, staff, services,
 * rooms, machines, clients, and the weekly rosters; plus the outbox and inbox. Every row
 * carries business_id so every query can be scoped to the caller's business.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE business (
      id ${ID} NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      ${AUDIT}
    ) ${TABLE}`);

    await q.query(`CREATE TABLE branch (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      name VARCHAR(200) NOT NULL,
      slug VARCHAR(100) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
      time_zone VARCHAR(64) NOT NULL,
      country CHAR(2) NOT NULL,
      currency CHAR(3) NOT NULL,
      street_address1 VARCHAR(200) NULL,
      street_address2 VARCHAR(200) NULL,
      city VARCHAR(100) NULL,
      state VARCHAR(100) NULL,
      postal_code VARCHAR(20) NULL,
      phone VARCHAR(20) NULL,
      email VARCHAR(254) NULL,
      latitude DECIMAL(9,6) NULL,
      longitude DECIMAL(9,6) NULL,
      opening_hours JSON NOT NULL,
      slot_step_minutes SMALLINT NOT NULL DEFAULT 15,
      online_min_notice_minutes INT NOT NULL DEFAULT 120,
      online_horizon_days INT NOT NULL DEFAULT 60,
      hold_minutes SMALLINT NOT NULL DEFAULT 10,
      cancellation_window_hours SMALLINT NOT NULL DEFAULT 24,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      UNIQUE KEY uq_branch_slug (slug),
      KEY ix_branch_business (business_id, name, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE api_user (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      email VARCHAR(254) NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      role ENUM('OWNER','MANAGER','RECEPTION','STYLIST','SERVICE') NOT NULL,
      first_name VARCHAR(100) NOT NULL DEFAULT '',
      last_name VARCHAR(100) NOT NULL DEFAULT '',
      staff_id ${ID} NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      UNIQUE KEY uq_api_user_email (email),
      KEY ix_api_user_business (business_id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE staff_category (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_staff_category_branch (business_id, branch_id, name, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE staff (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      staff_category_id ${ID} NULL,
      first_name VARCHAR(100) NOT NULL,
      last_name VARCHAR(100) NOT NULL DEFAULT '',
      email VARCHAR(254) NULL,
      mobile VARCHAR(20) NULL,
      gender ENUM('MALE','FEMALE','OTHER') NULL,
      self_employed TINYINT(1) NOT NULL DEFAULT 0,
      hide_from_online_bookings TINYINT(1) NOT NULL DEFAULT 0,
      hide_from_appointment_screen TINYINT(1) NOT NULL DEFAULT 0,
      online_profile VARCHAR(2000) NULL,
      notes VARCHAR(2000) NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_staff_branch (business_id, branch_id, archived, first_name, id),
      KEY ix_staff_updated (business_id, branch_id, updated_at)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE service_category (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      sort_order INT NOT NULL DEFAULT 0,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_service_category_branch (business_id, branch_id, sort_order, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE service (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      category_id ${ID} NULL,
      name VARCHAR(150) NOT NULL,
      internet_name VARCHAR(150) NULL,
      description VARCHAR(2000) NULL,
      duration_minutes SMALLINT NOT NULL,
      gap_start_minutes SMALLINT NULL,
      gap_duration_minutes SMALLINT NOT NULL DEFAULT 0,
      buffer_after_minutes SMALLINT NOT NULL DEFAULT 0,
      price_minor INT NOT NULL,
      online_bookable TINYINT(1) NOT NULL DEFAULT 1,
      sort_order INT NOT NULL DEFAULT 0,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_service_branch (business_id, branch_id, archived, sort_order, id),
      KEY ix_service_category (business_id, category_id)
    ) ${TABLE}`);

    // Which services a staff member may do, with their own price and duration where set.
    await q.query(`CREATE TABLE staff_service (
      business_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      service_id ${ID} NOT NULL,
      price_minor INT NULL,
      duration_minutes SMALLINT NULL,
      PRIMARY KEY (staff_id, service_id),
      KEY ix_staff_service_service (service_id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE room (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      capacity SMALLINT NOT NULL DEFAULT 1,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_room_branch (business_id, branch_id, archived, name, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE machine (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      capacity SMALLINT NOT NULL DEFAULT 1,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_machine_branch (business_id, branch_id, archived, name, id)
    ) ${TABLE}`);

    // A service that needs a room or machine names the ones that can host it.
    await q.query(`CREATE TABLE service_resource (
      business_id ${ID} NOT NULL,
      service_id ${ID} NOT NULL,
      resource_type ENUM('ROOM','MACHINE') NOT NULL,
      resource_id ${ID} NOT NULL,
      PRIMARY KEY (service_id, resource_type, resource_id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE client_category (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_client_category_business (business_id, name, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE client (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      creating_branch_id ${ID} NULL,
      first_name VARCHAR(100) NOT NULL,
      last_name VARCHAR(100) NOT NULL,
      mobile VARCHAR(20) NULL,
      landline VARCHAR(20) NULL,
      email VARCHAR(254) NULL,
      gender ENUM('MALE','FEMALE','OTHER') NULL,
      birth_date DATE NULL,
      street_address1 VARCHAR(200) NULL,
      street_address2 VARCHAR(200) NULL,
      city VARCHAR(100) NULL,
      state VARCHAR(100) NULL,
      postal_code VARCHAR(20) NULL,
      country CHAR(2) NULL,
      notes TEXT NULL,
      external_id VARCHAR(100) NULL,
      preferred_staff_id ${ID} NULL,
      sms_reminder_consent TINYINT(1) NOT NULL DEFAULT 0,
      email_reminder_consent TINYINT(1) NOT NULL DEFAULT 0,
      sms_marketing_consent TINYINT(1) NOT NULL DEFAULT 0,
      email_marketing_consent TINYINT(1) NOT NULL DEFAULT 0,
      loyalty_points INT NOT NULL DEFAULT 0,
      banned TINYINT(1) NOT NULL DEFAULT 0,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_client_mobile (business_id, mobile),
      KEY ix_client_email (business_id, email),
      KEY ix_client_updated (business_id, updated_at, id),
      KEY ix_client_name (business_id, last_name, first_name)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE client_category_member (
      client_id ${ID} NOT NULL,
      category_id ${ID} NOT NULL,
      PRIMARY KEY (client_id, category_id),
      KEY ix_ccm_category (category_id)
    ) ${TABLE}`);

    // Weekly working pattern: local wall times in the branch's zone; end <= start means the
    // shift runs past midnight.
    await q.query(`CREATE TABLE staff_roster_interval (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      business_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      day_of_week TINYINT NOT NULL,
      start_time TIME NOT NULL,
      end_time TIME NOT NULL,
      KEY ix_roster_staff (staff_id, day_of_week)
    ) ${TABLE}`);

    await q.query(OUTBOX_TABLE_DDL);
    await q.query(INBOX_TABLE_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'inbox_event',
      'outbox_event',
      'staff_roster_interval',
      'client_category_member',
      'client',
      'client_category',
      'service_resource',
      'machine',
      'room',
      'staff_service',
      'service',
      'service_category',
      'staff',
      'staff_category',
      'api_user',
      'branch',
      'business',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
