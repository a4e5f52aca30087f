import type { EntityManager } from 'typeorm';

/** Per-branch messaging settings; a branch without a stored row uses the defaults. */
export interface BranchSettings {
  /** Reminders before the (first) appointment of a booking, in minutes (e.g. 24 h and 2 h). */
  reminderOffsetsMinutes: number[];
  confirmations: boolean;
  reminders: boolean;
  rescheduleNotices: boolean;
  cancellations: boolean;
  /** Channels the branch sends on at all (each client's consent still applies). */
  sms: boolean;
  email: boolean;
  /** Local times between which marketing is held back (spans midnight when start > end). */
  quietHours: { start: string; end: string };
  /** SMS messages per local day; past it, messages are BLOCKED with DAILY_SMS_LIMIT_REACHED. */
  dailySmsLimit: number;
  /** ISO countries SMS may go to; null means the branch's own country only. */
  allowedCountries: string[] | null;
  /** Language of dates and times in messages. */
  locale: string;
}

export const DEFAULT_SETTINGS: BranchSettings = {
  reminderOffsetsMinutes: [1440, 120],
  confirmations: true,
  reminders: true,
  rescheduleNotices: true,
  cancellations: true,
  sms: true,
  email: true,
  quietHours: { start: '21:00', end: '09:00' },
  dailySmsLimit: 2000,
  allowedCountries: null,
  locale: 'en-IE',
};

/** Everything about a branch that rendering and sending need, from messaging's own tables. */
export interface BranchContext {
  branchId: string;
  businessId: string;
  branchName: string;
  salonName: string;
  slug: string;
  timeZone: string;
  country: string;
  settings: BranchSettings;
  settingsVersion: number;
}

export async function loadBranchContexts(m: EntityManager, branchIds: string[]): Promise<Map<string, BranchContext>> {
  const result = new Map<string, BranchContext>();
  if (!branchIds.length) return result;
  const rows: {
    branch_id: string;
    business_id: string;
    name: string;
    slug: string;
    time_zone: string;
    country: string;
    business_name: string | null;
    settings: string | object | null;
    version: number | null;
  }[] = await m.query(
    `SELECT b.branch_id, b.business_id, b.name, b.slug, b.time_zone, b.country, p.name AS business_name, s.settings, s.version
       FROM branch_profile b
       LEFT JOIN business_profile p ON p.business_id = b.business_id
       LEFT JOIN branch_settings s ON s.branch_id = b.branch_id
      WHERE b.branch_id IN (?)`,
    [[...new Set(branchIds)]],
  );
  for (const r of rows) {
    const stored = typeof r.settings === 'string' ? (JSON.parse(r.settings) as Partial<BranchSettings>) : ((r.settings ?? {}) as Partial<BranchSettings>);
    result.set(r.branch_id, {
      branchId: r.branch_id,
      businessId: r.business_id,
      branchName: r.name,
      salonName: r.business_name ?? r.name,
      slug: r.slug,
      timeZone: r.time_zone,
      country: r.country,
      settings: { ...DEFAULT_SETTINGS, ...stored, quietHours: { ...DEFAULT_SETTINGS.quietHours, ...(stored.quietHours ?? {}) } },
      settingsVersion: r.version ?? 0,
    });
  }
  return result;
}

/**
 * A branch messaging has not heard of yet (its branch.created still in flight): render in UTC
 * with its id as the name rather than drop the message.
 */
export function fallbackBranch(branchId: string, businessId: string): BranchContext {
  return {
    branchId,
    businessId,
    branchName: 'your salon',
    salonName: 'your salon',
    slug: '',
    timeZone: 'UTC',
    country: 'IE',
    settings: DEFAULT_SETTINGS,
    settingsVersion: 0,
  };
}

export async function loadBranchContext(m: EntityManager, branchId: string, businessId: string): Promise<BranchContext> {
  return (await loadBranchContexts(m, [branchId])).get(branchId) ?? fallbackBranch(branchId, businessId);
}
