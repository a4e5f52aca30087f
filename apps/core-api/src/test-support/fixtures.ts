import { DataSource } from 'typeorm';
import { newId } from '../shared/ids';
import type { ApiClient } from './api-client';
import type { CoreApiHarness } from './core-api-harness';

/** Inserts a service straight into the database (for tests of other modules). */
export async function insertService(
  api: CoreApiHarness,
  client: ApiClient,
  fields: { name?: string; duration?: number; gap?: [number, number]; buffer?: number; priceMinor?: number; onlineBookable?: boolean; roomId?: string } = {},
): Promise<string> {
  const id = newId();
  const ds = api.app.get(DataSource);
  await ds.query(
    `INSERT INTO service (id, business_id, branch_id, name, duration_minutes, gap_start_minutes, gap_duration_minutes, buffer_after_minutes,
       price_minor, online_bookable, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))`,
    [id, client.businessId, client.branchId, fields.name ?? `Service ${id.slice(0, 4)}`, fields.duration ?? 45, fields.gap?.[0] ?? null, fields.gap?.[1] ?? 0, fields.buffer ?? 0, fields.priceMinor ?? 5000, fields.onlineBookable === false ? 0 : 1],
  );
  if (fields.roomId) {
    await ds.query("INSERT INTO service_resource (business_id, service_id, resource_type, resource_id) VALUES (?, ?, 'ROOM', ?)", [client.businessId, id, fields.roomId]);
  }
  return id;
}
