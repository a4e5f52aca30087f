import { z } from 'zod';

const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });

const consents = {
  smsReminderConsent: z.boolean(),
  emailReminderConsent: z.boolean(),
  smsMarketingConsent: z.boolean(),
  emailMarketingConsent: z.boolean(),
};

/** How to reach the client, as known when the event happened (messaging keeps it fresh from client.* events). */
const clientContact = z.object({
  firstName: z.string(),
  lastName: z.string(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  smsReminderConsent: z.boolean(),
  emailReminderConsent: z.boolean(),
});

const appointmentSnapshot = z.object({
  appointmentId: id,
  bookingId: id.nullable(),
  clientId: id,
  staffId: id,
  serviceId: id,
  serviceName: z.string(),
  staffName: z.string(),
  /** UTC instants; consumers render them in the branch's time zone. */
  startTime: instant,
  endTime: instant,
  state: z.string(),
  activationState: z.string(),
  source: z.enum(['API', 'ONLINE']),
  client: clientContact,
});

/** A whole booking (one or more appointments back to back), for one confirmation or notice. */
const bookingSnapshot = z.object({
  bookingId: id,
  clientId: id,
  source: z.enum(['API', 'ONLINE']),
  client: clientContact,
  appointments: z.array(appointmentSnapshot.omit({ client: true })).min(1),
});

/**
 * A purchase at the till, as committed. Amounts are integer minor units of `currency`
 * (exact; tax-inclusive totals); a REFUND or VOID has negative quantities and amounts and
 * names the purchase it reverses.
 */
const purchaseSnapshot = z.object({
  purchaseId: id,
  number: z.string().min(1).max(64),
  kind: z.enum(['SALE', 'REFUND', 'VOID']),
  originalPurchaseId: id.nullable(),
  clientId: id.nullable(),
  staffId: id.nullable(),
  tillId: id.nullable(),
  currency: z.string().length(3),
  totalMinor: z.number().int(),
  taxMinor: z.number().int(),
  discountMinor: z.number().int(),
  tipMinor: z.number().int(),
  changeMinor: z.number().int(),
  items: z.array(
    z.object({
      itemType: z.enum(['APPOINTMENT', 'SERVICE', 'PRODUCT', 'VOUCHER', 'TIP']),
      quantity: z.number().int(),
      totalMinor: z.number().int(),
      taxMinor: z.number().int(),
      appointmentId: id.nullable(),
      serviceId: id.nullable(),
      productId: id.nullable(),
      voucherId: id.nullable(),
      staffId: id.nullable(),
    }),
  ),
  payments: z.array(
    z.object({ type: z.enum(['CASH', 'CARD', 'VOUCHER', 'OTHER']), amountMinor: z.number().int(), voucherId: id.nullable() }),
  ),
  /** Appointments this purchase completed (through the appointment state machine). */
  completedAppointmentIds: z.array(id),
  purchasedAt: instant,
});

/**
 * Every event type the platform publishes, with its current contract version and the schema
 * of its `data`. Add a type here before publishing it; change a schema only by adding a new
 * version (consumers must keep reading the old one until no publisher sends it).
 */
export const eventCatalog = {
  'business.created': {
    version: 1,
    schema: z.object({ businessId: id, name: z.string().min(1) }),
  },
  'branch.created': {
    version: 1,
    schema: z.object({
      branchId: id,
      name: z.string().min(1),
      slug: z.string().min(1),
      timeZone: z.string().min(1),
      country: z.string().length(2),
      currency: z.string().length(3),
    }),
  },
  'branch.updated': {
    version: 1,
    schema: z.object({
      branchId: id,
      name: z.string().min(1),
      slug: z.string().min(1),
      timeZone: z.string().min(1),
      country: z.string().length(2),
      currency: z.string().length(3),
    }),
  },
  'user.credentials_changed': {
    version: 1,
    schema: z.object({ userId: id }),
  },
  'client.created': {
    version: 1,
    schema: z.object({
      clientId: id,
      firstName: z.string(),
      lastName: z.string(),
      mobile: z.string().nullable(),
      email: z.string().nullable(),
      /** YYYY-MM-DD, for birthday campaigns. */
      birthDate: z.string().nullable(),
      clientCategoryIds: z.array(id),
      preferredStaffId: id.nullable(),
      archived: z.boolean(),
      ...consents,
    }),
  },
  'client.updated': {
    version: 1,
    schema: z.object({
      clientId: id,
      firstName: z.string(),
      lastName: z.string(),
      mobile: z.string().nullable(),
      email: z.string().nullable(),
      /** YYYY-MM-DD, for birthday campaigns. */
      birthDate: z.string().nullable(),
      clientCategoryIds: z.array(id),
      preferredStaffId: id.nullable(),
      archived: z.boolean(),
      ...consents,
    }),
  },
  'client.consent_changed': {
    version: 1,
    schema: z.object({ clientId: id, ...consents }),
  },
  /** A booking became firm (booked ACTIVE, or a RESERVED hold activated): confirm it. */
  'booking.confirmed': { version: 1, schema: bookingSnapshot },
  /** The whole booking was cancelled (a hold that expired is not announced). */
  'booking.cancelled': { version: 1, schema: bookingSnapshot },
  'appointment.booked': { version: 1, schema: appointmentSnapshot },
  'appointment.rescheduled': {
    version: 1,
    schema: appointmentSnapshot.extend({ previousStartTime: instant, previousEndTime: instant }),
  },
  'appointment.cancelled': { version: 1, schema: appointmentSnapshot },
  'appointment.confirmed': { version: 1, schema: appointmentSnapshot },
  'appointment.checked_in': { version: 1, schema: appointmentSnapshot },
  'appointment.started': { version: 1, schema: appointmentSnapshot },
  'appointment.completed': { version: 1, schema: appointmentSnapshot },
  'appointment.no_show': { version: 1, schema: appointmentSnapshot },
  /** A sale was paid at the till (stock, vouchers and appointments already updated with it). */
  'purchase.completed': { version: 1, schema: purchaseSnapshot },
  /** A refund or void: a new purchase that reverses (part of) an earlier one. */
  'purchase.refunded': { version: 1, schema: purchaseSnapshot },
  /**
   * Published by messaging: a client opted out of (or back into) marketing on one channel, by
   * an SMS reply (STOP/START) or an email unsubscribe link. core-api updates the consent of the
   * listed clients (for an SMS opt-out also every client of the business with that mobile).
   */
  'messaging.opt_out_changed': {
    version: 1,
    schema: z.object({
      channel: z.enum(['SMS', 'EMAIL']),
      /** E.164 mobile or lower-cased email the opt-out applies to. */
      address: z.string().min(1).max(254),
      optedOut: z.boolean(),
      clientIds: z.array(id),
      source: z.enum(['SMS_REPLY', 'EMAIL_UNSUBSCRIBE']),
      /** The reply word that triggered it (STOP, START, ...), for the audit trail. */
      keyword: z.string().max(20).nullable(),
    }),
  },
} as const;

export type EventType = keyof typeof eventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof eventCatalog)[T]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, type);
}
