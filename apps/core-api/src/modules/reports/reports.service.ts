import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Interval, mergeIntervals, subtractIntervals } from '../../scheduling';
import { toMajor } from '../../shared/money';
import { addDays, checkDateRange, localDateTime } from '../../shared/time';
import { BranchRow } from '../branches/branch.view';
import { BranchesService } from '../branches/branches.service';
import { RostersService } from '../rosters/rosters.service';
import { dateOnly } from '../retail/amounts';
import { milliToRate } from '../retail/tax';
import { ReportQuery, RetentionQuery } from './dto/report.dto';

/** Lines that are the salon's revenue: what was done and sold. Vouchers sold are owed, tips are the staff's. */
const REVENUE_TYPES = "('APPOINTMENT','SERVICE','PRODUCT')";

interface Scope {
  branch: BranchRow;
  from: string;
  to: string;
  staffId: string | null;
  /** The range as instants: local midnight of `from` to local midnight after `to`. */
  window: Interval;
}

type Num = number | string | null;
type Sums = { t: Num; n: Num; x: Num };

/** Minor-unit totals of a group of lines. */
class Sum {
  total = 0;
  net = 0;
  tax = 0;
  add(r: Sums): this {
    this.total += Number(r.t ?? 0);
    this.net += Number(r.n ?? 0);
    this.tax += Number(r.x ?? 0);
    return this;
  }
}

