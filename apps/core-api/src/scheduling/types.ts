/**
 * Public data shapes of the scheduling engine. Everything is plain data so the
 * use-cases can build it from whatever they loaded; instants are epoch
 * milliseconds (UTC) and every interval is half-open `[start, end)`.
 */

/** Epoch milliseconds (UTC). */
export type Instant = number;

/** Half-open `[start, end)`; `end <= start` means empty. */
export interface Interval {
  readonly start: Instant;
  readonly end: Instant;
}

/** A local calendar date in the branch zone, `yyyy-MM-dd`. */
export type LocalDate = string;

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * A local wall-clock range, `"HH:mm"` each. `end <= start` means the range
 * ends on the next local day (a midnight-spanning shift); `"24:00"` is
 * accepted as an end and means the next local midnight.
 */
export interface WallTimeRange {
  readonly start: string;
  readonly end: string;
}

export interface BranchSettings {
  /** IANA zone, e.g. `Europe/Dublin`. */
  readonly timeZone: string;
  /** Grid step counted from local midnight; defaults to 15. */
  readonly slotStepMinutes?: number;
}

// ---------------------------------------------------------------- roster

export type WeeklyRoster = Readonly<Partial<Record<IsoWeekday, readonly WallTimeRange[]>>>;

export type RosterOverride =
  | { readonly date: LocalDate; readonly kind: 'dayOff' }
  | {
      readonly date: LocalDate;
      readonly kind: 'hours';
      readonly intervals: readonly WallTimeRange[];
    };

export interface RosterInput {
  readonly timeZone: string;
  readonly weekly: WeeklyRoster;
  readonly overrides?: readonly RosterOverride[];
  /** First local date whose shifts are included (inclusive). */
  readonly fromDate: LocalDate;
  /** Last local date whose shifts are included (inclusive). */
  readonly toDate: LocalDate;
}

// -------------------------------------------------------------- services

export interface GapTime {
  /** Minutes after the service start at which the stylist becomes free. */
  readonly startAfterMinutes: number;
  readonly durationMinutes: number;
}

/** The timing part of a service: all that is needed to place it in time. */
export interface ServiceTiming {
  /** Total chair time, gap included. */
  readonly durationMinutes: number;
  readonly gap?: GapTime;
  /** Stylist/room clean-up after the service (the client has left). */
  readonly bufferAfterMinutes?: number;
}

export interface ServiceRule extends ServiceTiming {
  readonly id: string;
  readonly onlineBookable: boolean;
  /** The service needs one of these rooms; empty or absent = no requirement. */
  readonly roomIds?: readonly string[];
  /** The service needs one of these machines; empty or absent = no requirement. */
  readonly machineIds?: readonly string[];
}

// ----------------------------------------------------------------- staff

export interface StaffQualification {
  /** Per-staff total duration (gap included); the gap itself is kept as is. */
  readonly durationMinutes?: number;
}

export interface StaffCalendar {
  readonly id: string;
  readonly onlineBookable: boolean;
  /** serviceId -> qualification; a service not in the map = unqualified. */
  readonly qualifications: Readonly<Record<string, StaffQualification>>;
  /** Working time, already resolved to UTC (see `resolveWorkingIntervals`). */
  readonly working: readonly Interval[];
  /** Breaks and time off. */
  readonly blocked?: readonly Interval[];
  /**
   * Stylist-occupied blocks of existing appointments and active holds,
   * buffers included and processing gaps excluded (see `stylistBlocks`).
   */
  readonly busy?: readonly Interval[];
}

// ------------------------------------------------------------- resources

export interface ResourceCalendar {
  readonly id: string;
  /** Units that can be in use at the same time (>= 1). */
  readonly capacity: number;
  /** Existing usages; each counts one unit while it lasts. */
  readonly usages?: readonly Interval[];
}

export type ResourceKind = 'room' | 'machine';

// ---------------------------------------------------------------- client

export interface ClientCalendar {
  readonly id: string;
  /** Chair time `[start, end)` of each of the client's existing appointments. */
  readonly appointments: readonly Interval[];
}

// ---------------------------------------------------------------- online

