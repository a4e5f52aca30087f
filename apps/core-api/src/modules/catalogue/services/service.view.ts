import { toMajor } from '../../../shared/money';
import { iso } from '../../../shared/http/versioning';
import type { AuditRow } from '../shared/catalogue.sql';

export interface ServiceRow extends AuditRow {
  business_id: string;
  branch_id: string;
  category_id: string | null;
  name: string;
  internet_name: string | null;
  description: string | null;
  duration_minutes: number;
  gap_start_minutes: number | null;
  gap_duration_minutes: number;
  buffer_after_minutes: number;
  price_minor: number;
  online_bookable: number;
  sort_order: number;
}

/** What a service's view needs beyond its own row. */
export interface ServiceExtras {
  roomIds: string[];
  machineIds: string[];
  /** Non-archived staff of the branch not qualified for it (Phorest's negative form). */
  disqualifiedStaff: string[];
}

/** A service with Phorest's field names; `price` in major units of the branch currency. */
export function serviceView(row: ServiceRow, currency: string, extras: ServiceExtras) {
  return {
    serviceId: row.id,
    categoryId: row.category_id,
    name: row.name,
    internetName: row.internet_name,
    description: row.description,
    duration: row.duration_minutes,
    /** The reference's name for `duration`. */
    durationMinutes: row.duration_minutes,
    gapTime: row.gap_duration_minutes,
    gapStartsAfter: row.gap_duration_minutes > 0 ? row.gap_start_minutes : null,
    bufferTime: row.buffer_after_minutes,
    price: toMajor(row.price_minor, currency),
    onlineBookable: !!row.online_bookable,
    roomIds: extras.roomIds,
    machineIds: extras.machineIds,
    disqualifiedStaff: extras.disqualifiedStaff,
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type ServiceView = ReturnType<typeof serviceView>;
