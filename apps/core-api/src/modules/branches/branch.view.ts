import { iso } from '../../shared/http/versioning';
import { Weekday, WEEKDAYS } from './dto/branch.dto';

export interface BranchRow {
  id: string;
  business_id: string;
  name: string;
  slug: string;
  time_zone: string;
  country: string;
  currency: string;
  street_address1: string | null;
  street_address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  phone: string | null;
  email: string | null;
  latitude: number | string | null;
  longitude: number | string | null;
  opening_hours: string | Record<string, { startTime: string; endTime: string }[]>;
  slot_step_minutes: number;
  online_min_notice_minutes: number;
  online_horizon_days: number;
  hold_minutes: number;
  cancellation_window_hours: number;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** The business's calendar version (see the calendar_version migration), when read with it (BRANCH_WITH_CALENDAR_VERSION); null before any change. */
  calendar_version?: string | number | null;
}

/** The branch row and its business's calendar version, by `id` and `business_id`. */
export const BRANCH_WITH_CALENDAR_VERSION =
  'SELECT b.*, cv.version AS calendar_version FROM branch b LEFT JOIN calendar_version cv ON cv.business_id = b.business_id WHERE b.id = ? AND b.business_id = ?';

export type OpeningHoursMap = Partial<Record<Weekday, { startTime: string; endTime: string }[]>>;

export function openingHoursOf(row: Pick<BranchRow, 'opening_hours'>): OpeningHoursMap {
  return typeof row.opening_hours === 'string' ? (JSON.parse(row.opening_hours) as OpeningHoursMap) : row.opening_hours;
}

/** Opening hours as Phorest's worktimetable lists them: one entry per open interval. */
export function openingHoursList(row: Pick<BranchRow, 'opening_hours'>) {
  const map = openingHoursOf(row);
  return WEEKDAYS.flatMap((day) => (map[day] ?? []).map((h) => ({ dayOfWeek: day, startTime: h.startTime, endTime: h.endTime })));
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

function addressLine(row: BranchRow): string | null {
  const parts = [row.street_address1, row.street_address2, row.city, row.state, row.postal_code].map((p) => p?.trim()).filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** The branch as the API shows it (Phorest's field names, plus ours for set-up). */
export function branchView(row: BranchRow) {
  return {
    branchId: row.id,
    name: row.name,
    slug: row.slug,
    timeZone: row.time_zone,
    /** The reference's spelling of `timeZone`. */
    timezone: row.time_zone,
    country: row.country,
    currencyCode: row.currency,
    /** The reference's one-line address: the address lines, city, state and postal code, comma-separated (null when none). */
    address: addressLine(row),
    streetAddress1: row.street_address1,
    streetAddress2: row.street_address2,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    phone: row.phone,
    email: row.email,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    openingHours: openingHoursList(row),
    onlineBooking: {
      minNoticeMinutes: row.online_min_notice_minutes,
      horizonDays: row.online_horizon_days,
      slotStepMinutes: row.slot_step_minutes,
      holdMinutes: row.hold_minutes,
      cancellationWindowHours: row.cancellation_window_hours,
    },
    archived: !!row.archived,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type BranchView = ReturnType<typeof branchView>;
