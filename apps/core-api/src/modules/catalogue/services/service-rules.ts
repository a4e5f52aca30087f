import { ApiError } from '@chairbook/platform';
import type { EntityManager } from 'typeorm';
import { currencyDigits, toMinor } from '../../../shared/money';
import { placeholders } from '../shared/catalogue.sql';
import type { ServiceExtras } from './service.view';

type Queryable = Pick<EntityManager, 'query'>;
export type ResourceType = 'ROOM' | 'MACHINE';

const invalid = (field: string, message: string) =>
  ApiError.badRequest('VALIDATION_FAILED', `Invalid input (${field}: ${message})`, [{ field, message }]);

/**
 * The gap's start after a create or update, checked against the resulting duration: with
 * gapTime > 0 a start is required and the gap lies strictly inside the service
 * (0 < gapStartsAfter and gapStartsAfter + gapTime < duration); with no gap there is no start.
 * `sent` is the body's gapStartsAfter (undefined = not sent), `current` the stored one.
 */
export function resolveGapStart(duration: number, gapTime: number, sent: number | null | undefined, current: number | null): number | null {
  if (gapTime === 0) {
    if (sent !== undefined && sent !== null) throw invalid('gapStartsAfter', 'must be absent or null when gapTime is 0');
    return null;
  }
  const start = sent !== undefined ? sent : current;
  if (start === null) throw invalid('gapStartsAfter', 'is required when gapTime is more than 0');
  if (start + gapTime >= duration) {
    throw invalid(
      'gapTime',
      `the gap (gapStartsAfter ${start} + gapTime ${gapTime}) must end before the service does (duration ${duration})`,
    );
  }
  return start;
}

/** A major-unit price in the branch currency's minor units; too many decimals is a 400. */
export function priceInMinor(price: number, currency: string): number {
  const minor = toMinor(price, currency);
  if (minor === undefined) throw invalid('price', `must have at most ${currencyDigits(currency)} decimals in ${currency}`);
  return minor;
}

/** Replaces the service's rooms (or machines) with `ids` (already checked to be the branch's). */
export async function replaceServiceResources(
  m: Queryable,
  businessId: string,
  serviceId: string,
  type: ResourceType,
  ids: readonly string[],
): Promise<void> {
  await m.query('DELETE FROM service_resource WHERE business_id = ? AND service_id = ? AND resource_type = ?', [
    businessId,
    serviceId,
    type,
  ]);
  if (!ids.length) return;
  await m.query(
    `INSERT INTO service_resource (business_id, service_id, resource_type, resource_id) VALUES ${ids.map(() => '(?, ?, ?, ?)').join(', ')}`,
    ids.flatMap((id) => [businessId, serviceId, type, id]),
  );
}

/** Each service's rooms and machines, ids in string order. */
export async function loadServiceResources(
  m: Queryable,
  businessId: string,
  serviceIds: readonly string[],
): Promise<Map<string, { roomIds: string[]; machineIds: string[] }>> {
  const map = new Map(serviceIds.map((id) => [id, { roomIds: [] as string[], machineIds: [] as string[] }]));
  if (!serviceIds.length) return map;
  const rows: { service_id: string; resource_type: ResourceType; resource_id: string }[] = await m.query(
    `SELECT service_id, resource_type, resource_id FROM service_resource WHERE business_id = ? AND service_id IN (${placeholders(serviceIds)}) ORDER BY resource_id`,
    [businessId, ...serviceIds],
  );
  for (const row of rows) {
    const entry = map.get(row.service_id);
    if (entry) (row.resource_type === 'ROOM' ? entry.roomIds : entry.machineIds).push(row.resource_id);
  }
  return map;
}

/**
 * What the service view shows beyond its row: rooms, machines and `disqualifiedStaff`, the
 * non-archived staff of the branch with no staff_service row for the service (ids in order).
 */
export async function loadServiceExtras(
  m: Queryable,
  businessId: string,
  branchId: string,
  serviceIds: readonly string[],
): Promise<Map<string, ServiceExtras>> {
  if (!serviceIds.length) return new Map();
  const [resources, staff, qualified] = await Promise.all([
    loadServiceResources(m, businessId, serviceIds),
    m.query('SELECT id FROM staff WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY id', [businessId, branchId]) as Promise<
      { id: string }[]
    >,
    m.query(`SELECT staff_id, service_id FROM staff_service WHERE business_id = ? AND service_id IN (${placeholders(serviceIds)})`, [
      businessId,
      ...serviceIds,
    ]) as Promise<{ staff_id: string; service_id: string }[]>,
  ]);
  const qualifiedPairs = new Set(qualified.map((q) => `${q.service_id}/${q.staff_id}`));
  return new Map(
    serviceIds.map((serviceId) => [
      serviceId,
      {
        ...(resources.get(serviceId) ?? { roomIds: [], machineIds: [] }),
        disqualifiedStaff: staff.map((s) => s.id).filter((staffId) => !qualifiedPairs.has(`${serviceId}/${staffId}`)),
      },
    ]),
  );
}
