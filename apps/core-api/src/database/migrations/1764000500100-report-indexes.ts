import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The revenue report reads a year of purchase lines in two passes (by day × type × tax rate,
 * and by staff × type × service × product), both from one covering index whose order also
 * lets the first pass group without a temporary table; it replaces the narrower report index.
 * The appointment report index gains client_id, so retention's first pass reads it alone.
 * Measured with tests/perf/scenarios/reports.mjs (a year of a 12-staff branch).
 */
export class ReportIndexes1764000500100 implements MigrationInterface {
  name = 'ReportIndexes1764000500100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE purchase_item
         DROP KEY ix_purchase_item_report,
         ADD KEY ix_purchase_item_reporting (branch_id, local_date, item_type, tax_rate_milli, staff_id, service_id, product_id,
           quantity, unit_cost_minor, total_minor, net_minor, tax_minor, discount_minor)`,
    );
    await q.query(
      `ALTER TABLE appointment
         DROP KEY ix_appointment_report,
         ADD KEY ix_appointment_report (branch_id, start_at, state, activation_state, source, staff_id, client_id, end_at, gap_start_at, gap_end_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE appointment
         DROP KEY ix_appointment_report,
         ADD KEY ix_appointment_report (branch_id, start_at, state, activation_state, source, staff_id, end_at, gap_start_at, gap_end_at)`,
    );
    await q.query(
      `ALTER TABLE purchase_item
         DROP KEY ix_purchase_item_reporting,
         ADD KEY ix_purchase_item_report (branch_id, local_date, item_type, staff_id, service_id, product_id, total_minor, tax_minor, net_minor, discount_minor)`,
    );
  }
}
