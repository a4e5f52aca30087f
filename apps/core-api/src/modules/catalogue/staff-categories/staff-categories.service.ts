import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PageQuery } from '../../../shared/http/paging';
import { newId } from '../../../shared/ids';
import { BranchesService } from '../../branches/branches.service';
import { archiveRow, bool, listPage, requireRow, updateVersioned } from '../shared/catalogue.sql';
import { CreateStaffCategoryDto, UpdateStaffCategoryDto } from './dto/staff-category.dto';
import { StaffCategoryRow, staffCategoryView } from './staff-category.view';

const WHAT = 'Staff category';

/** Staff categories (Junior, Senior, Art Director…) of a branch; staff members point at one. */
@Injectable()
export class StaffCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: PageQuery & { includeArchived?: boolean }) {
    await this.branches.require(businessId, branchId);
    return listPage(this.dataSource.manager, {
      table: 'staff_category',
      scope: { businessId, branchId },
      includeArchived: query.includeArchived,
      orderBy: 'name, id',
      key: 'staffCategories',
      query,
      view: (rows: StaffCategoryRow[]) => rows.map(staffCategoryView),
    });
  }

  async get(businessId: string, branchId: string, staffCategoryId: string) {
    await this.branches.require(businessId, branchId);
    return staffCategoryView(
      await requireRow<StaffCategoryRow>(this.dataSource.manager, 'staff_category', { businessId, branchId }, staffCategoryId, WHAT),
    );
  }

  async create(businessId: string, branchId: string, dto: CreateStaffCategoryDto) {
    await this.branches.require(businessId, branchId);
    const id = newId();
    const now = new Date();
    await this.dataSource.query(
      'INSERT INTO staff_category (id, business_id, branch_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [id, businessId, branchId, dto.name, now, now],
    );
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, staffCategoryId: string, dto: UpdateStaffCategoryDto) {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction((m) =>
      updateVersioned(
        m,
        'staff_category',
        { businessId, branchId },
        staffCategoryId,
        dto.version,
        { name: dto.name, archived: bool(dto.archived) },
        WHAT,
      ),
    );
    return this.get(businessId, branchId, staffCategoryId);
  }

  /** Archives the category; staff in it keep their staffCategoryId. */
  async archive(businessId: string, branchId: string, staffCategoryId: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await archiveRow(this.dataSource.manager, 'staff_category', { businessId, branchId }, staffCategoryId, WHAT);
  }
}
