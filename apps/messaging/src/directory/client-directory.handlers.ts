import { DomainEvent } from '@chairbook/contracts';
import type { EntityManager } from 'typeorm';
import { sqlTime } from '../database/sql-literal';

type ClientEvent = DomainEvent<'client.created' | 'client.updated'>;

const flag = (v: boolean) => (v ? 1 : 0);

/** `as_of` of a contact known only from a booking: older than any client event. */
const EPOCH = new Date('1970-01-01T00:00:01Z');

/**
 * Messaging's own client directory (contact, consents, birthday, categories, preferred staff,
 * last visit) built from core-api's events. Events can arrive out of order (redelivery, two
 * relays): a row changes only for an event that happened after the one it reflects
 * (`as_of` = that event's occurredAt), so an old event never undoes a newer one.
 */
export const clientDirectoryHandlers = {
  'client.created': (event: ClientEvent, m: EntityManager) => upsertClient(event, m),
  'client.updated': (event: ClientEvent, m: EntityManager) => upsertClient(event, m),
  'client.consent_changed': async (event: DomainEvent<'client.consent_changed'>, m: EntityManager) => {
    const d = event.data;
    await m.query(
      `UPDATE client_contact SET sms_reminder_consent = ?, email_reminder_consent = ?, sms_marketing_consent = ?, email_marketing_consent = ?,
              as_of = ?, updated_at = NOW(3)
        WHERE client_id = ? AND business_id = ? AND as_of < ?`,
      [flag(d.smsReminderConsent), flag(d.emailReminderConsent), flag(d.smsMarketingConsent), flag(d.emailMarketingConsent), new Date(event.occurredAt), d.clientId, event.businessId, new Date(event.occurredAt)],
    );
  },
  'appointment.completed': async (event: DomainEvent<'appointment.completed'>, m: EntityManager) => {
    const d = event.data;
    const at = new Date(d.startTime);
    // The visit is when the appointment took place; keep the latest whatever the arrival order.
    await m.query('UPDATE client_contact SET last_visit_at = GREATEST(COALESCE(last_visit_at, ?), ?) WHERE client_id = ? AND business_id = ?', [at, at, d.clientId, event.businessId]);
    await m.query(
      `INSERT INTO client_staff_visit (client_id, staff_id, business_id, last_visit_at) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE last_visit_at = GREATEST(last_visit_at, VALUES(last_visit_at))`,
      [d.clientId, d.staffId, event.businessId, at],
    );
  },
};

async function upsertClient(event: ClientEvent, m: EntityManager): Promise<void> {
  const d = event.data;
  const asOf = new Date(event.occurredAt);
  const birthMonth = d.birthDate ? Number(d.birthDate.slice(5, 7)) : null;
  const values = [
    d.clientId,
    event.businessId,
    d.firstName.slice(0, 100),
    d.lastName.slice(0, 100),
    d.mobile,
    d.email?.toLowerCase() ?? null,
    d.birthDate,
    birthMonth,
    d.preferredStaffId,
    flag(d.archived),
    flag(d.smsReminderConsent),
    flag(d.emailReminderConsent),
    flag(d.smsMarketingConsent),
    flag(d.emailMarketingConsent),
    asOf,
  ];
  // Assignments run left to right: `as_of` must be compared before it is overwritten (last).
  const newer = 'VALUES(as_of) > as_of';
  const columns = ['first_name', 'last_name', 'mobile', 'email', 'birth_date', 'birth_month', 'preferred_staff_id', 'archived', 'sms_reminder_consent', 'email_reminder_consent', 'sms_marketing_consent', 'email_marketing_consent'];
  await m.query(
    `INSERT INTO client_contact (client_id, business_id, first_name, last_name, mobile, email, birth_date, birth_month, preferred_staff_id, archived,
        sms_reminder_consent, email_reminder_consent, sms_marketing_consent, email_marketing_consent, as_of, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))
     ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = IF(${newer}, VALUES(${c}), ${c})`).join(', ')}, updated_at = NOW(3), as_of = GREATEST(as_of, VALUES(as_of))`,
    values,
  );
  // Categories follow the same rule: replaced only when this event is the newest seen.
  const [row]: { as_of: Date }[] = await m.query('SELECT as_of FROM client_contact WHERE client_id = ?', [d.clientId]);
  if (row && new Date(row.as_of).getTime() === asOf.getTime()) {
    await m.query('DELETE FROM client_category_member WHERE client_id = ?', [d.clientId]);
    if (d.clientCategoryIds.length) {
      await m.query('INSERT IGNORE INTO client_category_member (category_id, client_id, business_id) VALUES ?', [
        [...new Set(d.clientCategoryIds)].map((c) => [c, d.clientId, event.businessId]),
      ]);
    }
  }
}

/**
 * The contact a booking event carries, kept only when messaging has never heard of the client
 * (its client.created may still be on the way); client events always win over it.
 */
export async function rememberClientFromBooking(
  m: EntityManager,
  businessId: string,
  clientId: string,
  c: BookingContact,
): Promise<void> {
  await rememberClientsFromBookings(m, [{ businessId, clientId, contact: c }]);
}

type BookingContact = { firstName: string; lastName: string; mobile: string | null; email: string | null; smsReminderConsent: boolean; emailReminderConsent: boolean };

/** `rememberClientFromBooking` for many clients in one statement. */
export async function rememberClientsFromBookings(
  m: EntityManager,
  clients: { businessId: string; clientId: string; contact: BookingContact }[],
): Promise<{ affectedRows?: number; info?: string; warningStatus?: number }> {
  if (!clients.length) return { affectedRows: 0 };
  const epoch = sqlTime(EPOCH);
  const now = sqlTime(new Date());
  return m.query(
    `INSERT IGNORE INTO client_contact (client_id, business_id, first_name, last_name, mobile, email, sms_reminder_consent, email_reminder_consent, as_of, updated_at) VALUES ?`,
    [
      clients.map(({ businessId, clientId, contact: c }) => [
        clientId,
        businessId,
        c.firstName.slice(0, 100),
        c.lastName.slice(0, 100),
        c.mobile,
        c.email?.toLowerCase() ?? null,
        flag(c.smsReminderConsent),
        flag(c.emailReminderConsent),
        epoch,
        now,
      ]),
    ],
  );
}
