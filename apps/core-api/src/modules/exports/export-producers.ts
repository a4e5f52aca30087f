import type { EntityManager } from 'typeorm';
import { toMajor } from '../../shared/money';
import type { ClientRow as ClientViewRow } from '../clients/client.view';
import { addDays, localDateTime } from '../../shared/time';
import { dateOnly } from '../retail/amounts';
import { milliToRate } from '../retail/tax';
import { Cell, csvLine } from './csv';
import type { SupportedJobType } from './dto/export.dto';

export interface ExportJob {
  id: string;
  business_id: string;
  branch_id: string;
  job_type: SupportedJobType;
  start_filter: Date | string | null;
  finish_filter: Date | string | null;
}

export interface BranchInfo {
  time_zone: string;
  currency: string;
}

/**
 * One export, produced in batches read in index order (keyset paging, never OFFSET), so any
 * size streams through bounded memory and each batch becomes one stored chunk.
 */
export interface Producer {
  header: string;
  count(m: EntityManager): Promise<number>;
  /** The next batch as CSV text, or null at the end. */
  next(m: EntityManager): Promise<{ text: string; rows: number } | null>;
}

export const BATCH_ROWS = 2_000;

export function producerFor(job: ExportJob, branch: BranchInfo): Producer {
  return job.job_type === 'TRANSACTIONS_CSV' ? transactions(job, branch) : clients(job, branch);
}

const TRANSACTION_COLUMNS = [
  'purchase_id',
  'purchase_number',
  'purchase_kind',
  'original_purchase_id',
  'purchased_date',
  'purchase_time',
  'item_type',
  'description',
  'quantity',
  'unit_price',
  'discount_amount',
  'total_amount',
  'net_total_amount',
  'tax_amount',
  'tax_rate',
  'currency',
  'staff_id',
  'staff_first_name',
  'staff_last_name',
  'client_id',
  'client_first_name',
  'client_last_name',
  'appointment_id',
  'service_id',
  'service_name',
  'product_id',
  'product_barcode',
  'voucher_serial_number',
];

interface TransactionRow {
  id: number | string;
  local_date: Date | string;
  purchase_id: string;
  number: string;
  kind: string;
  original_purchase_id: string | null;
  purchased_at: Date;
  item_type: string;
  description: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  total_minor: number;
  net_minor: number;
  tax_minor: number;
  tax_rate_milli: number;
  staff_id: string | null;
  staff_first_name: string | null;
  staff_last_name: string | null;
  client_id: string | null;
  client_first_name: string | null;
  client_last_name: string | null;
  appointment_id: string | null;
  service_id: string | null;
  service_name: string | null;
  product_id: string | null;
  barcode: string | null;
  serial_number: string | null;
}

/** Purchase lines (sales, refunds and voids) of the branch between two local dates. */
function transactions(job: ExportJob, branch: BranchInfo): Producer {
  const from = dateOnly(job.start_filter)!;
  const to = dateOnly(job.finish_filter)!;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: branch.time_zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const money = (minor: number) => toMajor(minor, branch.currency);
  let after: { date: string; id: number } | null = null;
  return {
    header: csvLine(TRANSACTION_COLUMNS),
    async count(m) {
      const [{ n }]: { n: number | string }[] = await m.query(
        'SELECT COUNT(*) AS n FROM purchase_item WHERE branch_id = ? AND local_date BETWEEN ? AND ?',
        [job.branch_id, from, to],
      );
      return Number(n);
    },
    async next(m) {
      const rows: TransactionRow[] = await m.query(
        `SELECT i.id, i.local_date, i.purchase_id, p.number, p.kind, p.original_purchase_id, i.purchased_at, i.item_type, i.description, i.quantity,
                i.unit_price_minor, i.discount_minor, i.total_minor, i.net_minor, i.tax_minor, i.tax_rate_milli, i.staff_id,
                st.first_name AS staff_first_name, st.last_name AS staff_last_name, i.client_id, c.first_name AS client_first_name,
                c.last_name AS client_last_name, i.appointment_id, i.service_id, sv.name AS service_name, i.product_id, pr.barcode, v.serial_number
           FROM purchase_item i
           JOIN purchase p ON p.id = i.purchase_id
           LEFT JOIN staff st ON st.id = i.staff_id
           LEFT JOIN client c ON c.id = i.client_id
           LEFT JOIN service sv ON sv.id = i.service_id
           LEFT JOIN product pr ON pr.id = i.product_id
           LEFT JOIN voucher v ON v.id = i.voucher_id
          WHERE i.branch_id = ? AND i.local_date BETWEEN ? AND ?
            ${after ? 'AND (i.local_date > ? OR (i.local_date = ? AND i.id > ?))' : ''}
          ORDER BY i.local_date, i.id
          LIMIT ?`,
        [job.branch_id, from, to, ...(after ? [after.date, after.date, after.id] : []), BATCH_ROWS],
      );
      if (!rows.length) return null;
      const last = rows[rows.length - 1];
      after = { date: dateOnly(last.local_date)!, id: Number(last.id) };
      const text = rows
        .map((r) =>
          csvLine([
            r.purchase_id,
            r.number,
            r.kind,
            r.original_purchase_id,
            dateOnly(r.local_date),
            time.format(r.purchased_at),
            r.item_type,
            r.description,
            r.quantity,
            money(r.unit_price_minor),
            money(r.discount_minor),
            money(r.total_minor),
            money(r.net_minor),
            money(r.tax_minor),
            milliToRate(r.tax_rate_milli),
            branch.currency,
            r.staff_id,
            r.staff_first_name,
            r.staff_last_name,
            r.client_id,
            r.client_first_name,
            r.client_last_name,
            r.appointment_id,
            r.service_id,
            r.service_name,
            r.product_id,
            r.barcode,
            r.serial_number,
          ] satisfies Cell[]),
        )
        .join('');
      return { text, rows: rows.length };
    },
  };
}

