import { MigrationInterface, QueryRunner } from 'typeorm';

const ID = 'CHAR(22) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const AUDIT = `
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL`;

/**
 * The till and what it sells: tax rates, products and their stock movements, tills and till
 * sessions, purchases (lines and tenders), vouchers, the loyalty ledger and CSV export jobs.
 *
 * Money is integer minor units of the branch currency (`*_minor`); tax rates are thousandths
 * of a percent (`rate_milli`: 13.5% = 13500), so every stored figure is exact. A product's
 * `stock_level` is a cache of SUM(inventory_transaction.quantity_change), written in the same
 * transaction as every movement. History is append-only: refunds and voids are new purchases.
 */
export class Retail1764000500000 implements MigrationInterface {
  name = 'Retail1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE retail_settings (
      branch_id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      allow_negative_stock TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT}
    ) ${TABLE}`);

    await q.query(`CREATE TABLE tax_rate (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      rate_milli INT NOT NULL,
      default_for_services TINYINT(1) NOT NULL DEFAULT 0,
      default_for_products TINYINT(1) NOT NULL DEFAULT 0,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      CONSTRAINT ck_tax_rate_range CHECK (rate_milli BETWEEN 0 AND 100000),
      KEY ix_tax_rate_branch (business_id, branch_id, archived, name, id)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE product (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(200) NOT NULL,
      code VARCHAR(64) NULL,
      barcode VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
      type ENUM('RETAIL','PROFESSIONAL') NOT NULL DEFAULT 'RETAIL',
      price_minor INT NOT NULL,
      cost_price_minor INT NOT NULL DEFAULT 0,
      tax_rate_id ${ID} NULL,
      reorder_level INT NOT NULL DEFAULT 0,
      stock_level INT NOT NULL DEFAULT 0,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      UNIQUE KEY uq_product_barcode (branch_id, barcode),
      UNIQUE KEY uq_product_code (branch_id, code),
      KEY ix_product_branch (business_id, branch_id, archived, name, id),
      KEY ix_product_updated (branch_id, updated_at)
    ) ${TABLE}`);

    // Every change of a product's stock, with the level after it; never updated or deleted.
    await q.query(`CREATE TABLE inventory_transaction (
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      product_id ${ID} NOT NULL,
      batch_id ${ID} NOT NULL,
      reason ENUM('SALE','REFUND','DELIVERY','LOSS','PROFESSIONAL_USE','STOCK_TAKE','ADJUSTMENT') NOT NULL,
      quantity_change INT NOT NULL,
      quantity_after INT NOT NULL,
      expected_quantity INT NULL,
      counted_quantity INT NULL,
      unit_cost_minor INT NOT NULL DEFAULT 0,
      purchase_id ${ID} NULL,
      note VARCHAR(500) NULL,
      created_by ${ID} NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_inventory_transaction_id (id),
      KEY ix_inventory_branch (branch_id, seq),
      KEY ix_inventory_product (product_id, seq)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE till (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      KEY ix_till_branch (business_id, branch_id, archived, name, id)
    ) ${TABLE}`);

    // At most one OPEN session per till: the unique key on the generated column says so
    // (RTRIM: MariaDB refuses a bare CHAR column in a stored expression, its padding depends on sql_mode).
    await q.query(`CREATE TABLE till_session (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      till_id ${ID} NOT NULL,
      status ENUM('OPEN','CLOSED') NOT NULL,
      open_till_id VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin AS (IF(status = 'OPEN', RTRIM(till_id), NULL)) PERSISTENT,
      opening_float_minor INT NOT NULL DEFAULT 0,
      opened_at DATETIME(3) NOT NULL,
      opened_by ${ID} NULL,
      closed_at DATETIME(3) NULL,
      closed_by ${ID} NULL,
      counted_cash_minor INT NULL,
      counted_tenders JSON NULL,
      expected_tenders JSON NULL,
      note VARCHAR(500) NULL,
      ${AUDIT},
      UNIQUE KEY uq_till_session_open (open_till_id),
      KEY ix_till_session_till (till_id, opened_at),
      KEY ix_till_session_branch (branch_id, status)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE purchase (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      number VARCHAR(64) NOT NULL,
      kind ENUM('SALE','REFUND','VOID') NOT NULL,
      original_purchase_id ${ID} NULL,
      void_of VARCHAR(22) CHARACTER SET ascii COLLATE ascii_bin AS (IF(kind = 'VOID', RTRIM(original_purchase_id), NULL)) PERSISTENT,
      client_id ${ID} NULL,
      staff_id ${ID} NULL,
      till_id ${ID} NULL,
      till_session_id ${ID} NULL,
      currency CHAR(3) NOT NULL,
      gross_minor INT NOT NULL,
      discount_minor INT NOT NULL,
      total_minor INT NOT NULL,
      tax_minor INT NOT NULL,
      tip_minor INT NOT NULL,
      paid_minor INT NOT NULL,
      change_minor INT NOT NULL,
      request_hash CHAR(64) CHARACTER SET ascii NOT NULL,
      note VARCHAR(500) NULL,
      local_date DATE NOT NULL,
      purchased_at DATETIME(3) NOT NULL,
      created_by ${ID} NULL,
      ${AUDIT},
      UNIQUE KEY uq_purchase_number (branch_id, number),
      UNIQUE KEY uq_purchase_void (void_of),
      KEY ix_purchase_day (branch_id, local_date, purchased_at),
      KEY ix_purchase_client (client_id, purchased_at),
      KEY ix_purchase_original (original_purchase_id),
      KEY ix_purchase_session (till_session_id)
    ) ${TABLE}`);

    // Lines: signed quantities and amounts (a refund's are negative), tax-inclusive totals.
    // ix_purchase_item_report covers the revenue report's scans (by day, staff, service, product).
    await q.query(`CREATE TABLE purchase_item (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      purchase_id ${ID} NOT NULL,
      line_no SMALLINT NOT NULL,
      item_type ENUM('APPOINTMENT','SERVICE','PRODUCT','VOUCHER','TIP') NOT NULL,
      appointment_id ${ID} NULL,
      service_id ${ID} NULL,
      product_id ${ID} NULL,
      voucher_id ${ID} NULL,
      staff_id ${ID} NULL,
      client_id ${ID} NULL,
      description VARCHAR(200) NOT NULL,
      quantity INT NOT NULL,
      unit_price_minor INT NOT NULL,
      gross_minor INT NOT NULL,
      discount_minor INT NOT NULL,
      total_minor INT NOT NULL,
      tax_rate_id ${ID} NULL,
      tax_rate_milli INT NOT NULL,
      tax_minor INT NOT NULL,
      net_minor INT NOT NULL,
      unit_cost_minor INT NOT NULL DEFAULT 0,
      original_item_id BIGINT UNSIGNED NULL,
      local_date DATE NOT NULL,
      purchased_at DATETIME(3) NOT NULL,
      KEY ix_purchase_item_purchase (purchase_id, line_no),
      KEY ix_purchase_item_report (branch_id, local_date, item_type, staff_id, service_id, product_id, total_minor, tax_minor, net_minor, discount_minor),
      KEY ix_purchase_item_appointment (appointment_id),
      KEY ix_purchase_item_original (original_item_id)
    ) ${TABLE}`);

    // Tenders. amount_minor is what was applied to the purchase; for cash tendered_minor is
    // what was handed over (the difference is the change given).
    await q.query(`CREATE TABLE purchase_payment (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      purchase_id ${ID} NOT NULL,
      type ENUM('CASH','CARD','VOUCHER','OTHER') NOT NULL,
      amount_minor INT NOT NULL,
      tendered_minor INT NOT NULL,
      voucher_id ${ID} NULL,
      till_session_id ${ID} NULL,
      reference VARCHAR(100) NULL,
      local_date DATE NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_purchase_payment_purchase (purchase_id),
      KEY ix_purchase_payment_session (till_session_id, type),
      KEY ix_purchase_payment_day (branch_id, local_date)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE voucher (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      creating_branch_id ${ID} NOT NULL,
      serial_number VARCHAR(64) NOT NULL,
      client_id ${ID} NULL,
      currency CHAR(3) NOT NULL,
      issue_date DATETIME(3) NOT NULL,
      expiry_date DATETIME(3) NULL,
      original_balance_minor INT NOT NULL,
      remaining_balance_minor INT NOT NULL,
      notes VARCHAR(1000) NULL,
      sold_in_purchase_id ${ID} NULL,
      archived TINYINT(1) NOT NULL DEFAULT 0,
      ${AUDIT},
      CONSTRAINT ck_voucher_balance CHECK (remaining_balance_minor >= 0),
      UNIQUE KEY uq_voucher_serial (business_id, serial_number),
      KEY ix_voucher_client (business_id, client_id),
      KEY ix_voucher_updated (business_id, updated_at)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE voucher_transaction (
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      voucher_id ${ID} NOT NULL,
      branch_id ${ID} NULL,
      type ENUM('ISSUE','REDEEM','REFUND','ADJUST','VOID') NOT NULL,
      amount_minor INT NOT NULL,
      balance_after_minor INT NOT NULL,
      purchase_id ${ID} NULL,
      note VARCHAR(500) NULL,
      created_by ${ID} NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_voucher_transaction_id (id),
      KEY ix_voucher_transaction_voucher (voucher_id, seq)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE loyalty_transaction (
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      id ${ID} NOT NULL,
      business_id ${ID} NOT NULL,
      client_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      operation_type ENUM('ADD','DEDUCT') NOT NULL,
      points_change INT NOT NULL,
      balance_after INT NOT NULL,
      description VARCHAR(500) NOT NULL,
      created_by ${ID} NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_loyalty_transaction_id (id),
      KEY ix_loyalty_client (client_id, seq)
    ) ${TABLE}`);

    // Any copy of core-api may claim a PENDING job (FOR UPDATE SKIP LOCKED) or one whose lease
    // ran out (its copy died); the CSV is written in chunks as it is produced.
    await q.query(`CREATE TABLE csv_export_job (
      id ${ID} NOT NULL PRIMARY KEY,
      business_id ${ID} NOT NULL,
      branch_id ${ID} NOT NULL,
      job_type ENUM('TRANSACTIONS_CSV','CLIENT_CSV') NOT NULL,
      status ENUM('PENDING','IN_PROGRESS','DONE','FAILED') NOT NULL DEFAULT 'PENDING',
      start_filter DATE NULL,
      finish_filter DATE NULL,
      total_rows INT NULL,
      succeeded_rows INT NOT NULL DEFAULT 0,
      failure_reason VARCHAR(500) NULL,
      attempts INT NOT NULL DEFAULT 0,
      lease_until DATETIME(3) NULL,
      started_at DATETIME(3) NULL,
      finished_at DATETIME(3) NULL,
      size_bytes BIGINT NULL,
      download_token CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NULL,
      download_expires_at DATETIME(3) NULL,
      created_by ${ID} NULL,
      ${AUDIT},
      KEY ix_csv_export_job_queue (status, created_at),
      KEY ix_csv_export_job_branch (business_id, branch_id, created_at)
    ) ${TABLE}`);

    await q.query(`CREATE TABLE csv_export_chunk (
      job_id ${ID} NOT NULL,
      seq INT NOT NULL,
      data MEDIUMBLOB NOT NULL,
      PRIMARY KEY (job_id, seq)
    ) ${TABLE}`);

    // The appointment report counts by state, activation and source over a date range, and
    // utilisation sums staff time: both read this index alone.
    await q.query(
      `ALTER TABLE appointment ADD KEY ix_appointment_report (branch_id, start_at, state, activation_state, source, staff_id, end_at, gap_start_at, gap_end_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE appointment DROP KEY ix_appointment_report');
    for (const t of [
      'csv_export_chunk',
      'csv_export_job',
      'loyalty_transaction',
      'voucher_transaction',
      'voucher',
      'purchase_payment',
      'purchase_item',
      'purchase',
      'till_session',
      'till',
      'inventory_transaction',
      'product',
      'tax_rate',
      'retail_settings',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