export interface OnlineOptions {
  readonly now: Instant;
  readonly minNoticeMinutes: number;
  /** The last bookable local date is (local today + horizonDays). */
  readonly horizonDays: number;
}

// --------------------------------------------------------------- context

/** What both `findSlots` and `checkBooking` need to know about the branch. */
export interface SchedulingContext {
  readonly branch: BranchSettings;
  readonly services: readonly ServiceRule[];
  /** Order matters: it is the preference order for "anyone". */
  readonly staff: readonly StaffCalendar[];
  readonly rooms?: readonly ResourceCalendar[];
  readonly machines?: readonly ResourceCalendar[];
  /** Present = an online request, with its extra rules. */
  readonly online?: OnlineOptions;
}

// ------------------------------------------------------------ find slots

export interface SelectionItem {
  readonly serviceId: string;
  /** Absent = "anyone": every eligible staff member, in `staff` order. */
  readonly staffId?: string;
}

export interface FindSlotsInput extends SchedulingContext {
  /** Candidate starts lie in `[window.start, window.end)`. */
  readonly window: Interval;
  /** Services run back to back, in this order, for one client. */
  readonly selection: readonly SelectionItem[];
  readonly client?: ClientCalendar;
  /** DFS node budget per start time; defaults to 10 000. */
  readonly maxSearchNodesPerStart?: number;
}

export interface SlotSchedule {
  readonly serviceId: string;
  readonly staffId: string;
  readonly start: Instant;
  /** start + duration (chair time end; buffer not included). */
  readonly end: Instant;
  readonly roomId?: string;
  readonly machineId?: string;
}

export interface Slot {
  readonly start: Instant;
  readonly schedules: readonly SlotSchedule[];
}

// --------------------------------------------------------- check booking

export interface ScheduleRequest {
  readonly serviceId: string;
  readonly staffId: string;
  readonly start: Instant;
  /** Must be one of the service's rooms; absent = the engine picks one. */
  readonly roomId?: string;
  /** Must be one of the service's machines; absent = the engine picks one. */
  readonly machineId?: string;
  /** Groups schedules by client; absent = the request's anonymous client. */
  readonly clientId?: string;
}

export interface CheckBookingInput extends SchedulingContext {
  readonly schedules: readonly ScheduleRequest[];
  /** Existing appointments of the clients named by `clientId`. */
  readonly clients?: readonly ClientCalendar[];
}

export interface ResourceUsage {
  readonly kind: ResourceKind;
  readonly resourceId: string;
  readonly start: Instant;
  readonly end: Instant;
}

export interface ResolvedSchedule {
  readonly serviceId: string;
  readonly staffId: string;
  readonly clientId?: string;
  readonly start: Instant;
  /** start + duration */
  readonly end: Instant;
  readonly roomId?: string;
  readonly machineId?: string;
  /** What to store to occupy the stylist (buffer included, gap excluded). */
  readonly stylistBlocks: readonly Interval[];
  /** The client's chair time, `[start, end)`. */
  readonly clientSpan: Interval;
  /** One per room/machine used, over `[start, end + buffer)`. */
  readonly resourceUsages: readonly ResourceUsage[];
}

export type RefusalCode =
  | 'STAFF_UNQUALIFIED'
  | 'SERVICE_NOT_ONLINE_BOOKABLE'
  | 'STAFF_NOT_ONLINE_BOOKABLE'
  | 'RESOURCE_NOT_SUITABLE'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'STAFF_NOT_WORKING'
  | 'STAFF_DOUBLE_BOOKED'
  | 'CLIENT_ALREADY_BOOKED_THIS_TIME'
  | 'EXCEEDED_ROOM_CAPACITY';

export interface BookingAccepted {
  readonly ok: true;
  readonly schedules: readonly ResolvedSchedule[];
}

export interface BookingRefused {
  readonly ok: false;
  readonly code: RefusalCode;
  /** Index in `schedules` of the offending schedule. */
  readonly scheduleIndex: number;
  /** Human-readable, for logs; not a contract. */
  readonly reason: string;
}

export type BookingCheckResult = BookingAccepted | BookingRefused;
