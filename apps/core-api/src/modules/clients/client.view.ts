import { iso } from '../../shared/http/versioning';

export interface ClientRow {
  id: string;
  business_id: string;
  creating_branch_id: string | null;
  first_name: string;
  last_name: string;
  mobile: string | null;
  landline: string | null;
  email: string | null;
  gender: string | null;
  birth_date: string | Date | null;
  street_address1: string | null;
  street_address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  notes: string | null;
  external_id: string | null;
  preferred_staff_id: string | null;
  sms_reminder_consent: number;
  email_reminder_consent: number;
  sms_marketing_consent: number;
  email_marketing_consent: number;
  loyalty_points: number;
  banned: number;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function dateOnly(value: string | Date | null): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/** The client as Phorest shows one (address as an object, four consent flags, loyalty card). */
export function clientView(row: ClientRow, categoryIds: string[]) {
  return {
    clientId: row.id,
    version: row.version,
    firstName: row.first_name,
    lastName: row.last_name,
    mobile: row.mobile,
    landLine: row.landline,
    email: row.email,
    address: {
      streetAddress1: row.street_address1,
      streetAddress2: row.street_address2,
      city: row.city,
      state: row.state,
      postalCode: row.postal_code,
      country: row.country,
    },
    birthDate: dateOnly(row.birth_date),
    gender: row.gender,
    notes: row.notes,
    smsReminderConsent: !!row.sms_reminder_consent,
    emailReminderConsent: !!row.email_reminder_consent,
    smsMarketingConsent: !!row.sms_marketing_consent,
    emailMarketingConsent: !!row.email_marketing_consent,
    preferredStaffId: row.preferred_staff_id,
    externalId: row.external_id,
    creatingBranchId: row.creating_branch_id,
    clientCategoryIds: categoryIds,
    loyaltyCard: { serial: row.id, points: row.loyalty_points },
    banned: !!row.banned,
    archived: !!row.archived,
    deleted: false,
    clientSince: iso(row.created_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type ClientView = ReturnType<typeof clientView>;