/**
 * The owner's numbers, as JSON (and two as SVG charts). Revenue reads purchase lines by their
 * branch-local date through one covering index; appointment counts and booked time read the
 * appointment report index alone; rostered time comes from the rosters' own resolution
 * (RostersService.rota), so a report and the appointment book never disagree on who works when.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly rosters: RostersService,
  ) {}

  /**
   * Revenue in two passes over the covering index ix_purchase_item_reporting: by day × line
   * type × tax rate (in index order, so grouped without a temporary table), and by staff ×
   * line type × service × product. Everything else is summed from those groups here.
   */
  async revenue(businessId: string, branchId: string, q: ReportQuery) {
    const s = await this.scope(businessId, branchId, q);
    const m = (v: number) => toMajor(v, s.branch.currency);
    const where = `branch_id = ? AND local_date BETWEEN ? AND ?${s.staffId ? ' AND staff_id = ?' : ''}`;
    const params = [branchId, s.from, s.to, ...(s.staffId ? [s.staffId] : [])];
    const sums = 'SUM(total_minor) AS t, SUM(net_minor) AS n, SUM(tax_minor) AS x';
    const [daily, byWho] = await Promise.all([
      this.dataSource.query(
        `SELECT local_date AS day, item_type, tax_rate_milli AS rate, ${sums}, SUM(discount_minor) AS d, COUNT(*) AS c
           FROM purchase_item WHERE ${where} GROUP BY local_date, item_type, tax_rate_milli`,
        params,
      ) as Promise<({ day: Date | string; item_type: string; rate: number; d: Num; c: Num } & Sums)[]>,
      this.dataSource.query(
        `SELECT staff_id, item_type, service_id, product_id, SUM(quantity) AS q, SUM(quantity * unit_cost_minor) AS cost, ${sums}
           FROM purchase_item WHERE ${where} AND item_type IN ${REVENUE_TYPES} GROUP BY staff_id, item_type, service_id, product_id`,
        params,
      ) as Promise<
        ({ staff_id: string | null; item_type: string; service_id: string | null; product_id: string | null; q: Num; cost: Num } & Sums)[]
      >,
    ]);
    const isRevenue = (type: string) => type === 'APPOINTMENT' || type === 'SERVICE' || type === 'PRODUCT';
    const totals = { revenue: new Sum(), services: 0, products: 0, tips: 0, vouchersSold: 0, discounts: 0, lines: 0 };
    const days = new Map<string, Sum>();
    const rates = new Map<number, Sum>();
    for (const r of daily) {
      totals.lines += Number(r.c);
      const total = Number(r.t);
      if (r.item_type === 'TIP') totals.tips += total;
      if (r.item_type === 'VOUCHER') totals.vouchersSold += total;
      if (!isRevenue(r.item_type)) continue;
      if (r.item_type === 'PRODUCT') totals.products += total;
      else totals.services += total;
      totals.discounts += Number(r.d);
      totals.revenue.add(r);
      const day = dateOnly(r.day)!;
      days.set(day, (days.get(day) ?? new Sum()).add(r));
      rates.set(r.rate, (rates.get(r.rate) ?? new Sum()).add(r));
    }
    const staff = new Map<string, { sum: Sum; services: number; products: number }>();
    const services = new Map<string, { sum: Sum; quantity: number }>();
    const products = new Map<string, { sum: Sum; quantity: number; cost: number }>();
    for (const r of byWho) {
      const who = staff.get(r.staff_id ?? '') ?? { sum: new Sum(), services: 0, products: 0 };
      who.sum.add(r);
      if (r.item_type === 'PRODUCT') who.products += Number(r.t);
      else who.services += Number(r.t);
      staff.set(r.staff_id ?? '', who);
      if (r.product_id) {
        const p = products.get(r.product_id) ?? { sum: new Sum(), quantity: 0, cost: 0 };
        p.sum.add(r);
        p.quantity += Number(r.q);
        p.cost += Number(r.cost);
        products.set(r.product_id, p);
      } else if (r.service_id) {
        const v = services.get(r.service_id) ?? { sum: new Sum(), quantity: 0 };
        v.sum.add(r);
        v.quantity += Number(r.q);
        services.set(r.service_id, v);
      }
    }
    const names = await this.names([...staff.keys()], [...services.keys()], [...products.keys()]);
    const money = (x: Sum) => ({ total: m(x.total), net: m(x.net), tax: m(x.tax) });
    const byTotal = <T extends { sum: Sum }>(a: [string, T], b: [string, T]) => b[1].sum.total - a[1].sum.total || a[0].localeCompare(b[0]);
    return {
      branchId,
      currencyCode: s.branch.currency,
      fromDate: s.from,
      toDate: s.to,
      staffId: s.staffId,
      totals: {
        revenue: m(totals.revenue.total),
        net: m(totals.revenue.net),
        tax: m(totals.revenue.tax),
        discounts: m(totals.discounts),
        services: m(totals.services),
        products: m(totals.products),
        tips: m(totals.tips),
        vouchersSold: m(totals.vouchersSold),
        lines: totals.lines,
      },
      taxSplit: [...rates.entries()].sort(([a], [b]) => a - b).map(([rate, x]) => ({ taxRate: milliToRate(rate), ...money(x) })),
      byDay: this.dates(s.from, s.to).map((date) => ({ date, ...money(days.get(date) ?? new Sum()) })),
      byStaff: [...staff.entries()].sort(byTotal).map(([id, e]) => ({
        staffId: id || null,
        name: id ? (names.staff.get(id) ?? '') : 'Unassigned',
        ...money(e.sum),
        services: m(e.services),
        products: m(e.products),
      })),
      byService: [...services.entries()]
        .sort(byTotal)
        .map(([id, e]) => ({ serviceId: id, name: names.services.get(id) ?? '', quantity: e.quantity, ...money(e.sum) })),
      byProduct: [...products.entries()].sort(byTotal).map(([id, e]) => ({
        productId: id,
        name: names.products.get(id) ?? '',
        quantity: e.quantity,
        ...money(e.sum),
        cost: m(e.cost),
        margin: m(e.sum.net - e.cost),
      })),
    };
  }

  /**
   * Appointments starting in the range (holds not yet confirmed left out): booked, completed,
   * cancelled, no-shows, the no-show rate (no-shows / appointments not cancelled) and where
   * they were booked: online (the booking site) or at the front desk (the API).
   */
  async appointments(businessId: string, branchId: string, q: ReportQuery) {
    const s = await this.scope(businessId, branchId, q);
    const rows: { staff_id: string; state: string; activation_state: string; source: string; n: number | string }[] =
      await this.dataSource.query(
        `SELECT staff_id, state, activation_state, source, COUNT(*) AS n FROM appointment
        WHERE branch_id = ? AND start_at >= ? AND start_at < ? AND activation_state <> 'RESERVED'${s.staffId ? ' AND staff_id = ?' : ''}
        GROUP BY staff_id, state, activation_state, source`,
        [branchId, new Date(s.window.start), new Date(s.window.end), ...(s.staffId ? [s.staffId] : [])],
      );
    const names = await this.names(
      rows.map((r) => r.staff_id),
      [],
      [],
    );
    const tally = (subset: typeof rows) => {
      const count = (f: (r: (typeof rows)[number]) => boolean) => subset.filter(f).reduce((acc, r) => acc + Number(r.n), 0);
      const booked = count(() => true);
      const cancelled = count((r) => r.activation_state === 'CANCELED');
      const kept = booked - cancelled;
      const noShows = count((r) => r.activation_state !== 'CANCELED' && r.state === 'NO_SHOW');
      const online = count((r) => r.source === 'ONLINE');
      return {
        booked,
        completed: count((r) => r.activation_state !== 'CANCELED' && r.state === 'COMPLETED'),
        cancelled,
        noShows,
        noShowRate: kept ? round4(noShows / kept) : 0,
        online,
        frontDesk: booked - online,
        onlineShare: booked ? round4(online / booked) : 0,
      };
    };
    const staffIds = [...new Set(rows.map((r) => r.staff_id))];
    return {
      branchId,
      fromDate: s.from,
      toDate: s.to,
      staffId: s.staffId,
      ...tally(rows),
      byStaff: staffIds
        .map((id) => ({ staffId: id, name: names.staff.get(id) ?? '', ...tally(rows.filter((r) => r.staff_id === id)) }))
        .sort((a, b) => b.booked - a.booked || a.name.localeCompare(b.name)),
    };
  }

  /**
   * Booked hours (stylist time of appointments not cancelled, no-shows included: the time was
   * taken) over rostered hours (working time from the rota, breaks taken out) per staff member.
   */
  async utilisation(businessId: string, branchId: string, q: ReportQuery) {
    const s = await this.scope(businessId, branchId, q);
    const staffRows: { id: string; first_name: string; last_name: string }[] = await this.dataSource.query(
      `SELECT id, first_name, last_name FROM staff WHERE business_id = ? AND branch_id = ?${s.staffId ? ' AND id = ?' : ' AND archived = 0'} ORDER BY first_name, last_name, id`,
      [businessId, branchId, ...(s.staffId ? [s.staffId] : [])],
    );
    const booked: { staff_id: string; seconds: number | string }[] = await this.dataSource.query(
      `SELECT staff_id, SUM(TIMESTAMPDIFF(SECOND, start_at, end_at) - COALESCE(TIMESTAMPDIFF(SECOND, gap_start_at, gap_end_at), 0)) AS seconds
         FROM appointment WHERE branch_id = ? AND start_at >= ? AND start_at < ? AND activation_state = 'ACTIVE'${s.staffId ? ' AND staff_id = ?' : ''}
        GROUP BY staff_id`,
      [branchId, new Date(s.window.start), new Date(s.window.end), ...(s.staffId ? [s.staffId] : [])],
    );
    const rota = await this.rosters.rota(
      s.branch,
      staffRows.map((r) => r.id),
      s.window,
    );
    const bookedBy = new Map(booked.map((b) => [b.staff_id, Number(b.seconds) / 3600]));
    const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;
    const staff = staffRows.map((r) => {
      const plan = rota.get(r.id);
      const working = plan ? subtractIntervals(clip(plan.working, s.window), plan.breaks) : [];
      const rostered = working.reduce((acc, i) => acc + (i.end - i.start), 0);
      const bookedHours = Math.round((bookedBy.get(r.id) ?? 0) * 100) / 100;
      const rosteredHours = hours(rostered);
      return {
        staffId: r.id,
        name: `${r.first_name} ${r.last_name}`.trim(),
        rosteredHours,
        bookedHours,
        utilisation: rosteredHours ? round4(bookedHours / rosteredHours) : null,
      };
    });
    const rosteredHours = staff.reduce((acc, x) => acc + x.rosteredHours, 0);
    const bookedHours = staff.reduce((acc, x) => acc + x.bookedHours, 0);
    return {
      branchId,
      fromDate: s.from,
      toDate: s.to,
      staffId: s.staffId,
      rosteredHours: Math.round(rosteredHours * 100) / 100,
      bookedHours: Math.round(bookedHours * 100) / 100,
      utilisation: rosteredHours ? round4(bookedHours / rosteredHours) : null,
      byStaff: staff,
    };
  }

  /**
   * Of the clients who visited in the range (an appointment not cancelled, not a no-show,
   * begun before now), the share who came back within `weeks` of their first visit in it
   * (a later visit at least 12 hours after; the return may fall after the range). Clients
   * whose window is still open and who have not returned yet are counted as pending.
   */
  async retention(businessId: string, branchId: string, q: RetentionQuery) {
    const s = await this.scope(businessId, branchId, q);
    const visit = (a: string) => `${a}.activation_state = 'ACTIVE' AND ${a}.state <> 'NO_SHOW' AND ${a}.start_at < NOW(3)`;
    const [row]: { clients: number | string; returned: number | string | null; pending: number | string | null }[] =
      await this.dataSource.query(
        `SELECT COUNT(*) AS clients, SUM(f.returned) AS returned, SUM(NOT f.returned AND f.first_at + INTERVAL ? WEEK > NOW(3)) AS pending
         FROM (SELECT v.client_id, v.first_at,
                      EXISTS (SELECT 1 FROM appointment r
                               WHERE r.client_id = v.client_id AND r.branch_id = ? AND ${visit('r')}
                                 AND r.start_at >= v.first_at + INTERVAL 12 HOUR AND r.start_at < v.first_at + INTERVAL ? WEEK) AS returned
                 FROM (SELECT a.client_id, MIN(a.start_at) AS first_at FROM appointment a
                        WHERE a.branch_id = ? AND a.start_at >= ? AND a.start_at < ? AND ${visit('a')}${s.staffId ? ' AND a.staff_id = ?' : ''}
                        GROUP BY a.client_id) v) f`,
        [q.weeks, branchId, q.weeks, branchId, new Date(s.window.start), new Date(s.window.end), ...(s.staffId ? [s.staffId] : [])],
      );
    const clients = Number(row?.clients ?? 0);
    const returned = Number(row?.returned ?? 0);
    return {
      branchId,
      fromDate: s.from,
      toDate: s.to,
      staffId: s.staffId,
      weeks: q.weeks,
      clients,
      returned,
      pending: Number(row?.pending ?? 0),
      retentionRate: clients ? round4(returned / clients) : 0,
    };
  }

  /** What the stock on the shelves is worth (at cost and at retail), and what needs reordering. */
  async stock(businessId: string, branchId: string) {
    const branch = await this.branches.require(businessId, branchId);
    const m = (v: number | string | null) => toMajor(Number(v ?? 0), branch.currency);
    const [totals]: {
      products: number | string;
      units: number | string | null;
      cost: number | string | null;
      retail: number | string | null;
      out: number | string | null;
    }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS products, SUM(GREATEST(stock_level, 0)) AS units, SUM(GREATEST(stock_level, 0) * cost_price_minor) AS cost,
                SUM(GREATEST(stock_level, 0) * price_minor) AS retail, SUM(stock_level <= 0) AS \`out\`
           FROM product WHERE business_id = ? AND branch_id = ? AND archived = 0`,
      [businessId, branchId],
    );
    const byType: { type: string; units: number | string; cost: number | string }[] = await this.dataSource.query(
      'SELECT type, SUM(GREATEST(stock_level, 0)) AS units, SUM(GREATEST(stock_level, 0) * cost_price_minor) AS cost FROM product WHERE business_id = ? AND branch_id = ? AND archived = 0 GROUP BY type',
      [businessId, branchId],
    );
    const low: { id: string; name: string; type: string; stock_level: number; reorder_level: number; cost_price_minor: number }[] =
      await this.dataSource.query(
        `SELECT id, name, type, stock_level, reorder_level, cost_price_minor FROM product
        WHERE business_id = ? AND branch_id = ? AND archived = 0 AND stock_level <= reorder_level ORDER BY stock_level - reorder_level, name, id LIMIT 500`,
        [businessId, branchId],
      );
    return {
      branchId,
      currencyCode: branch.currency,
      valuation: {
        products: Number(totals.products),
        units: Number(totals.units ?? 0),
        cost: m(totals.cost),
        retail: m(totals.retail),
        byType: byType.map((t) => ({ type: t.type, units: Number(t.units), cost: m(t.cost) })),
      },
      outOfStock: Number(totals.out ?? 0),
      lowStock: low.map((p) => ({
        productId: p.id,
        name: p.name,
        type: p.type,
        quantityInStock: p.stock_level,
        reorderLevel: p.reorder_level,
        shortfall: p.reorder_level - p.stock_level,
        costPrice: m(p.cost_price_minor),
      })),
    };
  }

  private async scope(businessId: string, branchId: string, q: ReportQuery): Promise<Scope> {
    const branch = await this.branches.require(businessId, branchId);
    checkDateRange(q.from_date, q.to_date, 366);
    if (q.staff_id) {
      const rows: unknown[] = await this.dataSource.query('SELECT id FROM staff WHERE id = ? AND business_id = ?', [
        q.staff_id,
        businessId,
      ]);
      if (!rows.length) throw ApiError.notFound('Staff member');
    }
    return {
      branch,
      from: q.from_date,
      to: q.to_date,
      staffId: q.staff_id ?? null,
      window: {
        start: localDateTime(branch.time_zone, q.from_date, '00:00', 'from_date'),
        end: localDateTime(branch.time_zone, addDays(q.to_date, 1), '00:00', 'to_date'),
      },
    };
  }

  private dates(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
    return out;
  }

  private async names(staffIds: (string | null)[], serviceIds: (string | null)[], productIds: (string | null)[]) {
    const ids = (list: (string | null)[]) => [...new Set(list.filter((x): x is string => !!x))];
    const load = async (sql: string, list: string[]) =>
      list.length ? ((await this.dataSource.query(sql, [list])) as { id: string; name: string }[]) : [];
    const [staff, services, products] = await Promise.all([
      load("SELECT id, TRIM(CONCAT(first_name, ' ', last_name)) AS name FROM staff WHERE id IN (?)", ids(staffIds)),
      load('SELECT id, name FROM service WHERE id IN (?)', ids(serviceIds)),
      load('SELECT id, name FROM product WHERE id IN (?)', ids(productIds)),
    ]);
    const map = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]));
    return { staff: map(staff), services: map(services), products: map(products) };
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The parts of `intervals` inside `window`. */
function clip(intervals: readonly Interval[], window: Interval): Interval[] {
  return mergeIntervals(intervals.map((i) => ({ start: Math.max(i.start, window.start), end: Math.min(i.end, window.end) })));
}
