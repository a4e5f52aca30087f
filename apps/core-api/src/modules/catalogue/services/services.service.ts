import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '../../../shared/ids';
import { BranchesService } from '../../branches/branches.service';
import { archiveRow, bool, listPage, requireReferences, requireRow, Scope, updateVersioned } from '../shared/catalogue.sql';
import { CreateServiceDto, ServiceListQuery, UpdateServiceDto } from './dto/service.dto';
import { loadServiceExtras, priceInMinor, replaceServiceResources, resolveGapStart } from './service-rules';
import { ServiceRow, serviceView } from './service.view';
import { setupTransaction } from '../../../shared/transactions';

const WHAT = 'Service';
type Queryable = Pick<EntityManager, 'query'>;

/**
 * Services of a branch: duration (gap included), processing gap, buffer, price in minor units
 * of the branch currency, online flag, and the rooms/machines they need. Which staff may do
 * a service lives in staff_service (the staff routes write it); here it shows as Phorest's
 * `disqualifiedStaff`.
 */
@Injectable()
export class ServicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: ServiceListQuery) {
    const branch = await this.branches.require(businessId, branchId);
    const scope = { businessId, branchId };
    const m = this.dataSource.manager;
    const where: { sql: string; params: unknown[] }[] = [];
    if (query.category_id) {
      await requireRow(m, 'service_category', scope, query.category_id, 'Service category');
      where.push({ sql: 'category_id = ?', params: [query.category_id] });
    }
    if (query.updatedAfter) where.push({ sql: 'updated_at > ?', params: [new Date(query.updatedAfter)] });
    return listPage(m, {
      table: 'service',
      scope,
      where,
      includeArchived: query.includeArchived,
      orderBy: 'sort_order, name, id',
      key: 'services',
      query,
      view: (rows: ServiceRow[]) => this.views(m, scope, branch.currency, rows),
    });
  }

  async get(businessId: string, branchId: string, serviceId: string) {
    const branch = await this.branches.require(businessId, branchId);
    const scope = { businessId, branchId };
    const row = await requireRow<ServiceRow>(this.dataSource.manager, 'service', scope, serviceId, WHAT);
    return (await this.views(this.dataSource.manager, scope, branch.currency, [row]))[0];
  }

  async create(businessId: string, branchId: string, dto: CreateServiceDto) {
    const id = newId();
    await setupTransaction(this.dataSource, async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      const gapTime = dto.gapTime ?? 0;
      const gapStart = resolveGapStart(dto.duration, gapTime, dto.gapStartsAfter, null);
      const priceMinor = priceInMinor(dto.price, branch.currency);
      await this.checkReferences(m, scope, dto);
      const now = new Date();
      await m.query(
        `INSERT INTO service (id, business_id, branch_id, category_id, name, internet_name, description, duration_minutes, gap_start_minutes,
           gap_duration_minutes, buffer_after_minutes, price_minor, online_bookable, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          businessId,
          branchId,
          dto.categoryId ?? null,
          dto.name,
          dto.internetName ?? null,
          dto.description ?? null,
          dto.duration,
          gapStart,
          gapTime,
          dto.bufferTime ?? 0,
          priceMinor,
          dto.onlineBookable === false ? 0 : 1,
          now,
          now,
        ],
      );
      await replaceServiceResources(m, businessId, id, 'ROOM', dto.roomIds ?? []);
      await replaceServiceResources(m, businessId, id, 'MACHINE', dto.machineIds ?? []);
    });
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, serviceId: string, dto: UpdateServiceDto) {
    await setupTransaction(this.dataSource, async (m) => {
      const branch = await this.branches.require(businessId, branchId, m);
      const scope = { businessId, branchId };
      const current = await requireRow<ServiceRow>(m, 'service', scope, serviceId, WHAT);
      // Timing rules hold for the service as it will be, so check the merged values.
      const duration = dto.duration ?? current.duration_minutes;
      const gapTime = dto.gapTime ?? current.gap_duration_minutes;
      const gapStart = resolveGapStart(duration, gapTime, dto.gapStartsAfter, current.gap_start_minutes);
      const priceMinor = dto.price === undefined ? undefined : priceInMinor(dto.price, branch.currency);
      await this.checkReferences(m, scope, dto);
      await updateVersioned(
        m,
        'service',
        scope,
        serviceId,
        dto.version,
        {
          category_id: dto.categoryId,
          name: dto.name,
          internet_name: dto.internetName,
          description: dto.description,
          duration_minutes: dto.duration,
          gap_duration_minutes: dto.gapTime,
          gap_start_minutes: gapStart === current.gap_start_minutes ? undefined : gapStart,
          buffer_after_minutes: dto.bufferTime,
          price_minor: priceMinor,
          online_bookable: bool(dto.onlineBookable),
          archived: bool(dto.archived),
        },
        WHAT,
      );
      if (dto.roomIds) await replaceServiceResources(m, businessId, serviceId, 'ROOM', dto.roomIds);
      if (dto.machineIds) await replaceServiceResources(m, businessId, serviceId, 'MACHINE', dto.machineIds);
    });
    return this.get(businessId, branchId, serviceId);
  }

  /** Archives the service: it leaves lists and online booking; booked appointments keep it. */
  async archive(businessId: string, branchId: string, serviceId: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await archiveRow(this.dataSource.manager, 'service', { businessId, branchId }, serviceId, WHAT);
  }

  /** A category, rooms and machines named in a body must be this branch's (else 404). */
  private async checkReferences(
    m: Queryable,
    scope: Scope,
    dto: { categoryId?: string | null; roomIds?: string[]; machineIds?: string[] },
  ): Promise<void> {
    if (dto.categoryId) await requireReferences(m, 'service_category', scope, [dto.categoryId], 'Service category', 'categoryId');
    await requireReferences(m, 'room', scope, dto.roomIds ?? [], 'Room', 'roomIds');
    await requireReferences(m, 'machine', scope, dto.machineIds ?? [], 'Machine', 'machineIds');
  }

  private async views(m: Queryable, scope: Required<Scope>, currency: string, rows: ServiceRow[]) {
    const extras = await loadServiceExtras(
      m,
      scope.businessId,
      scope.branchId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => serviceView(row, currency, extras.get(row.id) ?? { roomIds: [], machineIds: [], disqualifiedStaff: [] }));
  }
}
