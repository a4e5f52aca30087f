import { MigrationInterface, QueryRunner } from 'typeorm';

const ID = 'CHAR(22) CHARACTER SET ascii COLLATE ascii_bin';
/** Booking keys are core-api booking ids, or `a:<appointmentId>` for an appointment without one. */
const KEY = 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * What messaging needs to send confirmations, reminders, notices and campaigns, all built from
 * core-api's events (never from its tables):
 * - `client_contact` (+ categories, visits): the client directory campaigns segment on;
 * - `booking` / `booking_appointment`: enough of each booking to render and time reminders;
 * - `reminder`: reminders waiting for their time, claimed with SKIP LOCKED by every copy;
 * - `message`: every outgoing message, its idempotency key (unique), status and provider id;
 * - `opt_out` (+ audit), `branch_settings`, `message_template`, `sms_usage`, `campaign`.
 */
export class MessagingSchema1764000200000 implements MigrationInterface {
  name = 'MessagingSchema1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE client_contact (
      client_id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      first_name VARCHAR(100) NOT NULL,
      last_name VARCHAR(100) NOT NULL,
      mobile VARCHAR(32) NULL,
      email VARCHAR(254) NULL,
      birth_date DATE NULL,
      birth_month TINYINT NULL,
      preferred_staff_id ${ID} NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      sms_reminder_consent TINYINT(1) NOT NULL DEFAULT 0,
      email_reminder_consent TINYINT(1) NOT NULL DEFAULT 0,
      sms_marketing_consent TINYINT(1) NOT NULL DEFAULT 0,
      email_marketing_consent TINYINT(1) NOT NULL DEFAULT 0,
      last_visit_at DATETIME(3) NULL,
      as_of DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_client_business (business_id, client_id),
      KEY ix_client_last_visit (business_id, last_visit_at),
      KEY ix_client_birth_month (business_id, birth_month),
      KEY ix_client_preferred_staff (business_id, preferred_staff_id),
      KEY ix_client_mobile (mobile),
      KEY ix_client_email (email)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE client_category_member (
      category_id ${ID} NOT NULL,
      client_id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      PRIMARY KEY (category_id, client_id),
      KEY ix_category_member_client (client_id)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE client_staff_visit (
      client_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      last_visit_at DATETIME(3) NOT NULL,
      PRIMARY KEY (client_id, staff_id),
      KEY ix_staff_visit (business_id, staff_id, client_id)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE booking (
      booking_key ${KEY} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      client_id ${ID} NOT NULL,
      status VARCHAR(12) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_booking_business (business_id, booking_key)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE booking_appointment (
      appointment_id ${ID} NOT NULL PRIMARY KEY,
      booking_key ${KEY} NOT NULL,
      business_id ${ID} NOT NULL,
      staff_id ${ID} NOT NULL,
      staff_name VARCHAR(200) NOT NULL,
      service_name VARCHAR(200) NOT NULL,
      start_at DATETIME(3) NOT NULL,
      end_at DATETIME(3) NOT NULL,
      state VARCHAR(20) NOT NULL,
      as_of DATETIME(3) NOT NULL,
      KEY ix_booking_appointment_booking (booking_key)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE reminder (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      booking_key ${KEY} NOT NULL,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      offset_minutes INT NOT NULL,
      due_at DATETIME(3) NOT NULL,
      status VARCHAR(12) NOT NULL,
      reason VARCHAR(60) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_reminder (booking_key, offset_minutes, due_at),
      KEY ix_reminder_due (status, due_at),
      KEY ix_reminder_booking (booking_key, status)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE message (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      client_id ${ID} NULL,
      booking_key ${KEY} NULL,
      appointment_id ${ID} NULL,
      campaign_id ${ID} NULL,
      kind VARCHAR(16) NOT NULL,
      channel VARCHAR(5) NOT NULL,
      priority TINYINT NOT NULL,
      idempotency_key VARCHAR(190) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      recipient VARCHAR(254) NOT NULL,
      subject VARCHAR(300) NULL,
      body TEXT NOT NULL,
      html MEDIUMTEXT NULL,
      segments SMALLINT NULL,
      encoding VARCHAR(8) NULL,
      status VARCHAR(12) NOT NULL,
      status_reason VARCHAR(60) NULL,
      error_message VARCHAR(500) NULL,
      provider VARCHAR(16) NULL,
      provider_message_id VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL,
      attempts INT NOT NULL DEFAULT 0,
      outcome_unknown TINYINT(1) NOT NULL DEFAULT 0,
      not_before DATETIME(3) NOT NULL,
      lease_until DATETIME(3) NULL,
      first_claimed_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      sent_at DATETIME(3) NULL,
      delivered_at DATETIME(3) NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_message_idempotency (idempotency_key),
      KEY ix_message_due (status, priority, not_before),
      KEY ix_message_client (business_id, client_id, id),
      KEY ix_message_booking (business_id, booking_key, id),
      KEY ix_message_appointment (business_id, appointment_id),
      KEY ix_message_campaign (campaign_id, status),
      KEY ix_message_provider (provider_message_id),
      KEY ix_message_recipient (recipient(64), channel)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE branch_settings (
      branch_id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      settings JSON NOT NULL,
      version INT NOT NULL DEFAULT 1,
      updated_at DATETIME(3) NOT NULL
    ) ${TABLE}`);
    await q.query(`CREATE TABLE message_template (
      branch_id ${ID} NOT NULL,
      kind VARCHAR(16) NOT NULL,
      channel VARCHAR(5) NOT NULL,
      business_id ${ID} NOT NULL,
      subject VARCHAR(300) NULL,
      body TEXT NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (branch_id, kind, channel)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE sms_usage (
      branch_id ${ID} NOT NULL,
      day DATE NOT NULL,
      sent INT NOT NULL,
      PRIMARY KEY (branch_id, day)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE opt_out (
      scope VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      channel VARCHAR(5) NOT NULL,
      address VARCHAR(254) NOT NULL,
      opted_out TINYINT(1) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (scope, channel, address)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE opt_out_audit (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      channel VARCHAR(5) NOT NULL,
      address VARCHAR(254) NOT NULL,
      business_id ${ID} NULL,
      client_ids TEXT NOT NULL,
      action VARCHAR(8) NOT NULL,
      source VARCHAR(20) NOT NULL,
      keyword VARCHAR(20) NULL,
      detail VARCHAR(500) NULL,
      received_at DATETIME(3) NOT NULL,
      KEY ix_opt_out_audit_address (channel, address)
    ) ${TABLE}`);
    await q.query(`CREATE TABLE campaign (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(200) NOT NULL,
      channel VARCHAR(5) NOT NULL,
      subject VARCHAR(300) NULL,
      body TEXT NOT NULL,
      segment JSON NOT NULL,
      status VARCHAR(12) NOT NULL,
      scheduled_at DATETIME(3) NULL,
      started_at DATETIME(3) NULL,
      expanded_at DATETIME(3) NULL,
      completed_at DATETIME(3) NULL,
      cancelled_at DATETIME(3) NULL,
      audience_size INT NULL,
      expansion_cursor ${ID} NULL,
      created_by VARCHAR(64) NOT NULL,
      version INT NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY ix_campaign_business (business_id, created_at),
      KEY ix_campaign_due (status, scheduled_at)
    ) ${TABLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'campaign',
      'opt_out_audit',
      'opt_out',
      'sms_usage',
      'message_template',
      'branch_settings',
      'message',
      'reminder',
      'booking_appointment',
      'booking',
      'client_staff_visit',
      'client_category_member',
      'client_contact',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
