import { createEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../../../events/domain-events';
import { newId } from '../../../../shared/ids';
import { hashPassword } from '../../../auth/password';
import { CreateBusinessCommand, DEFAULT_OPENING_HOURS, validateCreateBusiness } from './create-business.command';

export interface CreatedBusiness {
  businessId: string;
  branchId: string;
  ownerUserId: string;
}

/**
 * Creates a business with its first branch and owner credential, in one transaction with
 * its `business.created` and `branch.created` events. Used by the CLI and the demo seed.
 */
@Injectable()
export class CreateBusinessUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async execute(command: CreateBusinessCommand): Promise<CreatedBusiness> {
    validateCreateBusiness(command);
    const passwordHash = await hashPassword(command.owner.password);
    const businessId = newId();
    const branchId = newId();
    const ownerUserId = newId();
    const now = new Date();
    const b = command.branch;
    try {
      await this.dataSource.transaction(async (m) => {
        await m.query('INSERT INTO business (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)', [businessId, command.name, now, now]);
        await m.query(
          `INSERT INTO branch (id, business_id, name, slug, time_zone, country, currency, street_address1, city,
             postal_code, phone, email, opening_hours, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            branchId, businessId, b.name, b.slug, b.timeZone, b.country, b.currency, b.streetAddress1 ?? null, b.city ?? null,
            b.postalCode ?? null, b.phone ?? null, b.email ?? null, JSON.stringify(b.openingHours ?? DEFAULT_OPENING_HOURS), now, now,
          ],
        );
        await m.query(
          `INSERT INTO api_user (id, business_id, email, password_hash, role, first_name, last_name, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'OWNER', ?, ?, ?, ?)`,
          [ownerUserId, businessId, command.owner.email.toLowerCase(), passwordHash, command.owner.firstName ?? '', command.owner.lastName ?? '', now, now],
        );
        await this.events.record(
          m,
          createEvent('business.created', { businessId, name: command.name }, { businessId }),
          createEvent(
            'branch.created',
            { branchId, name: b.name, slug: b.slug, timeZone: b.timeZone, country: b.country, currency: b.currency },
            { businessId, branchId },
          ),
        );
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY' || (err as { driverError?: { code?: string } }).driverError?.code === 'ER_DUP_ENTRY') {
        const message = String((err as Error).message);
        throw message.includes('uq_branch_slug')
          ? ApiError.conflict('SLUG_TAKEN', `The booking page address ${b.slug} is taken`)
          : ApiError.conflict('EMAIL_TAKEN', `A user with email ${command.owner.email} already exists`);
      }
      throw err;
    }
    this.events.flush();
    return { businessId, branchId, ownerUserId };
  }
}
