import { ApiError, createManageToken, InvalidManageLinkError, manageLinkUrl, verifyManageToken, type ManageLinkClaims } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { BookingConfig } from '../config/booking.config';
import { CoreApiClient, CoreApiError } from '../core-api/core-api.client';
import { AbuseGuard } from './abuse';
import { fullName, publicSalon, type PublicSalon, addressLines } from './catalogue';
import type { CoreAvailability, CoreBooking, CoreBranch, CoreCategory, CoreList, CoreService, CoreStaff } from './core-api.types';

export interface SlotTime {
  startTime: string;
  /** Local wall-clock time in the salon's zone, HH:mm. */
  time: string;
  /** Who would do each service, in order, and when each starts (minutes after the first): the page sends them back to hold exactly this. */
  stylistIds: string[];
  offsets: number[];
}

export interface AvailabilityView {
  timeZone: string;
  days: { date: string; times: SlotTime[] }[];
}

export interface BookingView {
  reference: string;
  status: 'HELD' | 'CONFIRMED' | 'CANCELLED';
  holdExpiresAt: string | null;
  salon: { name: string | null; slug: string | null; timeZone: string; address: string[]; phone: string | null; currencyCode: string | null; cancellationWindowHours: number | null };
  appointments: { serviceName: string; stylistName: string; startTime: string; endTime: string; price: number | null }[];
  startTime: string;
  endTime: string;
  total: number | null;
  /** Online cancel or move is possible until then (null when the booking is not firm). */
  changeableUntil: string | null;
  canChange: boolean;
  manageUrl: string;
  token: string;
  /** Service ids and stylists, for looking up times to move the booking to. */
  serviceIds: string[];
}

export interface HoldRequest {
  serviceIds: string[];
  stylistIds: string[];
  offsets: number[];
  startTime: string;
  firstName: string;
  lastName: string;
  mobile: string;
  email: string;
  reminderConsent?: boolean;
  marketingConsent?: boolean;
  note?: string;
}

const DAY = 86_400_000;
const business = (c: { businessId: string }) => `/business/${c.businessId}`;
const branchPath = (c: { businessId: string; branchId: string }) => `/business/${c.businessId}/branch/${c.branchId}`;

/** Core-api's refusals as the customer should read them. */
function slotTaken(): ApiError {
  return ApiError.conflict('SLOT_TAKEN', 'Sorry, that time was just taken. Here are the times still free.');
}

function translate(err: unknown, context: 'hold' | 'confirm' | 'change'): never {
  if (!(err instanceof CoreApiError)) throw err;
  const code = err.body.code ?? '';
  if (err.status === 429) throw new ApiError(429, 'RATE_LIMITED', 'We are very busy right now; please try again in a few seconds', { retryAfterSeconds: Number(err.retryAfter) || 5 });
  if (err.status === 404) throw ApiError.notFound(context === 'hold' ? 'Salon, service or stylist' : 'Booking');
  switch (code) {
    case 'STAFF_DOUBLE_BOOKED':
    case 'EXCEEDED_ROOM_CAPACITY':
    case 'STAFF_NOT_WORKING':
    case 'STAFF_UNQUALIFIED':
    case 'OUTSIDE_BOOKING_WINDOW':
      throw slotTaken();
    case 'CLIENT_ALREADY_BOOKED_THIS_TIME':
      throw ApiError.conflict('ALREADY_BOOKED', 'You already have a booking at this time. Pick another time, or use the link in your confirmation to change it.');
    case 'HOLD_EXPIRED':
      throw ApiError.conflict('HOLD_EXPIRED', 'We could only hold that time for a few minutes and it has been released. Please pick a time again.');
    case 'CANCELLATION_WINDOW_PASSED':
      throw ApiError.conflict('CHANGE_WINDOW_PASSED', err.body.message ?? 'It is too close to the appointment to change it online; please call the salon');
    case 'INVALID_PHONE':
      throw ApiError.badRequest('INVALID_PHONE', 'That mobile number does not look right', [{ field: 'mobile', message: 'must be a valid mobile number' }]);
    case 'ILLEGAL_STATE_TRANSITION':
      throw ApiError.conflict('CANNOT_CHANGE', 'This booking can no longer be changed online; please call the salon');
    default:
      if (err.status === 400) throw ApiError.badRequest('INVALID_REQUEST', err.body.message ?? 'Something in the request was not right', err.body.fields);
      if (err.status === 409) throw context === 'hold' ? slotTaken() : ApiError.conflict(code || 'CONFLICT', err.body.message ?? 'That did not work; please try again');
      throw err;
  }
}

