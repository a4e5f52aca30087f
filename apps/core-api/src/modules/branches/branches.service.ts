import { createEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { newId } from '../../shared/ids';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import { explainFailedUpdate } from '../../shared/http/versioning';
import { normalizePhone } from '../../shared/phone';
import { DEFAULT_OPENING_HOURS } from '../business/use-cases/create-business/create-business.command';
import { CreateBranchDto, OpeningHoursDto, UpdateBranchDto } from './dto/branch.dto';
import { BRANCH_WITH_CALENDAR_VERSION, BranchRow, branchView, OpeningHoursMap } from './branch.view';

function toOpeningHoursMap(list: OpeningHoursDto[]): OpeningHoursMap {
  const map: OpeningHoursMap = {};
  for (const h of list) {
    if (h.startTime === h.endTime) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'Opening hours must not be empty', [{ field: 'openingHours', message: `${h.dayOfWeek} starts and ends at ${h.startTime}` }]);
    }
    (map[h.dayOfWeek] ??= []).push({ startTime: h.startTime, endTime: h.endTime });
  }
  return map;
}

function branchPhone(phone: string | null | undefined, country: string): string | null | undefined {
  if (phone === undefined || phone === null) return phone;
  const normalized = normalizePhone(phone, country);
  if (!normalized) throw ApiError.badRequest('INVALID_PHONE', 'phone is not a valid phone number', [{ field: 'phone', message: 'must be a valid phone number' }]);
  return normalized;
}

/**
 * Branches: where the salon works. Every other branch-scoped route resolves its branch
 * through `require`, which is also where another business's branch id turns into a 404.
 */
@Injectable()
export class BranchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async require(businessId: string, branchId: string, manager: EntityManager = this.dataSource.manager): Promise<BranchRow> {
    const rows: BranchRow[] = await manager.query(BRANCH_WITH_CALENDAR_VERSION, [branchId, businessId]);
    if (!rows.length) throw ApiError.notFound('Branch');
    return rows[0];
  }

  async list(businessId: string, query: PageQuery & { includeArchived?: boolean }) {
    const where = query.includeArchived ? 'business_id = ?' : 'business_id = ? AND archived = 0';
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM branch WHERE ${where} ORDER BY name, id LIMIT ? OFFSET ?`, [businessId, ...limitOffset(query)]) as Promise<BranchRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM branch WHERE ${where}`, [businessId]) as Promise<{ total: number }[]>,
    ]);
    return pageOf('branches', rows.map(branchView), Number(total), query);
  }

  async get(businessId: string, branchId: string) {
    return branchView(await this.require(businessId, branchId));
  }

  async create(businessId: string, dto: CreateBranchDto) {
    const id = newId();
    const now = new Date();
    const o = dto.onlineBooking ?? {};
    await this.write(async (m) => {
      await m.query(
        `INSERT INTO branch (id, business_id, name, slug, time_zone, country, currency, street_address1, street_address2, city, state,
           postal_code, phone, email, latitude, longitude, opening_hours, slot_step_minutes, online_min_notice_minutes, online_horizon_days,
           hold_minutes, cancellation_window_hours, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id, businessId, dto.name, dto.slug, dto.timeZone, dto.country, dto.currencyCode, dto.streetAddress1 ?? null, dto.streetAddress2 ?? null,
          dto.city ?? null, dto.state ?? null, dto.postalCode ?? null, branchPhone(dto.phone, dto.country) ?? null, dto.email ?? null,
          dto.latitude ?? null, dto.longitude ?? null, JSON.stringify(dto.openingHours ? toOpeningHoursMap(dto.openingHours) : DEFAULT_OPENING_HOURS),
          o.slotStepMinutes ?? 15, o.minNoticeMinutes ?? 120, o.horizonDays ?? 60, o.holdMinutes ?? 10, o.cancellationWindowHours ?? 24, now, now,
        ],
      );
      const row = await this.require(businessId, id, m);
      await this.events.record(m, this.branchEvent('branch.created', row));
    });
    return this.get(businessId, id);
  }

  async update(businessId: string, branchId: string, dto: UpdateBranchDto) {
    await this.write(async (m) => {
      const current = await this.require(businessId, branchId, m);
      const country = dto.country ?? current.country;
      const o = dto.onlineBooking ?? {};
      const set: Record<string, unknown> = {
        name: dto.name,
        slug: dto.slug,
        time_zone: dto.timeZone,
        country: dto.country,
        currency: dto.currencyCode,
        street_address1: dto.streetAddress1,
        street_address2: dto.streetAddress2,
        city: dto.city,
        state: dto.state,
        postal_code: dto.postalCode,
        phone: branchPhone(dto.phone, country),
        email: dto.email,
        latitude: dto.latitude,
        longitude: dto.longitude,
        opening_hours: dto.openingHours ? JSON.stringify(toOpeningHoursMap(dto.openingHours)) : undefined,
        slot_step_minutes: o.slotStepMinutes,
        online_min_notice_minutes: o.minNoticeMinutes,
        online_horizon_days: o.horizonDays,
        hold_minutes: o.holdMinutes,
        cancellation_window_hours: o.cancellationWindowHours,
        archived: dto.archived === undefined ? undefined : dto.archived ? 1 : 0,
      };
      const entries = Object.entries(set).filter(([, v]) => v !== undefined);
      const result: { affectedRows: number } = await m.query(
        `UPDATE branch SET ${entries.map(([k]) => `${k} = ?`).join(', ')}${entries.length ? ', ' : ''}version = version + 1, updated_at = NOW(3)
          WHERE id = ? AND business_id = ? AND version = ?`,
        [...entries.map(([, v]) => v), branchId, businessId, dto.version],
      );
      if (result.affectedRows === 0) await explainFailedUpdate(m, 'branch', branchId, businessId, 'Branch');
      await this.events.record(m, this.branchEvent('branch.updated', await this.require(businessId, branchId, m)));
    });
    return this.get(businessId, branchId);
  }

  async archive(businessId: string, branchId: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query(
      'UPDATE branch SET archived = 1, version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ?',
      [branchId, businessId],
    );
    if (result.affectedRows === 0) throw ApiError.notFound('Branch');
  }

  private branchEvent(type: 'branch.created' | 'branch.updated', row: BranchRow) {
    return createEvent(
      type,
      { branchId: row.id, name: row.name, slug: row.slug, timeZone: row.time_zone, country: row.country, currency: row.currency },
      { businessId: row.business_id, branchId: row.id },
    );
  }

  private async write(work: (m: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.dataSource.transaction(work);
    } catch (err) {
      if (String((err as Error).message).includes('uq_branch_slug')) throw ApiError.conflict('SLUG_TAKEN', 'That booking page address (slug) is taken');
      throw err;
    }
    this.events.flush();
  }
}
