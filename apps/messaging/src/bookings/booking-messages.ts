import { createManageToken, manageLinkUrl } from '@chairbook/platform';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../channels/provider.types';
import { smsLength } from '../channels/sms/sms-segments';
import { NewMessage } from '../dispatch/message-store';
import type { BranchContext } from '../settings/branch-settings';
import { TemplateKind } from '../templates/default-templates';
import { emailHtml, joinNames, localDateTime, renderTemplate } from '../templates/render';
import { effectiveTemplates } from '../templates/template-store';

export interface AppointmentRow {
  appointment_id: string;
  booking_key: string;
  staff_id: string;
  staff_name: string;
  service_name: string;
  start_at: Date;
  end_at: Date;
  state: string;
}

export interface ClientRow {
  client_id: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  email: string | null;
  sms_reminder_consent: number;
  email_reminder_consent: number;
  sms_marketing_consent: number;
  email_marketing_consent: number;
  archived: number;
}

/** States after which an appointment needs no reminder (it is over, under way or off). */
export const NO_REMINDER_STATES = new Set(['CANCELLED', 'ARRIVED', 'CHECKED_IN', 'STARTED', 'COMPLETED', 'NO_SHOW']);

export const bookingKeyOf = (bookingId: string | null, appointmentId: string) => bookingId ?? `a:${appointmentId}`;

export interface LinkSettings {
  bookingPublicUrl: string;
  linkSigningSecret: string;
}

/** Short, stable and ASCII: idempotency keys must fit the unique index whatever the ids. */
export function idempotencyKey(...parts: string[]): string {
  const key = parts.join(':');
  return key.length <= 180 ? key : `${key.slice(0, 130)}#${createHash('sha256').update(key).digest('base64url')}`;
}

/** Renders one booking message (per channel the client agreed to) from the branch's templates. */
export async function composeBookingMessages(
  m: EntityManager,
  input: {
    kind: TemplateKind;
    branch: BranchContext;
    bookingKey: string;
    client: ClientRow | undefined;
    /** The appointments the message is about (the first one's date and time are shown). */
    appointments: AppointmentRow[];
    /** The booking's appointments, for the manage link's expiry. */
    allAppointments: AppointmentRow[];
    /** Distinguishes messages of one kind: the scheduled time, an offset, a new start. */
    keyParts: string[];
    appointmentId?: string | null;
    links: LinkSettings;
    templates?: Awaited<ReturnType<typeof effectiveTemplates>>;
  },
): Promise<NewMessage[]> {
  const { branch, client, appointments } = input;
  if (!client || client.archived || !appointments.length) return [];
  const channels: Channel[] = [];
  if (branch.settings.sms && client.sms_reminder_consent && client.mobile) channels.push('SMS');
  if (branch.settings.email && client.email_reminder_consent && client.email) channels.push('EMAIL');
  if (!channels.length) return [];
  const templates = input.templates ?? (await effectiveTemplates(m, branch.branchId));
  const sorted = [...appointments].sort((a, b) => new Date(a.start_at).getTime() - new Date(b.start_at).getTime());
  const first = sorted[0];
  const { date, time } = localDateTime(new Date(first.start_at), branch.timeZone, branch.settings.locale);
  const variables: Record<string, string> = {
    firstName: client.first_name,
    lastName: client.last_name,
    salonName: branch.salonName,
    branchName: branch.branchName,
    date,
    time,
    staff: joinNames(sorted.map((a) => a.staff_name)),
    services: joinNames(sorted.map((a) => a.service_name)),
    bookingLink: bookingPageUrl(input.links.bookingPublicUrl, branch.slug),
    manageLink: manageLink(input, branch),
  };
  return channels.map((channel) => {
    const template = templates(input.kind, channel);
    const body = renderTemplate(template.body, variables);
    const base: NewMessage = {
      businessId: branch.businessId,
      branchId: branch.branchId,
      clientId: client.client_id,
      bookingKey: input.bookingKey,
      appointmentId: input.appointmentId ?? null,
      kind: input.kind,
      channel,
      idempotencyKey: idempotencyKey(input.kind, input.bookingKey, ...input.keyParts, channel),
      recipient: channel === 'SMS' ? client.mobile! : client.email!,
      body,
    };
    if (channel === 'SMS') {
      const length = smsLength(body);
      return { ...base, segments: length.segments, encoding: length.encoding };
    }
    return { ...base, subject: renderTemplate(template.subject ?? '', variables).slice(0, 300), html: emailHtml(body, branch.salonName) };
  });
}

export function bookingPageUrl(bookingPublicUrl: string, slug: string): string {
  return `${bookingPublicUrl.replace(/\/$/, '')}/book/${slug}`;
}

/** The signed cancel/reschedule link; valid until a week after the booking's last appointment ends. */
function manageLink(input: { bookingKey: string; allAppointments: AppointmentRow[]; links: LinkSettings }, branch: BranchContext): string {
  if (input.bookingKey.startsWith('a:')) return bookingPageUrl(input.links.bookingPublicUrl, branch.slug);
  const lastEnd = Math.max(...input.allAppointments.map((a) => new Date(a.end_at).getTime()));
  const token = createManageToken(input.links.linkSigningSecret, {
    bookingId: input.bookingKey,
    businessId: branch.businessId,
    branchId: branch.branchId,
    exp: Math.floor(lastEnd / 1000) + 7 * 24 * 3600,
  });
  return manageLinkUrl(input.links.bookingPublicUrl, token);
}

export async function loadClient(m: EntityManager, clientId: string): Promise<ClientRow | undefined> {
  const rows: ClientRow[] = await m.query('SELECT * FROM client_contact WHERE client_id = ?', [clientId]);
  return rows[0];
}

export async function loadAppointments(m: EntityManager, bookingKey: string): Promise<AppointmentRow[]> {
  return m.query('SELECT * FROM booking_appointment WHERE booking_key = ? ORDER BY start_at, appointment_id', [bookingKey]);
}

/** Status and appointments of several bookings in one statement (bookings not found are absent from `status`). */
export async function loadBookings(
  m: EntityManager,
  bookingKeys: string[],
): Promise<{ status: Map<string, string>; clientOf: Map<string, string>; appointments: Map<string, AppointmentRow[]> }> {
  const status = new Map<string, string>();
  const clientOf = new Map<string, string>();
  const appointments = new Map<string, AppointmentRow[]>(bookingKeys.map((k) => [k, []]));
  if (!bookingKeys.length) return { status, clientOf, appointments };
  const rows: (AppointmentRow & { b_key: string; b_status: string; b_client: string })[] = await m.query(
    `SELECT b.booking_key AS b_key, b.status AS b_status, b.client_id AS b_client, a.* FROM booking b LEFT JOIN booking_appointment a ON a.booking_key = b.booking_key
      WHERE b.booking_key IN (?) ORDER BY a.start_at, a.appointment_id`,
    [[...new Set(bookingKeys)]],
  );
  for (const { b_key, b_status, b_client, ...a } of rows) {
    status.set(b_key, b_status);
    clientOf.set(b_key, b_client);
    if (a.appointment_id) appointments.get(b_key)?.push(a);
  }
  return { status, clientOf, appointments };
}

export async function loadClients(m: EntityManager, clientIds: string[]): Promise<Map<string, ClientRow>> {
  if (!clientIds.length) return new Map();
  const rows: ClientRow[] = await m.query('SELECT * FROM client_contact WHERE client_id IN (?)', [[...new Set(clientIds)]]);
  return new Map(rows.map((r) => [r.client_id, r]));
}