const CLIENT_COLUMNS = [
  'client_id',
  'first_name',
  'last_name',
  'mobile',
  'landline',
  'email',
  'gender',
  'birth_date',
  'street_address1',
  'street_address2',
  'city',
  'state',
  'postal_code',
  'country',
  'sms_reminder_consent',
  'email_reminder_consent',
  'sms_marketing_consent',
  'email_marketing_consent',
  'loyalty_points',
  'creating_branch_id',
  'banned',
  'archived',
  'created_at',
  'updated_at',
];

/** The client columns the export reads: the client's own row type, without what it leaves out. */
type ClientRow = Omit<ClientViewRow, 'business_id' | 'notes' | 'external_id' | 'preferred_staff_id' | 'version'>;

/** The business's clients, optionally those changed between two local dates of the branch. */
function clients(job: ExportJob, branch: BranchInfo): Producer {
  const from = dateOnly(job.start_filter);
  const to = dateOnly(job.finish_filter);
  const bounds = localBounds(branch.time_zone, from, to);
  const range = `${bounds.start ? ' AND updated_at >= ?' : ''}${bounds.end ? ' AND updated_at < ?' : ''}`;
  const rangeParams = [...(bounds.start ? [bounds.start] : []), ...(bounds.end ? [bounds.end] : [])];
  let after: { at: Date; id: string } | null = null;
  return {
    header: csvLine(CLIENT_COLUMNS),
    async count(m) {
      const [{ n }]: { n: number | string }[] = await m.query(`SELECT COUNT(*) AS n FROM client WHERE business_id = ?${range}`, [
        job.business_id,
        ...rangeParams,
      ]);
      return Number(n);
    },
    async next(m) {
      const rows: ClientRow[] = await m.query(
        `SELECT * FROM client WHERE business_id = ?${range}${after ? ' AND (updated_at > ? OR (updated_at = ? AND id > ?))' : ''} ORDER BY updated_at, id LIMIT ?`,
        [job.business_id, ...rangeParams, ...(after ? [after.at, after.at, after.id] : []), BATCH_ROWS],
      );
      if (!rows.length) return null;
      const last = rows[rows.length - 1];
      after = { at: last.updated_at, id: last.id };
      const text = rows
        .map((c) =>
          csvLine([
            c.id,
            c.first_name,
            c.last_name,
            c.mobile,
            c.landline,
            c.email,
            c.gender,
            dateOnly(c.birth_date),
            c.street_address1,
            c.street_address2,
            c.city,
            c.state,
            c.postal_code,
            c.country,
            !!c.sms_reminder_consent,
            !!c.email_reminder_consent,
            !!c.sms_marketing_consent,
            !!c.email_marketing_consent,
            c.loyalty_points,
            c.creating_branch_id,
            !!c.banned,
            !!c.archived,
            c.created_at.toISOString(),
            c.updated_at.toISOString(),
          ]),
        )
        .join('');
      return { text, rows: rows.length };
    },
  };
}

/** Local midnight of `from` and of the day after `to`, as instants (either may be absent). */
function localBounds(timeZone: string, from: string | null, to: string | null): { start: Date | null; end: Date | null } {
  const midnight = (date: string) => new Date(localDateTime(timeZone, date, '00:00', 'startFilter'));
  return { start: from ? midnight(from) : null, end: to ? midnight(addDays(to, 1)) : null };
}
