import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../../../shared/ids';
import { BranchesService } from '../../branches/branches.service';
import { archiveRow, bool, listPage, requireRow, updateVersioned } from '../shared/catalogue.sql';
import { CreateResourceDto, ResourceListQuery, UpdateResourceDto } from './dto/resource.dto';
import { machineView, ResourceRow, roomView } from './resource.view';

interface ResourceKind<V> {
  table: 'room' | 'machine';
  what: string;
  listKey: string;
  view: (row: ResourceRow) => V;
}

/**
 * Rooms and machines: a branch's bookable resources, each hosting up to `capacity`
 * appointments at once. The two are the same shape in different tables.
 */
abstract class BranchResourcesService<V> {
  protected constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly kind: ResourceKind<V>,
  ) {}

  async list(businessId: string, branchId: string, query: ResourceListQuery) {
    await this.branches.require(businessId, branchId);
    return listPage(this.dataSource.manager, {
      table: this.kind.table,
      scope: { businessId, branchId },
      includeArchived: query.includeArchived,
      where: query.updated_from ? [{ sql: 'updated_at >= ?', params: [new Date(query.updated_from)] }] : [],
      orderBy: 'name, id',
      key: this.kind.listKey,
      query,
      view: (rows: ResourceRow[]) => rows.map(this.kind.view),
    });
  }

  async get(businessId: string, branchId: string, id: string): Promise<V> {
    await this.branches.require(businessId, branchId);
    return this.kind.view(
      await requireRow<ResourceRow>(this.dataSource.manager, this.kind.table, { businessId, branchId }, id, this.kind.what),
    );
  }

  async create(businessId: string, branchId: string, dto: CreateResourceDto): Promise<V> {
    await this.branches.require(businessId, branchId);
    const id = newId();
    const now = new Date();
    await this.dataSource.query(
      `INSERT INTO ${this.kind.table} (id, business_id, branch_id, name, capacity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [id, businessId, branchId, dto.name, dto.capacity ?? 1, now, now],
    );
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, id: string, dto: UpdateResourceDto): Promise<V> {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction((m) =>
      updateVersioned(
        m,
        this.kind.table,
        { businessId, branchId },
        id,
        dto.version,
        { name: dto.name, capacity: dto.capacity, archived: bool(dto.archived) },
        this.kind.what,
      ),
    );
    return this.get(businessId, branchId, id);
  }

  /**
   * Archives it. Services that name it keep it in their roomIds/machineIds, but an archived
   * resource offers no capacity, so such a service needs another of its resources.
   */
  async archive(businessId: string, branchId: string, id: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await archiveRow(this.dataSource.manager, this.kind.table, { businessId, branchId }, id, this.kind.what);
  }
}

@Injectable()
export class RoomsService extends BranchResourcesService<ReturnType<typeof roomView>> {
  constructor(dataSource: DataSource, branches: BranchesService) {
    super(dataSource, branches, { table: 'room', what: 'Room', listKey: 'rooms', view: roomView });
  }
}

@Injectable()
export class MachinesService extends BranchResourcesService<ReturnType<typeof machineView>> {
  constructor(dataSource: DataSource, branches: BranchesService) {
    super(dataSource, branches, { table: 'machine', what: 'Machine', listKey: 'machines', view: machineView });
  }
}
