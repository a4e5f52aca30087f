import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '../../shared/ids';
import { limitOffset, PageQuery, pageOf, totalOf } from '../../shared/http/paging';
import { explainFailedUpdate, iso } from '../../shared/http/versioning';
import { toMajor, toMinor } from '../../shared/money';
import { normalizePhone } from '../../shared/phone';
import { BranchRow } from '../branches/branch.view';
import { BranchesService } from '../branches/branches.service';
import { CreateStaffDto, StaffServiceDto, UpdateStaffDto } from './dto/staff.dto';
import { setupTransaction } from '../../shared/transactions';

interface StaffRow {
  id: string;
  business_id: string;
  branch_id: string;
  staff_category_id: string | null;
  staff_category_name: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  mobile: string | null;
  gender: string | null;
  self_employed: number;
  hide_from_online_bookings: number;
  hide_from_appointment_screen: number;
  online_profile: string | null;
  notes: string | null;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface QualificationRow {
  staff_id: string;
  service_id: string;
  price_minor: number | null;
  duration_minutes: number | null;
}

export interface StaffListQuery extends PageQuery {
  updatedAfter?: string;
  updatedBefore?: string;
  fetchArchived?: boolean;
}

const SELECT = `SELECT s.*, c.name AS staff_category_name FROM staff s LEFT JOIN staff_category c ON c.id = s.staff_category_id`;

/** Staff of a branch, with the services each may do (and their own price and duration). */
@Injectable()
export class StaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: StaffListQuery) {
    const branch = await this.branches.require(businessId, branchId);
    const where = ['s.business_id = ?', 's.branch_id = ?'];
    const params: unknown[] = [businessId, branchId];
    if (!query.fetchArchived) where.push('s.archived = 0');
    if (query.updatedAfter) {
      where.push('s.updated_at > ?');
      params.push(new Date(query.updatedAfter));
    }
    if (query.updatedBefore) {
      where.push('s.updated_at < ?');
      params.push(new Date(query.updatedBefore));
    }
    const clause = where.join(' AND ');
    const rows: StaffRow[] = await this.dataSource.query(`${SELECT} WHERE ${clause} ORDER BY s.first_name, s.last_name, s.id LIMIT ? OFFSET ?`, [...params, ...limitOffset(query)]);
    const total = await totalOf(rows.length, query, () => this.dataSource.query(`SELECT COUNT(*) AS total FROM staff s WHERE ${clause}`, params));
    return pageOf('staffs', await this.views(branch, rows), total, query);
  }

  async get(businessId: string, branchId: string, staffId: string) {
    const branch = await this.branches.require(businessId, branchId);
    const rows: StaffRow[] = await this.dataSource.query(`${SELECT} WHERE s.id = ? AND s.business_id = ? AND s.branch_id = ?`, [staffId, businessId, branchId]);
    if (!rows.length) throw ApiError.notFound('Staff member');
    return (await this.views(branch, rows))[0];
  }

  async create(businessId: string, branchId: string, dto: CreateStaffDto) {
    const id = newId();
    await setupTransaction(this.dataSource, async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      await this.checkCategory(m, businessId, branchId, dto.staffCategoryId);
      await m.query(
        `INSERT INTO staff (id, business_id, branch_id, staff_category_id, first_name, last_name, email, mobile, gender, self_employed,
           hide_from_online_bookings, hide_from_appointment_screen, online_profile, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))`,
        [
          id, businessId, branchId, dto.staffCategoryId ?? null, dto.firstName, dto.lastName ?? '', dto.email?.toLowerCase() ?? null,
          this.phone(dto.mobile, branch) ?? null, dto.gender ?? null, dto.selfEmployed ? 1 : 0, dto.hideFromOnlineBookings ? 1 : 0,
          dto.hideFromAppointmentScreen ? 1 : 0, dto.onlineProfile ?? null, dto.notes ?? null,
        ],
      );
      if (dto.services) await this.replaceServices(m, businessId, branch, id, dto.services);
    });
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, staffId: string, dto: UpdateStaffDto) {
    await setupTransaction(this.dataSource, async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      await this.checkCategory(m, businessId, branchId, dto.staffCategoryId);
      const set: Record<string, unknown> = {
        staff_category_id: dto.staffCategoryId,
        first_name: dto.firstName,
        last_name: dto.lastName,
        email: dto.email === null ? null : dto.email?.toLowerCase(),
        mobile: this.phone(dto.mobile, branch),
        gender: dto.gender,
        self_employed: flag(dto.selfEmployed),
        hide_from_online_bookings: flag(dto.hideFromOnlineBookings),
        hide_from_appointment_screen: flag(dto.hideFromAppointmentScreen),
        online_profile: dto.onlineProfile,
        notes: dto.notes,
        archived: flag(dto.archived),
      };
      const entries = Object.entries(set).filter(([, v]) => v !== undefined);
      const result: { affectedRows: number } = await m.query(
        `UPDATE staff SET ${entries.map(([k]) => `${k} = ?, `).join('')}version = version + 1, updated_at = NOW(3)
          WHERE id = ? AND business_id = ? AND branch_id = ? AND version = ?`,
        [...entries.map(([, v]) => v), staffId, businessId, branchId, dto.version],
      );
      if (result.affectedRows === 0) await explainFailedUpdate(m, 'staff', staffId, businessId, 'Staff member');
      if (dto.services) await this.replaceServices(m, businessId, branch, staffId, dto.services);
    });
    return this.get(businessId, branchId, staffId);
  }

  async archive(businessId: string, branchId: string, staffId: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query(
      'UPDATE staff SET archived = 1, version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ? AND branch_id = ?',
      [staffId, businessId, branchId],
    );
    if (result.affectedRows === 0) throw ApiError.notFound('Staff member');
  }

  private phone(mobile: string | null | undefined, branch: BranchRow): string | null | undefined {
    if (mobile === undefined || mobile === null) return mobile;
    const normalized = normalizePhone(mobile, branch.country);
    if (!normalized) throw ApiError.badRequest('INVALID_PHONE', 'mobile is not a valid phone number', [{ field: 'mobile', message: 'must be a valid phone number' }]);
    return normalized;
  }

  private async checkCategory(m: EntityManager, businessId: string, branchId: string, categoryId: string | undefined): Promise<void> {
    if (!categoryId) return;
    const rows: unknown[] = await m.query('SELECT id FROM staff_category WHERE id = ? AND business_id = ? AND branch_id = ?', [categoryId, businessId, branchId]);
    if (!rows.length) throw ApiError.notFound('Staff category');
  }

  /** Qualifications are replaced as a whole; every service must be one of this branch's. */
  private async replaceServices(m: EntityManager, businessId: string, branch: BranchRow, staffId: string, services: StaffServiceDto[]): Promise<void> {
    const ids = [...new Set(services.map((s) => s.serviceId))];
    if (ids.length !== services.length) throw ApiError.badRequest('VALIDATION_FAILED', 'A service appears twice', [{ field: 'services', message: 'each service once' }]);
    if (ids.length) {
      const found: { id: string }[] = await m.query('SELECT id FROM service WHERE business_id = ? AND branch_id = ? AND id IN (?)', [businessId, branch.id, ids]);
      if (found.length !== ids.length) throw ApiError.notFound('Service');
    }
    await m.query('DELETE FROM staff_service WHERE staff_id = ? AND business_id = ?', [staffId, businessId]);
    for (const s of services) {
      let price: number | null = null;
      if (s.price !== undefined) {
        const minor = toMinor(s.price, branch.currency);
        if (minor === undefined) throw ApiError.badRequest('VALIDATION_FAILED', `price has more decimals than ${branch.currency} allows`, [{ field: 'services.price', message: 'too many decimals' }]);
        price = minor;
      }
      await m.query('INSERT INTO staff_service (business_id, staff_id, service_id, price_minor, duration_minutes) VALUES (?, ?, ?, ?, ?)', [
        businessId, staffId, s.serviceId, price, s.duration ?? null,
      ]);
    }
    await m.query('UPDATE staff SET updated_at = NOW(3) WHERE id = ?', [staffId]);
  }

  private async views(branch: BranchRow, rows: StaffRow[]) {
    if (!rows.length) return [];
    const [qualifications, services]: [QualificationRow[], { id: string }[]] = await Promise.all([
      this.dataSource.query('SELECT staff_id, service_id, price_minor, duration_minutes FROM staff_service WHERE staff_id IN (?)', [rows.map((r) => r.id)]),
      this.dataSource.query('SELECT id FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY sort_order, id', [branch.business_id, branch.id]),
    ]);
    return rows.map((row) => {
      const own = qualifications.filter((q) => q.staff_id === row.id);
      const qualified = new Set(own.map((q) => q.service_id));
      return {
        staffId: row.id,
        branchId: row.branch_id,
        staffCategoryId: row.staff_category_id,
        staffCategoryName: row.staff_category_name,
        // The reference's roles: the staff category the salon gave this person (e.g. "Senior Stylist").
        roles: row.staff_category_name ? [row.staff_category_name] : [],
        firstName: row.first_name,
        lastName: row.last_name,
        email: row.email,
        mobile: row.mobile,
        gender: row.gender,
        selfEmployed: !!row.self_employed,
        hideFromOnlineBookings: !!row.hide_from_online_bookings,
        hideFromAppointmentScreen: !!row.hide_from_appointment_screen,
        onlineProfile: row.online_profile,
        notes: row.notes,
        services: own.map((q) => ({
          serviceId: q.service_id,
          price: q.price_minor === null ? null : toMajor(q.price_minor, branch.currency),
          duration: q.duration_minutes,
        })),
        disqualifiedServices: services.filter((s) => !qualified.has(s.id)).map((s) => s.id),
        archived: !!row.archived,
        version: row.version,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      };
    });
  }
}

function flag(value: boolean | undefined): number | undefined {
  return value === undefined ? undefined : value ? 1 : 0;
}