/**
 * The booking site's backend: reads the salon, its times and bookings from core-api with the
 * site's own credential, and turns the customer's choices into a hold, a booking, a cancel or
 * a move. The browser only ever sees service and stylist ids and signed booking tokens.
 */
@Injectable()
export class OnlineBookingService {
  constructor(
    private readonly core: CoreApiClient,
    private readonly config: BookingConfig,
    private readonly abuse: AbuseGuard,
  ) {}

  async branch(slug: string): Promise<CoreBranch> {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) throw ApiError.notFound('Salon');
    try {
      return await this.core.get<CoreBranch>(`/online/branch/${slug}`);
    } catch (err) {
      if (err instanceof CoreApiError && err.status === 404) throw ApiError.notFound('Salon');
      return translate(err, 'hold');
    }
  }

  private async catalogue(ids: { businessId: string; branchId: string }) {
    const base = branchPath(ids);
    const [services, categories, staff] = await Promise.all([
      this.core.get<CoreList<'services', CoreService>>(`${base}/service?size=100`),
      this.core.get<CoreList<'serviceCategories', CoreCategory>>(`${base}/service-category?size=100`),
      this.core.get<CoreList<'staffs', CoreStaff>>(`${base}/staff?size=100`),
    ]);
    return { services: services._embedded?.services ?? [], categories: categories._embedded?.serviceCategories ?? [], staff: staff._embedded?.staffs ?? [] };
  }

  async salon(slug: string): Promise<PublicSalon> {
    const branch = await this.branch(slug);
    const { services, categories, staff } = await this.catalogue(branch);
    return publicSalon(branch, services, categories, staff);
  }

  /** Free start times on `days` local days from `from` (YYYY-MM-DD in the salon's zone). */
  async availability(slug: string, serviceIds: string[], stylistId: string | undefined, from: string, days: number): Promise<AvailabilityView> {
    const branch = await this.branch(slug);
    return this.times(branch, branch.timeZone, serviceIds.map((serviceId) => ({ serviceId, staffId: stylistId })), from, days);
  }

  private async times(
    ids: { businessId: string; branchId: string },
    timeZone: string,
    selections: { serviceId: string; staffId?: string }[],
    from: string,
    days: number,
    rescheduleBookingId?: string,
  ): Promise<AvailabilityView> {
    const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day');
    if (!start.isValid) throw ApiError.badRequest('VALIDATION_FAILED', 'from must be a date (YYYY-MM-DD)', [{ field: 'from', message: 'must be a date' }]);
    const end = start.plus({ days });
    const today = DateTime.now().setZone(timeZone).startOf('day');
    const dates = Array.from({ length: days }, (_, i) => start.plus({ days: i }).toISODate()!);
    const result: AvailabilityView = { timeZone, days: dates.map((date) => ({ date, times: [] })) };
    if (end <= today) return result;
    let answer: CoreAvailability;
    try {
      answer = await this.core.post<CoreAvailability>(`${branchPath(ids)}/appointments/availability`, {
        startTime: (start < today ? today : start).toUTC().toISO(),
        endTime: end.toUTC().toISO(),
        clientServiceSelections: selections.map((s) => (s.staffId ? s : { serviceId: s.serviceId })),
        ...(rescheduleBookingId ? { rescheduleBookingId } : {}),
      });
    } catch (err) {
      if (err instanceof CoreApiError && err.status === 400) throw ApiError.badRequest('INVALID_REQUEST', 'Those services or that stylist cannot be booked together online');
      return translate(err, 'hold');
    }
    const byDate = new Map(result.days.map((d) => [d.date, d]));
    const seen = new Set<string>();
    for (const slot of answer.data ?? []) {
      if (seen.has(slot.startTime)) continue;
      const schedules = slot.clientSchedules?.[0]?.serviceSchedules ?? [];
      // One entry per service in order (core-api offers one bookable combination per start and
      // lists other free stylists as alternatives; older answers listed them all here, and the
      // first is offered either way).
      const chosen = selections.length === 1 ? schedules.slice(0, 1) : schedules;
      if (chosen.length !== selections.length || chosen.some((x, i) => x.serviceId !== selections[i].serviceId)) continue;
      const first = Date.parse(slot.startTime);
      const stylistIds = chosen.map((x) => x.staffId);
      const offsets = chosen.map((x) => Math.round((Date.parse(x.startTime) - first) / 60_000));
      const local = DateTime.fromISO(slot.startTime, { zone: timeZone });
      const day = byDate.get(local.toISODate()!);
      if (!day) continue;
      seen.add(slot.startTime);
      day.times.push({ startTime: new Date(slot.startTime).toISOString(), time: local.toFormat('HH:mm'), stylistIds, offsets });
    }
    for (const day of result.days) day.times.sort((a, b) => a.startTime.localeCompare(b.startTime));
    return result;
  }

  /**
   * The customer picked a time and said who they are: check the mobile, match or create their
   * client record, and hold the time (RESERVED) for the salon's hold minutes. Nothing is sent
   * to them yet: messages follow only a confirmed booking.
   */
  async hold(slug: string, request: HoldRequest, ip: string, idempotencyKey?: string): Promise<BookingView> {
    if (request.stylistIds.length !== request.serviceIds.length || request.offsets.length !== request.serviceIds.length) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'Give one stylist and one start offset per service', [{ field: 'stylistIds', message: 'one per service' }]);
    }
    this.abuse.checkOpenHolds(ip);
    const branch = await this.branch(slug);
    const mobile = this.abuse.checkMobile(request.mobile, branch.country);
    await this.abuse.countPhone(mobile);
    const start = Date.parse(request.startTime);
    if (!Number.isFinite(start)) throw ApiError.badRequest('VALIDATION_FAILED', 'startTime must be an ISO instant', [{ field: 'startTime', message: 'must be an ISO instant' }]);

    let client: { clientId: string };
    try {
      client = await this.core.post<{ clientId: string; matched: boolean }>(`${business(branch)}/online/client`, {
        firstName: request.firstName.trim(),
        lastName: request.lastName.trim(),
        mobile,
        email: request.email.trim(),
        reminderConsent: !!request.reminderConsent,
        marketingConsent: !!request.marketingConsent,
      });
    } catch (err) {
      return translate(err, 'hold');
    }
    // Services back to back as the availability fitted them; core-api checks every rule again
    // under its locks, so a stale or doctored plan is refused, never booked.
    const schedules = request.serviceIds.map((serviceId, i) => ({ serviceId, staffId: request.stylistIds[i], startTime: new Date(start + request.offsets[i] * 60_000).toISOString() }));
    const body = { bookingStatus: 'RESERVED', ...(request.note?.trim() ? { note: `Online: ${request.note.trim()}` } : {}), clientAppointmentSchedules: [{ clientId: client.clientId, serviceSchedules: schedules }] };
    let booking: CoreBooking | undefined;
    // A double submit with the same Idempotency-Key gets the first answer; while the first is
    // still being handled core-api says so (409), and this one waits for it.
    for (let attempt = 0; !booking; attempt++) {
      try {
        booking = await this.core.post<CoreBooking>(`${branchPath(branch)}/booking`, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
      } catch (err) {
        if (err instanceof CoreApiError && err.body.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS' && attempt < 40) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        return translate(err, 'hold');
      }
    }
    if (booking.holdExpiresAt) this.abuse.rememberHold(ip, booking.bookingId, Date.parse(booking.holdExpiresAt));
    return this.view(booking, { branch });
  }

  claims(token: string): ManageLinkClaims {
    try {
      return verifyManageToken(this.config.linkSigningSecret, token);
    } catch (err) {
      if (err instanceof InvalidManageLinkError) {
        if (err.reason === 'expired') throw new ApiError(410, 'LINK_EXPIRED', 'This link has expired. Please contact the salon to change your booking.');
        throw new ApiError(403, 'LINK_INVALID', 'This link is not valid. Please use the link from your confirmation message, or contact the salon.');
      }
      throw err;
    }
  }

  async get(token: string, salonHint?: string): Promise<BookingView> {
    const claims = this.claims(token);
    return this.view(await this.fetchBooking(claims), { claims, branch: await this.hinted(claims, salonHint) });
  }

  /**
   * The salon's page address, when the page knows it (`?salon=<slug>`), names the branch
   * behind a token without another lookup; it counts only when it is the token's own branch.
   */
  private async hinted(claims: ManageLinkClaims, slug?: string): Promise<CoreBranch | undefined> {
    if (!slug) return undefined;
    const branch = await this.branch(slug).catch(() => undefined);
    return branch && branch.businessId === claims.businessId && branch.branchId === claims.branchId ? branch : undefined;
  }

  async confirm(token: string, salonHint?: string): Promise<BookingView> {
    const claims = this.claims(token);
    const branch = await this.hinted(claims, salonHint);
    let booking: CoreBooking;
    try {
      booking = await this.core.post<CoreBooking>(`${branchPath(claims)}/booking/${claims.bookingId}/activate`);
    } catch (err) {
      return translate(err, 'confirm');
    }
    this.abuse.forgetHold(claims.bookingId);
    return this.view(booking, { claims, branch });
  }

  async cancel(token: string, salonHint?: string): Promise<BookingView> {
    const claims = this.claims(token);
    const branch = await this.hinted(claims, salonHint);
    let booking: CoreBooking;
    try {
      booking = await this.core.post<CoreBooking>(`${branchPath(claims)}/booking/${claims.bookingId}/cancel`);
    } catch (err) {
      return translate(err, 'change');
    }
    this.abuse.forgetHold(claims.bookingId);
    return this.view(booking, { claims, branch });
  }

  /** Times the whole booking could move to (same services, same stylists; its own time counts as free). */
  async moveTimes(token: string, from: string, days: number, salonHint?: string): Promise<AvailabilityView> {
    const claims = this.claims(token);
    const booking = await this.fetchBooking(claims);
    const schedules = booking.clientAppointmentSchedules.flatMap((c) => c.serviceSchedules);
    const timeZone = ((await this.hinted(claims, salonHint)) ?? (await this.branchOf(claims))).timeZone;
    return this.times(claims, timeZone, schedules.map((s) => ({ serviceId: s.serviceId, staffId: s.staffId })), from, days, claims.bookingId);
  }

  async reschedule(token: string, startTime: string, salonHint?: string): Promise<BookingView> {
    const claims = this.claims(token);
    const branch = await this.hinted(claims, salonHint);
    let booking: CoreBooking;
    try {
      booking = await this.core.post<CoreBooking>(`${branchPath(claims)}/booking/${claims.bookingId}/reschedule`, { startTime });
    } catch (err) {
      if (err instanceof CoreApiError && err.status === 409 && err.body.code !== 'CANCELLATION_WINDOW_PASSED' && err.body.code !== 'ILLEGAL_STATE_TRANSITION') throw slotTaken();
      return translate(err, 'change');
    }
    return this.view(booking, { claims, branch });
  }

  private async fetchBooking(claims: ManageLinkClaims): Promise<CoreBooking> {
    try {
      return await this.core.get<CoreBooking>(`${branchPath(claims)}/booking/${claims.bookingId}`);
    } catch (err) {
      return translate(err, 'change');
    }
  }

  /**
   * The salon behind a link. core-api lets the SERVICE credential read a branch only by its
   * page address; until it may read one by id, the time zone comes from an empty availability
   * question and the salon's name stays generic.
   */
  private async branchOf(claims: ManageLinkClaims): Promise<Partial<CoreBranch> & { timeZone: string }> {
    try {
      return await this.core.get<CoreBranch>(branchPath(claims));
    } catch {
      const { services } = await this.catalogue(claims);
      const now = new Date();
      const probe = await this.core.post<CoreAvailability>(`${branchPath(claims)}/appointments/availability`, {
        startTime: now.toISOString(),
        endTime: new Date(now.getTime() + 60_000).toISOString(),
        clientServiceSelections: [{ serviceId: services[0]?.serviceId }],
      });
      return { timeZone: probe.timeZone };
    }
  }

  private async view(booking: CoreBooking, context: { branch?: CoreBranch; claims?: ManageLinkClaims }): Promise<BookingView> {
    const ids = context.claims ?? context.branch!;
    const [branch, catalogue] = await Promise.all([
      context.branch ? Promise.resolve(context.branch as Partial<CoreBranch> & { timeZone: string }) : this.branchOf(context.claims!),
      this.catalogue(ids),
    ]);
    const schedules = booking.clientAppointmentSchedules.flatMap((c) => c.serviceSchedules).sort((a, b) => a.startTime.localeCompare(b.startTime));
    const first = Date.parse(schedules[0].startTime);
    const last = Math.max(...schedules.map((s) => Date.parse(s.endTime)));
    const status = booking.bookingStatus === 'ACTIVE' ? 'CONFIRMED' : booking.bookingStatus === 'RESERVED' ? 'HELD' : 'CANCELLED';
    const window = branch.onlineBooking?.cancellationWindowHours ?? null;
    const changeableUntil = status === 'CONFIRMED' && window !== null ? new Date(first - window * 3_600_000).toISOString() : null;
    // Without the salon's window at hand, offer the change and let core-api apply the rule.
    const canChange = status === 'CONFIRMED' && (changeableUntil ? Date.parse(changeableUntil) > Date.now() : first > Date.now());
    const token =
      context.claims && context.claims.bookingId === booking.bookingId
        ? createManageToken(this.config.linkSigningSecret, context.claims)
        : createManageToken(this.config.linkSigningSecret, {
            bookingId: booking.bookingId,
            businessId: ids.businessId,
            branchId: ids.branchId,
            // As messaging's links: valid until a week after the last appointment ends.
            exp: Math.floor(last / 1000) + 7 * DAY / 1000,
          });
    const prices = schedules.map((s) => s.price);
    return {
      reference: booking.bookingId.slice(0, 8).toUpperCase(),
      status,
      holdExpiresAt: status === 'HELD' ? booking.holdExpiresAt : null,
      salon: {
        name: branch.name ?? null,
        slug: branch.slug ?? null,
        timeZone: branch.timeZone,
        address: branch.name ? addressLines(branch as CoreBranch) : [],
        phone: branch.phone ?? null,
        currencyCode: branch.currencyCode ?? null,
        cancellationWindowHours: window,
      },
      appointments: schedules.map((s) => {
        const service = catalogue.services.find((x) => x.serviceId === s.serviceId);
        const stylist = catalogue.staff.find((x) => x.staffId === s.staffId);
        return { serviceName: service?.internetName || service?.name || 'Service', stylistName: stylist ? fullName(stylist) : 'Stylist', startTime: s.startTime, endTime: s.endTime, price: s.price };
      }),
      startTime: new Date(first).toISOString(),
      endTime: new Date(last).toISOString(),
      total: prices.every((p) => typeof p === 'number') ? Math.round(prices.reduce((sum, p) => sum! + p!, 0)! * 100) / 100 : null,
      changeableUntil,
      canChange,
      manageUrl: manageLinkUrl(this.config.publicUrl, token),
      token,
      serviceIds: schedules.map((s) => s.serviceId),
    };
  }
}
