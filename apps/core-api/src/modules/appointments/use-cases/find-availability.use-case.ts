import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findSlots, SelectionItem, Slot } from '../../../scheduling';
import { toMajor } from '../../../shared/money';
import { parseIsoInstant, toIso } from '../../../shared/time';
import type { Principal } from '../../auth/principal';
import { BranchesService } from '../../branches/branches.service';
import { BranchCalendarLoader, CalendarBase } from '../calendar/branch-calendar.loader';
import { AvailabilityRequestDto } from '../dto/availability.dto';

const MAX_WINDOW_MS = 31 * 24 * 3_600_000;

export interface AvailabilityRequest {
  clientId?: string;
  selection: SelectionItem[];
  window: { start: number; end: number };
  online: boolean;
  rescheduleBookingId?: string;
}

/** Reads either form of clientServiceSelections into one client's ordered selection. */
export function readAvailabilityRequest(dto: AvailabilityRequestDto, principal: Principal): AvailabilityRequest {
  const nested = dto.clientServiceSelections.filter((c) => c.serviceSelections);
  if (nested.length > 1) {
    throw ApiError.badRequest('ONE_CLIENT_PER_REQUEST', 'Ask for one client’s services per availability request', [{ field: 'clientServiceSelections', message: 'one client at a time' }]);
  }
  const selection: SelectionItem[] = nested.length
    ? nested[0].serviceSelections!.map((s) => ({ serviceId: s.serviceId, staffId: s.staffId }))
    : dto.clientServiceSelections.map((c, i) => {
        if (!c.serviceId) throw ApiError.badRequest('VALIDATION_FAILED', 'Each selection needs a serviceId', [{ field: `clientServiceSelections[${i}].serviceId`, message: 'required' }]);
        return { serviceId: c.serviceId, staffId: c.staffId };
      });
  const start = parseIsoInstant(dto.startTime, 'startTime');
  const end = parseIsoInstant(dto.endTime, 'endTime');
  if (end <= start) throw ApiError.badRequest('VALIDATION_FAILED', 'endTime must be after startTime', [{ field: 'endTime', message: 'must be after startTime' }]);
  if (end - start > MAX_WINDOW_MS) throw ApiError.badRequest('DATE_RANGE_TOO_LONG', 'Search at most 31 days at a time', [{ field: 'endTime', message: 'at most 31 days after startTime' }]);
  return {
    clientId: nested[0]?.clientId ?? dto.clientId,
    selection,
    window: { start, end },
    // The booking site's credential always gets the online rules.
    online: !!dto.isOnlineAvailability || principal.role === 'SERVICE',
    rescheduleBookingId: dto.rescheduleBookingId,
  };
}

/**
 * The free start times for a selection of services, and who (and which room or machine)
 * would do each service. All the rules live in the scheduling engine; this loads the data.
 *
 * One entry of `data` per start time. Its `clientSchedules` is one bookable combination (one
 * service schedule per requested service, in order), so posting it back as a booking's
 * `clientAppointmentSchedules` books exactly what was offered. A single service for "anyone"
 * may have several stylists free at a time: the first is the offer, the others are listed in
 * `alternatives` (each as bookable as the offer). A chain offers the first fitting assignment.
 */
@Injectable()
export class FindAvailabilityUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly calendar: BranchCalendarLoader,
  ) {}

  async execute(businessId: string, branchId: string, request: AvailabilityRequest, now = Date.now()) {
    const branch = await this.branches.require(businessId, branchId);
    await this.checkReferences(businessId, branchId, request);
    const base = await this.calendar.base(branch, request.selection.map((s) => s.serviceId), request.window);
    const load = await this.calendar.load(base, { now, clientId: request.clientId, excludeBookingId: request.rescheduleBookingId });
    const context = {
      branch: { timeZone: branch.time_zone, slotStepMinutes: branch.slot_step_minutes },
      services: base.services,
      staff: this.calendar.staffCalendars(base, load),
      rooms: load.rooms,
      machines: load.machines,
      online: request.online ? this.calendar.online(branch, now) : undefined,
      client: load.client,
      window: request.window,
    };

    // Bookable combinations, grouped by start time (each group's first is the offer).
    let byStart: Slot[][];
    const single = request.selection.length === 1 && !request.selection[0].staffId;
    if (single) {
      const groups = new Map<number, Slot[]>();
      for (const staff of base.staff) {
        for (const slot of findSlots({ ...context, selection: [{ serviceId: request.selection[0].serviceId, staffId: staff.id }] })) {
          groups.set(slot.start, [...(groups.get(slot.start) ?? []), slot]);
        }
      }
      byStart = [...groups.values()].sort((a, b) => a[0].start - b[0].start);
    } else {
      byStart = findSlots({ ...context, selection: request.selection }).map((slot) => [slot]);
    }
    return this.view(base, byStart, request.clientId ?? null);
  }

  private view(base: CalendarBase, byStart: Slot[][], clientId: string | null) {
    const currency = base.branch.currency;
    const price = (serviceId: string, staffId: string) => {
      const own = base.staff.find((s) => s.id === staffId)?.prices[serviceId];
      return toMajor(own ?? base.serviceRows.get(serviceId)?.price_minor ?? 0, currency);
    };
    const schedule = (s: Slot['schedules'][number]) => ({
      serviceId: s.serviceId,
      staffId: s.staffId,
      startTime: toIso(s.start),
      endTime: toIso(s.end),
      roomId: s.roomId ?? null,
      machineId: s.machineId ?? null,
      price: price(s.serviceId, s.staffId),
    });
    const offer = (slot: Slot) => ({ startTime: toIso(slot.start), clientSchedules: [{ clientId, serviceSchedules: slot.schedules.map(schedule) }] });
    return {
      data: byStart.map(([first, ...others]) => ({ ...offer(first), alternatives: others.map(offer) })),
      // The reference's shape: one entry per start time, with the offered stylist.
      availableSlots: byStart.map((options) => ({
        startTime: toIso(options[0].start),
        endTime: toIso(Math.max(...options[0].schedules.map((s) => s.end))),
        staffId: options[0].schedules[0]?.staffId ?? null,
        staffIds: [...new Set(options.flatMap((o) => o.schedules.map((s) => s.staffId)))],
      })),
      timeZone: base.branch.time_zone,
      links: [],
    };
  }

  private async checkReferences(businessId: string, branchId: string, request: AvailabilityRequest): Promise<void> {
    const staffIds = [...new Set(request.selection.map((s) => s.staffId).filter((s): s is string => !!s))];
    if (staffIds.length) {
      const found: unknown[] = await this.dataSource.query('SELECT id FROM staff WHERE business_id = ? AND branch_id = ? AND id IN (?)', [businessId, branchId, staffIds]);
      if (found.length !== staffIds.length) throw ApiError.notFound('Staff member');
    }
    if (request.clientId) {
      const found: unknown[] = await this.dataSource.query('SELECT id FROM client WHERE business_id = ? AND id = ?', [businessId, request.clientId]);
      if (!found.length) throw ApiError.notFound('Client');
    }
    if (request.rescheduleBookingId) {
      const found: unknown[] = await this.dataSource.query('SELECT id FROM booking WHERE business_id = ? AND branch_id = ? AND id = ?', [businessId, branchId, request.rescheduleBookingId]);
      if (!found.length) throw ApiError.notFound('Booking');
    }
  }
}
