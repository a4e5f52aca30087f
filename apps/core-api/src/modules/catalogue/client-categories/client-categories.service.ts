import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../../../shared/ids';
import { archiveRow, bool, listPage, requireRow, updateVersioned } from '../shared/catalogue.sql';
import { ClientCategoryListQuery, CreateClientCategoryDto, UpdateClientCategoryDto } from './dto/client-category.dto';
import { ClientCategoryRow, clientCategoryView } from './client-category.view';

const WHAT = 'Client category';

/** `LIKE` pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Client categories (VIP, Bridal…): business-level, shared by every branch. */
@Injectable()
export class ClientCategoriesService {
  constructor(private readonly dataSource: DataSource) {}

  list(businessId: string, query: ClientCategoryListQuery) {
    return listPage(this.dataSource.manager, {
      table: 'client_category',
      scope: { businessId },
      includeArchived: query.includeArchived,
      where: query.name ? [{ sql: 'name LIKE ?', params: [containsPattern(query.name)] }] : [],
      orderBy: 'name, id',
      key: 'clientCategories',
      query,
      view: (rows: ClientCategoryRow[]) => rows.map(clientCategoryView),
    });
  }

  async get(businessId: string, categoryId: string) {
    return clientCategoryView(
      await requireRow<ClientCategoryRow>(this.dataSource.manager, 'client_category', { businessId }, categoryId, WHAT),
    );
  }

  async create(businessId: string, dto: CreateClientCategoryDto) {
    const id = newId();
    const now = new Date();
    await this.dataSource.query('INSERT INTO client_category (id, business_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      businessId,
      dto.name,
      now,
      now,
    ]);
    return this.get(businessId, id);
  }

  async update(businessId: string, categoryId: string, dto: UpdateClientCategoryDto) {
    await this.dataSource.transaction((m) =>
      updateVersioned(
        m,
        'client_category',
        { businessId },
        categoryId,
        dto.version,
        { name: dto.name, archived: bool(dto.archived) },
        WHAT,
      ),
    );
    return this.get(businessId, categoryId);
  }

  /** Archives the category; its clients stay in it. */
  async archive(businessId: string, categoryId: string): Promise<void> {
    await archiveRow(this.dataSource.manager, 'client_category', { businessId }, categoryId, WHAT);
  }
}
