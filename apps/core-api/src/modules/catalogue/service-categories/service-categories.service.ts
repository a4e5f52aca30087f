import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PageQuery } from '../../../shared/http/paging';
import { newId } from '../../../shared/ids';
import { BranchesService } from '../../branches/branches.service';
import { archiveRow, bool, listPage, requireRow, updateVersioned } from '../shared/catalogue.sql';
import { CreateServiceCategoryDto, UpdateServiceCategoryDto } from './dto/service-category.dto';
import { ServiceCategoryRow, serviceCategoryView } from './service-category.view';

const WHAT = 'Service category';

/** Service categories group a branch's services (Colour, Cuts, Treatments…). */
@Injectable()
export class ServiceCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async list(businessId: string, branchId: string, query: PageQuery & { includeArchived?: boolean }) {
    await this.branches.require(businessId, branchId);
    return listPage(this.dataSource.manager, {
      table: 'service_category',
      scope: { businessId, branchId },
      includeArchived: query.includeArchived,
      orderBy: 'sort_order, name, id',
      key: 'serviceCategories',
      query,
      view: (rows: ServiceCategoryRow[]) => rows.map(serviceCategoryView),
    });
  }

  async get(businessId: string, branchId: string, categoryId: string) {
    await this.branches.require(businessId, branchId);
    return serviceCategoryView(
      await requireRow<ServiceCategoryRow>(this.dataSource.manager, 'service_category', { businessId, branchId }, categoryId, WHAT),
    );
  }

  async create(businessId: string, branchId: string, dto: CreateServiceCategoryDto) {
    await this.branches.require(businessId, branchId);
    const id = newId();
    const now = new Date();
    await this.dataSource.query(
      'INSERT INTO service_category (id, business_id, branch_id, name, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, businessId, branchId, dto.name, dto.sortOrder ?? 0, now, now],
    );
    return this.get(businessId, branchId, id);
  }

  async update(businessId: string, branchId: string, categoryId: string, dto: UpdateServiceCategoryDto) {
    await this.branches.require(businessId, branchId);
    await this.dataSource.transaction((m) =>
      updateVersioned(
        m,
        'service_category',
        { businessId, branchId },
        categoryId,
        dto.version,
        { name: dto.name, sort_order: dto.sortOrder, archived: bool(dto.archived) },
        WHAT,
      ),
    );
    return this.get(businessId, branchId, categoryId);
  }

  /** Archives the category; its services keep their categoryId. */
  async archive(businessId: string, branchId: string, categoryId: string): Promise<void> {
    await this.branches.require(businessId, branchId);
    await archiveRow(this.dataSource.manager, 'service_category', { businessId, branchId }, categoryId, WHAT);
  }
}
