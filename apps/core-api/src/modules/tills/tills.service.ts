import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import { iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import { toMajor } from '../../shared/money';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { ArchivableListQuery } from '../catalogue/shared/catalogue.dto';
import { AuditRow, bool, listPage, requireRow, updateVersioned } from '../catalogue/shared/catalogue.sql';
import { duplicateKeyOf, minorOf } from '../retail/amounts';
import { CloseTillDto, CreateTillDto, OpenTillDto, TENDERS, TillBalanceQuery, UpdateTillDto } from './dto/till.dto';

interface TillRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
}

interface SessionRow {
  id: string;
  business_id: string;
  branch_id: string;
  till_id: string;
  status: 'OPEN' | 'CLOSED';
  opening_float_minor: number;
  opened_at: Date;
  opened_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  counted_cash_minor: number | null;
  counted_tenders: string | Record<string, number> | null;
  expected_tenders: string | Record<string, number> | null;
  note: string | null;
  version: number;
}

type Tender = (typeof TENDERS)[number];
type TenderTotals = Partial<Record<Tender, number>>;

const json = <T>(v: string | T | null): T | null => (v === null ? null : typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** Where a purchase's tenders are counted: the open session of its till. */
export interface TillAttachment {
  tillId: string;
  tillSessionId: string;
}

/**
 * Tills and their sessions. A session opens with a float and closes with the cash counted;
 * every tender a purchase takes while it is open is counted to it, so the balance shows what
 * the drawer (and the card terminal) should hold against what was counted. One open session
 * per till (a unique key); closing waits for purchases in flight (they hold the session row
 * in share mode), so nothing lands in a session after its count.
 */
@Injectable()
export class TillsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: ArchivableListQuery) {
    await this.branches.require(businessId, branchId);
    return listPage(this.dataSource.manager, {
      table: 'till',
      scope: { businessId, branchId },
      includeArchived: query.includeArchived,
      orderBy: 'name, id',
      key: 'tills',
      query,
      view: (rows: TillRow[]) => this.tillViews(rows),
    });
  }

  async get(businessId: string, branchId: string, tillId: string) {
    await this.branches.require(businessId, branchId);
    const row = await requireRow<TillRow>(this.dataSource.manager, 'till', { businessId, branchId }, tillId, 'Till');
    return (await this.tillViews([row]))[0];
  }

  async create(businessId: string, branchId: string, dto: CreateTillDto) {
    await this.branches.require(businessId, branchId);
    const id = newId();
    const now = new Date();
    await this.dataSource.query('INSERT INTO till (id, business_id, branch_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      businessId,
      branchId,
      dto.name,
      now,
      now,
    ]);
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, tillId: string, dto: UpdateTillDto) {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction((m) =>
      updateVersioned(m, 'till', { businessId, branchId }, tillId, dto.version, { name: dto.name, archived: bool(dto.archived) }, 'Till'),
    );
    return this.get(businessId, branchId, tillId);
  }

  async open(principal: Principal, businessId: string, branchId: string, tillId: string, dto: OpenTillDto) {
    const branch = await this.branches.require(businessId, branchId);
    const till = await requireRow<TillRow>(this.dataSource.manager, 'till', { businessId, branchId }, tillId, 'Till');
    if (till.archived) throw ApiError.conflict('TILL_ARCHIVED', 'This till is archived');
    const id = newId();
    const now = new Date();
    try {
      await this.dataSource.query(
        `INSERT INTO till_session (id, business_id, branch_id, till_id, status, opening_float_minor, opened_at, opened_by, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?)`,
        [
          id,
          businessId,
          branchId,
          tillId,
          minorOf(dto.openingFloat ?? 0, branch.currency, 'openingFloat'),
          now,
          principal.userId,
          dto.note ?? null,
          now,
          now,
        ],
      );
    } catch (err) {
      if (duplicateKeyOf(err) === 'uq_till_session_open')
        throw ApiError.conflict('TILL_ALREADY_OPEN', 'This till already has an open session; close it first');
      throw err;
    }
    return this.balance(businessId, branchId, tillId, { tillSessionId: id });
  }

  async close(principal: Principal, businessId: string, branchId: string, tillId: string, dto: CloseTillDto) {
    const branch = await this.branches.require(businessId, branchId);
    await requireRow(this.dataSource.manager, 'till', { businessId, branchId }, tillId, 'Till');
    const countedCash = minorOf(dto.countedCash, branch.currency, 'countedCash');
    const counted: TenderTotals = { CASH: countedCash };
    (dto.counted ?? []).forEach((c, i) => {
      if (counted[c.type] !== undefined)
        throw ApiError.badRequest('VALIDATION_FAILED', 'Count each tender once', [
          { field: `counted[${i}].type`, message: 'counted twice' },
        ]);
      counted[c.type] = minorOf(c.amount, branch.currency, `counted[${i}].amount`);
    });
    let sessionId = '';
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      const [session]: SessionRow[] = await m.query(
        "SELECT * FROM till_session WHERE till_id = ? AND business_id = ? AND status = 'OPEN' FOR UPDATE",
        [tillId, businessId],
      );
      if (!session) throw ApiError.conflict('TILL_NOT_OPEN', 'This till has no open session');
      sessionId = session.id;
      const expected = await this.expected(m, session);
      await m.query(
        `UPDATE till_session SET status = 'CLOSED', closed_at = ?, closed_by = ?, counted_cash_minor = ?, counted_tenders = ?, expected_tenders = ?,
           note = COALESCE(?, note), version = version + 1, updated_at = ? WHERE id = ?`,
        [
          new Date(),
          principal.userId,
          countedCash,
          JSON.stringify(counted),
          JSON.stringify(expected),
          dto.note ?? null,
          new Date(),
          session.id,
        ],
      );
    });
    return this.balance(businessId, branchId, tillId, { tillSessionId: sessionId });
  }

  async sessions(businessId: string, branchId: string, tillId: string, query: PageQuery) {
    const branch = await this.branches.require(businessId, branchId);
    await requireRow(this.dataSource.manager, 'till', { businessId, branchId }, tillId, 'Till');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        'SELECT * FROM till_session WHERE till_id = ? AND business_id = ? ORDER BY opened_at DESC, id LIMIT ? OFFSET ?',
        [tillId, businessId, ...limitOffset(query)],
      ) as Promise<SessionRow[]>,
      this.dataSource.query('SELECT COUNT(*) AS total FROM till_session WHERE till_id = ? AND business_id = ?', [
        tillId,
        businessId,
      ]) as Promise<{ total: number }[]>,
    ]);
    const views = await Promise.all(
      rows.map(async (r) => this.balanceView(r, await this.expected(this.dataSource.manager, r), branch.currency)),
    );
    return pageOf('tillSessions', views, Number(total), query);
  }

  /** Expected against counted, by tender, for the open session (or the one asked for, or the last). */
  async balance(businessId: string, branchId: string, tillId: string, query: TillBalanceQuery) {
    const branch = await this.branches.require(businessId, branchId);
    await requireRow(this.dataSource.manager, 'till', { businessId, branchId }, tillId, 'Till');
    const [session]: SessionRow[] = query.tillSessionId
      ? await this.dataSource.query('SELECT * FROM till_session WHERE id = ? AND till_id = ? AND business_id = ?', [
          query.tillSessionId,
          tillId,
          businessId,
        ])
      : await this.dataSource.query(
          "SELECT * FROM till_session WHERE till_id = ? AND business_id = ? ORDER BY status = 'OPEN' DESC, opened_at DESC LIMIT 1",
          [tillId, businessId],
        );
    if (!session) {
      // A session asked for by id must exist; a till never opened simply has nothing in it.
      if (query.tillSessionId) throw ApiError.notFound('Till session');
      return this.neverOpenedBalance(tillId, branch.currency);
    }
    const expected =
      session.status === 'CLOSED'
        ? (json<TenderTotals>(session.expected_tenders) ?? {})
        : await this.expected(this.dataSource.manager, session);
    return this.balanceView(session, expected, branch.currency);
  }

  /**
   * The session a purchase's tenders count to: the open session of the till named, else the
   * branch's only open session (none when there are several and none is named). Holds the
   * session row in share mode until the purchase commits, so it cannot close under it.
   */
  async attach(m: EntityManager, businessId: string, branchId: string, tillId: string | undefined): Promise<TillAttachment | null> {
    if (tillId) {
      const till: { id: string }[] = await m.query('SELECT id FROM till WHERE id = ? AND business_id = ? AND branch_id = ?', [
        tillId,
        businessId,
        branchId,
      ]);
      if (!till.length) throw ApiError.notFound('Till');
      const [session]: { id: string }[] = await m.query(
        "SELECT id FROM till_session WHERE till_id = ? AND status = 'OPEN' LOCK IN SHARE MODE",
        [tillId],
      );
      if (!session) throw ApiError.conflict('TILL_NOT_OPEN', 'That till has no open session; open it first');
      return { tillId, tillSessionId: session.id };
    }
    const open: { id: string; till_id: string }[] = await m.query(
      "SELECT id, till_id FROM till_session WHERE business_id = ? AND branch_id = ? AND status = 'OPEN' LIMIT 2 LOCK IN SHARE MODE",
      [businessId, branchId],
    );
    return open.length === 1 ? { tillId: open[0].till_id, tillSessionId: open[0].id } : null;
  }

  /** Tender totals applied while the session was open; cash includes the float. */
  private async expected(m: EntityManager, session: SessionRow): Promise<TenderTotals> {
    const rows: { type: Tender; amount: number }[] = await m.query(
      'SELECT type, SUM(amount_minor) AS amount FROM purchase_payment WHERE till_session_id = ? GROUP BY type',
      [session.id],
    );
    const totals: TenderTotals = { CASH: session.opening_float_minor };
    for (const r of rows) totals[r.type] = (totals[r.type] ?? 0) + Number(r.amount);
    return totals;
  }

  private balanceView(session: SessionRow, expected: TenderTotals, currency: string) {
    const money = (minor: number | null | undefined) => (minor === null || minor === undefined ? null : toMajor(minor, currency));
    const counted = json<TenderTotals>(session.counted_tenders);
    const closed = session.status === 'CLOSED';
    const tenders = TENDERS.filter((t) => expected[t] !== undefined || counted?.[t] !== undefined).map((type) => {
      const exp = expected[type] ?? 0;
      const cnt = closed ? (counted?.[type] ?? null) : null;
      return { type, expected: money(exp), counted: money(cnt), variance: cnt === null ? null : money(cnt - exp) };
    });
    return {
      tillId: session.till_id,
      tillSessionId: session.id as string | null,
      status: session.status as 'OPEN' | 'CLOSED',
      sessionOpen: session.status === 'OPEN',
      currencyCode: currency,
      openingFloat: money(session.opening_float_minor),
      expectedCash: money(expected.CASH ?? 0),
      countedCash: money(session.counted_cash_minor),
      cashVariance: session.counted_cash_minor === null ? null : money(session.counted_cash_minor - (expected.CASH ?? 0)),
      tenders,
      integratedPaymentBalances: [] as unknown[],
      openedAt: iso(session.opened_at),
      openedBy: session.opened_by,
      closedAt: iso(session.closed_at),
      closedBy: session.closed_by,
      note: session.note,
      version: session.version,
    };
  }

  /** The balance of a till that has never been opened: no session, nothing expected, nothing counted. */
  private neverOpenedBalance(tillId: string, currency: string): ReturnType<TillsService['balanceView']> {
    const zero = toMajor(0, currency);
    return {
      tillId,
      tillSessionId: null,
      status: 'CLOSED',
      sessionOpen: false,
      currencyCode: currency,
      openingFloat: zero,
      expectedCash: zero,
      countedCash: zero,
      cashVariance: zero,
      tenders: [],
      integratedPaymentBalances: [],
      openedAt: null,
      openedBy: null,
      closedAt: null,
      closedBy: null,
      note: null,
      version: 0,
    };
  }

  private async tillViews(rows: TillRow[]) {
    const open: { till_id: string; id: string; opened_at: Date }[] = rows.length
      ? await this.dataSource.query("SELECT till_id, id, opened_at FROM till_session WHERE till_id IN (?) AND status = 'OPEN'", [
          rows.map((r) => r.id),
        ])
      : [];
    const byTill = new Map(open.map((s) => [s.till_id, s]));
    return rows.map((r) => {
      const s = byTill.get(r.id);
      return {
        tillId: r.id,
        name: r.name,
        currentSession: s ? { tillSessionId: s.id, openedAt: iso(s.opened_at) } : null,
        archived: !!r.archived,
        version: r.version,
        createdAt: iso(r.created_at),
        updatedAt: iso(r.updated_at),
      };
    });
  }
}
