import { DataSource } from 'typeorm';
import type { ApiClient, ApiResponse } from '../../../test-support/api-client';
import type { CoreApiHarness } from '../../../test-support/core-api-harness';
import { newId } from '../../../shared/ids';

/** RFC 3339 with milliseconds and Z, as Phorest shows createdAt/updatedAt. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const LONG_STRING = 'x'.repeat(10_000);
/** Well-formed but nobody's. */
export const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function expectValidationError(res: ApiResponse, field: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect((res.body.fields as { field: string }[]).map((f) => f.field)).toContain(field);
}

export function expectNotFound(res: ApiResponse): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
}

/** Versioned, archivable rows show these audit fields. */
export const auditFields = (version = 1) => ({
  archived: false,
  version,
  createdAt: expect.stringMatching(ISO_INSTANT),
  updatedAt: expect.stringMatching(ISO_INSTANT),
});

/** A staff member straight in the table (the staff routes are another module's). */
export async function insertStaff(
  api: CoreApiHarness,
  client: ApiClient,
  options: { branchId?: string; archived?: boolean; qualifiedFor?: string[] } = {},
): Promise<string> {
  const db = api.app.get(DataSource);
  const id = newId();
  await db.query(
    'INSERT INTO staff (id, business_id, branch_id, first_name, archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NOW(3), NOW(3))',
    [id, client.businessId, options.branchId ?? client.branchId, `Stylist ${id.slice(0, 4)}`, options.archived ? 1 : 0],
  );
  for (const serviceId of options.qualifiedFor ?? []) {
    await db.query('INSERT INTO staff_service (business_id, staff_id, service_id) VALUES (?, ?, ?)', [client.businessId, id, serviceId]);
  }
  return id;
}

export async function countRows(api: CoreApiHarness, table: string, businessId: string): Promise<number> {
  const [{ n }] = await api.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table} WHERE business_id = ?`, [businessId]);
  return Number(n);
}

/** Opens a second branch of the client's business and returns its id. */
export async function openBranch(client: ApiClient): Promise<string> {
  const tag = newId()
    .slice(0, 8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const res = await client.post(`${client.business}/branch`, {
    name: `Second ${tag}`,
    slug: `second-${tag}`,
    timeZone: 'Europe/Dublin',
    country: 'IE',
    currencyCode: 'EUR',
  });
  expect(res.status).toBe(201);
  return res.body.branchId as string;
}
