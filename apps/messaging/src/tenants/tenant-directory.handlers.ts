import { DomainEvent } from '@chairbook/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Keeps messaging's own directory of businesses and branches (names, time zones, countries)
 * up to date from core-api's events: templates, quiet hours and country allow-lists need them.
 */
export const tenantDirectoryHandlers = {
  'business.created': async (event: DomainEvent<'business.created'>, m: EntityManager) => {
    await m.query(
      `INSERT INTO business_profile (business_id, name, created_at, updated_at) VALUES (?, ?, NOW(3), NOW(3))
       ON DUPLICATE KEY UPDATE name = VALUES(name), updated_at = NOW(3)`,
      [event.data.businessId, event.data.name],
    );
  },
  'branch.created': (event: DomainEvent<'branch.created'>, m: EntityManager) => upsertBranch(event, m),
  'branch.updated': (event: DomainEvent<'branch.updated'>, m: EntityManager) => upsertBranch(event, m),
};

async function upsertBranch(event: DomainEvent<'branch.created' | 'branch.updated'>, m: EntityManager): Promise<void> {
  const d = event.data;
  await m.query(
    `INSERT INTO branch_profile (branch_id, business_id, name, slug, time_zone, country, currency, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3))
     ON DUPLICATE KEY UPDATE name = VALUES(name), slug = VALUES(slug), time_zone = VALUES(time_zone),
       country = VALUES(country), currency = VALUES(currency), updated_at = NOW(3)`,
    [d.branchId, event.businessId, d.name, d.slug, d.timeZone, d.country, d.currency],
  );
}
