import { createEvent, DomainEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { newId } from '../../shared/ids';
import { limitOffset, PageQuery, pageOf, totalOf } from '../../shared/http/paging';
import { explainFailedUpdate } from '../../shared/http/versioning';
import { normalizePhone } from '../../shared/phone';
import { ClientRow, clientView } from './client.view';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { setupTransaction } from '../../shared/transactions';

export interface ClientListQuery extends PageQuery {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  externalId?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  includeArchived?: boolean;
}

const CONSENTS = ['sms_reminder_consent', 'email_reminder_consent', 'sms_marketing_consent', 'email_marketing_consent'] as const;

/**
 * Clients belong to the business (every branch sees them). Phones are stored in E.164 and
 * searched the same way, so `087 123 4567`, `+353871234567` and `353871234567` find the same
 * client; emails are stored and searched lower-cased. Both searches use an index.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async list(businessId: string, query: ClientListQuery) {
    const where = ['business_id = ?'];
    const params: unknown[] = [businessId];
    if (!query.includeArchived) where.push('archived = 0');
    if (query.email !== undefined) {
      where.push('email = ?');
      params.push(query.email.trim().toLowerCase());
    }
    if (query.phone !== undefined) {
      // International forms need no lookup of the branch's country.
      const international = /^\s*(\+|00)/.test(query.phone) || /^\d{11,15}$/.test(query.phone.trim());
      const phone = normalizePhone(query.phone, international ? undefined : await this.defaultCountry(this.dataSource.manager, businessId));
      if (!phone) return pageOf('clients', [], 0, query);
      where.push('mobile = ?');
      params.push(phone);
    }
    if (query.firstName !== undefined) {
      where.push('first_name = ?');
      params.push(query.firstName);
    }
    if (query.lastName !== undefined) {
      where.push('last_name = ?');
      params.push(query.lastName);
    }
    if (query.externalId !== undefined) {
      where.push('external_id = ?');
      params.push(query.externalId);
    }
    const incremental = query.updatedAfter !== undefined || query.updatedBefore !== undefined;
    if (query.updatedAfter !== undefined) {
      where.push('updated_at > ?');
      params.push(new Date(query.updatedAfter));
    }
    if (query.updatedBefore !== undefined) {
      where.push('updated_at < ?');
      params.push(new Date(query.updatedBefore));
    }
    const clause = where.join(' AND ');
    // Incremental sync reads in change order; otherwise alphabetical. Both end on id: stable.
    const order = incremental ? 'updated_at, id' : 'last_name, first_name, id';
    const rows: ClientRow[] = await this.dataSource.query(`SELECT * FROM client WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, ...limitOffset(query)]);
    const total = await totalOf(rows.length, query, () => this.dataSource.query(`SELECT COUNT(*) AS total FROM client WHERE ${clause}`, params));
    return pageOf('clients', await this.views(this.dataSource.manager, rows), total, query);
  }

  async get(businessId: string, clientId: string, manager: EntityManager = this.dataSource.manager) {
    const rows: ClientRow[] = await manager.query('SELECT * FROM client WHERE id = ? AND business_id = ?', [clientId, businessId]);
    if (!rows.length) throw ApiError.notFound('Client');
    return (await this.views(manager, rows))[0];
  }

  async create(businessId: string, dto: CreateClientDto, manager?: EntityManager) {
    const id = newId();
    const work = async (m: EntityManager) => {
      if (dto.creatingBranchId) await this.requireOwned(m, 'branch', businessId, dto.creatingBranchId, 'Branch');
      const country = await this.defaultCountry(m, businessId, dto.creatingBranchId);
      await this.checkReferences(m, businessId, dto);
      const a = dto.address ?? {};
      await m.query(
        `INSERT INTO client (id, business_id, creating_branch_id, first_name, last_name, mobile, landline, email, gender, birth_date,
           street_address1, street_address2, city, state, postal_code, country, notes, external_id, preferred_staff_id,
           sms_reminder_consent, email_reminder_consent, sms_marketing_consent, email_marketing_consent, banned, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))`,
        [
          id, businessId, dto.creatingBranchId ?? null, dto.firstName, dto.lastName, phoneOrThrow(dto.mobile, country, 'mobile') ?? null,
          phoneOrThrow(dto.landLine, country, 'landLine') ?? null, dto.email?.toLowerCase() ?? null, dto.gender ?? null, dto.birthDate ?? null,
          a.streetAddress1 ?? null, a.streetAddress2 ?? null, a.city ?? null, a.state ?? null, a.postalCode ?? null, a.country ?? null,
          dto.notes ?? null, dto.externalId ?? null, dto.preferredStaffId ?? null, dto.smsReminderConsent ? 1 : 0, dto.emailReminderConsent ? 1 : 0,
          dto.smsMarketingConsent ? 1 : 0, dto.emailMarketingConsent ? 1 : 0, dto.banned ? 1 : 0,
        ],
      );
      if (dto.clientCategoryIds) await this.replaceCategories(m, id, dto.clientCategoryIds);
      const view = await this.get(businessId, id, m);
      await this.events.record(m, this.clientEvent('client.created', businessId, view));
      return view;
    };
    if (manager) return work(manager);
    const view = await setupTransaction(this.dataSource, work);
    this.events.flush();
    return view;
  }

  async update(businessId: string, clientId: string, dto: UpdateClientDto) {
    const view = await setupTransaction(this.dataSource, async (m) => {
      const [before]: ClientRow[] = await m.query('SELECT * FROM client WHERE id = ? AND business_id = ? FOR UPDATE', [clientId, businessId]);
      if (!before) throw ApiError.notFound('Client');
      const country = await this.defaultCountry(m, businessId, before.creating_branch_id ?? undefined);
      await this.checkReferences(m, businessId, dto);
      const a = dto.address;
      const set: Record<string, unknown> = {
        first_name: dto.firstName,
        last_name: dto.lastName,
        mobile: phoneOrThrow(dto.mobile, country, 'mobile'),
        landline: phoneOrThrow(dto.landLine, country, 'landLine'),
        email: dto.email === null ? null : dto.email?.toLowerCase(),
        gender: dto.gender,
        birth_date: dto.birthDate,
        street_address1: a?.streetAddress1,
        street_address2: a?.streetAddress2,
        city: a?.city,
        state: a?.state,
        postal_code: a?.postalCode,
        country: a?.country,
        notes: dto.notes,
        external_id: dto.externalId,
        preferred_staff_id: dto.preferredStaffId,
        sms_reminder_consent: flag(dto.smsReminderConsent),
        email_reminder_consent: flag(dto.emailReminderConsent),
        sms_marketing_consent: flag(dto.smsMarketingConsent),
        email_marketing_consent: flag(dto.emailMarketingConsent),
        banned: flag(dto.banned),
        archived: flag(dto.archived),
      };
      const entries = Object.entries(set).filter(([, v]) => v !== undefined);
      const result: { affectedRows: number } = await m.query(
        `UPDATE client SET ${entries.map(([k]) => `${k} = ?, `).join('')}version = version + 1, updated_at = NOW(3)
          WHERE id = ? AND business_id = ? AND version = ?`,
        [...entries.map(([, v]) => v), clientId, businessId, dto.version],
      );
      if (result.affectedRows === 0) await explainFailedUpdate(m, 'client', clientId, businessId, 'Client');
      if (dto.clientCategoryIds) await this.replaceCategories(m, clientId, dto.clientCategoryIds);
      const after = await this.get(businessId, clientId, m);
      const events: DomainEvent[] = [this.clientEvent('client.updated', businessId, after)];
      if (CONSENTS.some((c) => set[c] !== undefined && Number(set[c]) !== Number(before[c]))) {
        events.push(
          createEvent(
            'client.consent_changed',
            {
              clientId,
              smsReminderConsent: after.smsReminderConsent,
              emailReminderConsent: after.emailReminderConsent,
              smsMarketingConsent: after.smsMarketingConsent,
              emailMarketingConsent: after.emailMarketingConsent,
            },
            { businessId },
          ),
        );
      }
      await this.events.record(m, ...events);
      return after;
    });
    this.events.flush();
    return view;
  }

  async archive(businessId: string, clientId: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query(
      'UPDATE client SET archived = 1, version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ?',
      [clientId, businessId],
    );
    if (result.affectedRows === 0) throw ApiError.notFound('Client');
  }

  /** The country whose numbering reads local phone numbers: the client's branch, else the business's first. */
  private async defaultCountry(m: EntityManager, businessId: string, branchId?: string): Promise<string | undefined> {
    const rows: { country: string }[] = branchId
      ? await m.query('SELECT country FROM branch WHERE id = ? AND business_id = ?', [branchId, businessId])
      : await m.query('SELECT country FROM branch WHERE business_id = ? ORDER BY created_at, id LIMIT 1', [businessId]);
    return rows[0]?.country;
  }

  private async checkReferences(m: EntityManager, businessId: string, dto: { preferredStaffId?: string; clientCategoryIds?: string[] }): Promise<void> {
    if (dto.preferredStaffId) await this.requireOwned(m, 'staff', businessId, dto.preferredStaffId, 'Staff member');
    if (dto.clientCategoryIds?.length) {
      const ids = [...new Set(dto.clientCategoryIds)];
      const found: unknown[] = await m.query('SELECT id FROM client_category WHERE business_id = ? AND id IN (?)', [businessId, ids]);
      if (found.length !== ids.length) throw ApiError.notFound('Client category');
    }
  }

  private async requireOwned(m: EntityManager, table: 'branch' | 'staff', businessId: string, id: string, what: string): Promise<void> {
    const rows: unknown[] = await m.query(`SELECT id FROM ${table} WHERE id = ? AND business_id = ?`, [id, businessId]);
    if (!rows.length) throw ApiError.notFound(what);
  }

  private async replaceCategories(m: EntityManager, clientId: string, categoryIds: string[]): Promise<void> {
    await m.query('DELETE FROM client_category_member WHERE client_id = ?', [clientId]);
    for (const categoryId of new Set(categoryIds)) {
      await m.query('INSERT INTO client_category_member (client_id, category_id) VALUES (?, ?)', [clientId, categoryId]);
    }
  }

  private async views(m: EntityManager, rows: ClientRow[]) {
    if (!rows.length) return [];
    const members: { client_id: string; category_id: string }[] = await m.query('SELECT client_id, category_id FROM client_category_member WHERE client_id IN (?) ORDER BY category_id', [
      rows.map((r) => r.id),
    ]);
    return rows.map((row) => clientView(row, members.filter((x) => x.client_id === row.id).map((x) => x.category_id)));
  }

  private clientEvent(type: 'client.created' | 'client.updated', businessId: string, view: ReturnType<typeof clientView>) {
    return createEvent(
      type,
      {
        clientId: view.clientId,
        firstName: view.firstName,
        lastName: view.lastName,
        mobile: view.mobile,
        email: view.email,
        birthDate: view.birthDate,
        clientCategoryIds: view.clientCategoryIds,
        preferredStaffId: view.preferredStaffId,
        archived: view.archived,
        smsReminderConsent: view.smsReminderConsent,
        emailReminderConsent: view.emailReminderConsent,
        smsMarketingConsent: view.smsMarketingConsent,
        emailMarketingConsent: view.emailMarketingConsent,
      },
      { businessId },
    );
  }
}

function phoneOrThrow(value: string | null | undefined, country: string | undefined, field: string): string | null | undefined {
  if (value === undefined || value === null) return value;
  const normalized = normalizePhone(value, country);
  if (!normalized) throw ApiError.badRequest('INVALID_PHONE', `${field} is not a valid phone number`, [{ field, message: 'must be a valid phone number' }]);
  return normalized;
}

function flag(value: boolean | undefined): number | undefined {
  return value === undefined ? undefined : value ? 1 : 0;
}
