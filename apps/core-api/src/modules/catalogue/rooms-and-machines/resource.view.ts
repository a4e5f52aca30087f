import { iso } from '../../../shared/http/versioning';
import type { AuditRow } from '../shared/catalogue.sql';

export interface ResourceRow extends AuditRow {
  business_id: string;
  branch_id: string;
  name: string;
  capacity: number;
}

export function roomView(row: ResourceRow) {
  return {
    roomId: row.id,
    name: row.name,
    capacity: row.capacity,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function machineView(row: ResourceRow) {
  return {
    machineId: row.id,
    name: row.name,
    capacity: row.capacity,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type RoomView = ReturnType<typeof roomView>;
export type MachineView = ReturnType<typeof machineView>;
