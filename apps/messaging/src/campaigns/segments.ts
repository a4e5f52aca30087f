import type { Channel } from '../channels/provider.types';

/** Who a campaign is for. */
export type Segment =
  | { type: 'NOT_SEEN_FOR_WEEKS'; weeks: number }
  | { type: 'STAFF'; staffId: string }
  | { type: 'CLIENT_CATEGORY'; categoryId: string }
  | { type: 'BIRTHDAY_MONTH'; month: number };

export const SEGMENT_TYPES = ['NOT_SEEN_FOR_WEEKS', 'STAFF', 'CLIENT_CATEGORY', 'BIRTHDAY_MONTH'] as const;

/**
 * SQL for a segment over `client_contact c`:
 * - NOT_SEEN_FOR_WEEKS: clients whose last completed visit is more than N weeks ago (clients
 *   who never visited are not "lapsed" and are left out);
 * - STAFF: clients who prefer that staff member or have had a completed appointment with them;
 * - CLIENT_CATEGORY: members of the category;
 * - BIRTHDAY_MONTH: clients born in that month (1-12).
 */
export function segmentSql(segment: Segment, now: Date): { sql: string; params: unknown[] } {
  switch (segment.type) {
    case 'NOT_SEEN_FOR_WEEKS':
      return { sql: 'c.last_visit_at < ?', params: [new Date(now.getTime() - segment.weeks * 7 * 24 * 3600_000)] };
    case 'STAFF':
      return {
        sql: '(c.preferred_staff_id = ? OR EXISTS (SELECT 1 FROM client_staff_visit v WHERE v.client_id = c.client_id AND v.staff_id = ?))',
        params: [segment.staffId, segment.staffId],
      };
    case 'CLIENT_CATEGORY':
      return { sql: 'EXISTS (SELECT 1 FROM client_category_member g WHERE g.client_id = c.client_id AND g.category_id = ?)', params: [segment.categoryId] };
    case 'BIRTHDAY_MONTH':
      return { sql: 'c.birth_month = ?', params: [segment.month] };
  }
}

/** Who of a segment may actually be sent marketing on a channel: consent, an address, no opt-out. */
export function reachableSql(channel: Channel): string {
  return channel === 'SMS'
    ? `c.sms_marketing_consent = 1 AND c.mobile IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.channel = 'SMS' AND o.address = c.mobile AND o.scope IN ('*', c.business_id) AND o.opted_out = 1)`
    : `c.email_marketing_consent = 1 AND c.email IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.channel = 'EMAIL' AND o.address = c.email AND o.scope IN ('*', c.business_id) AND o.opted_out = 1)`;
}
