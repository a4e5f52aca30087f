import { IANAZone } from 'luxon';
import { ApiError, FieldError } from '@chairbook/platform';

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export type OpeningHours = Partial<Record<Weekday, readonly { startTime: string; endTime: string }[]>>;

export interface CreateBusinessCommand {
  name: string;
  owner: { email: string; password: string; firstName?: string; lastName?: string };
  branch: {
    name: string;
    slug: string;
    timeZone: string;
    country: string;
    currency: string;
    streetAddress1?: string;
    city?: string;
    postalCode?: string;
    phone?: string;
    email?: string;
    openingHours?: OpeningHours;
  };
}

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  MONDAY: [{ startTime: '09:00', endTime: '18:00' }],
  TUESDAY: [{ startTime: '09:00', endTime: '18:00' }],
  WEDNESDAY: [{ startTime: '09:00', endTime: '18:00' }],
  THURSDAY: [{ startTime: '09:00', endTime: '20:00' }],
  FRIDAY: [{ startTime: '09:00', endTime: '18:00' }],
  SATURDAY: [{ startTime: '09:00', endTime: '17:00' }],
};

/** Checks a command from the CLI or the seed with the same rules the HTTP API applies. */
export function validateCreateBusiness(command: CreateBusinessCommand): void {
  const fields: FieldError[] = [];
  const need = (ok: boolean, field: string, message: string) => ok || fields.push({ field, message });
  need(!!command.name?.trim() && command.name.length <= 200, 'name', 'must be 1-200 characters');
  need(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(command.owner?.email ?? ''), 'owner.email', 'must be an email address');
  need((command.owner?.password ?? '').length >= 8, 'owner.password', 'must be at least 8 characters');
  need(!!command.branch?.name?.trim(), 'branch.name', 'is required');
  need(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(command.branch?.slug ?? '') && command.branch.slug.length <= 100, 'branch.slug', 'must be lowercase letters, digits and single hyphens');
  need(IANAZone.isValidZone(command.branch?.timeZone ?? ''), 'branch.timeZone', 'must be an IANA time zone such as Europe/Dublin');
  need(/^[A-Z]{2}$/.test(command.branch?.country ?? ''), 'branch.country', 'must be an ISO 3166 alpha-2 code such as IE');
  need(/^[A-Z]{3}$/.test(command.branch?.currency ?? ''), 'branch.currency', 'must be an ISO 4217 code such as EUR');
  if (fields.length) throw ApiError.badRequest('VALIDATION_FAILED', 'Invalid business', fields);
}
