import { ApiError } from '@chairbook/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { aliased } from '../../shared/http/aliases';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdempotentInTransaction } from '../../shared/http/idempotency-scope';
import { IdPipe } from '../../shared/http/id.pipe';
import { isId } from '../../shared/ids';
import { CachedTenantBranch, CurrentPrincipal, RequireRole, TenantBranch } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import type { BranchRow } from '../branches/branch.view';
import { BranchesService } from '../branches/branches.service';
import { AppointmentAction } from './appointment-state';
import { AppointmentsService } from './appointments.service';
import { BookingsService } from './bookings.service';
import { AppointmentIdsQuery, AppointmentListQuery, AppointmentNoteDto, UpdateAppointmentDto } from './dto/appointment.dto';
import { AvailabilityRequestDto } from './dto/availability.dto';
import { BookingNoteDto, CreateBookingDto } from './dto/booking.dto';
import { AppointmentResponse, AvailabilityResponse } from './dto/responses.dto';
import { CreateBookingUseCase } from './use-cases/create-booking.use-case';
import { FindAvailabilityUseCase, readAvailabilityRequest } from './use-cases/find-availability.use-case';

const BOOKING = `${BRANCH_PATH}/booking/:bookingId`;
const APPOINTMENTS = `${BRANCH_PATH}/appointment`;
const APPOINTMENT = `${APPOINTMENTS}/:appointmentId`;

/** Phorest's action names, and the spellings integrations send for them. */
const ACTIONS: Record<string, AppointmentAction> = {
  confirm: 'confirm',
  cancel: 'cancel',
  checkin: 'check-in',
  'check-in': 'check-in',
  arrive: 'check-in',
  start: 'start',
  complete: 'complete',
  'no-show': 'no-show',
  noshow: 'no-show',
};

function actionOf(name: string): AppointmentAction {
  const action = ACTIONS[name];
  if (!action) throw ApiError.notFound('Action');
  return action;
}

@ApiTags('appointments and bookings')
@ApiBasicAuth()
@Controller()
export class AppointmentsController {
  constructor(
    private readonly availability: FindAvailabilityUseCase,
    private readonly createBooking: CreateBookingUseCase,
    private readonly bookings: BookingsService,
    private readonly appointments: AppointmentsService,
    private readonly branches: BranchesService,
  ) {}

  @Post(`${BRANCH_PATH}/appointments/availability`)
  @HttpCode(200)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'Free start times for services back to back, with who (and which room/machine) would do each' })
  @ApiOkResponse({ type: AvailabilityResponse })
  findAvailability(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: AvailabilityRequestDto,
  ) {
    return this.availability.execute(businessId, branchId, readAvailabilityRequest(dto, principal));
  }

  @Post(`${BRANCH_PATH}/booking`)
  @IdempotentInTransaction()
  @CachedTenantBranch()
  @RequireRole('RECEPTION', { service: true })
  @ApiOperation({ summary: 'Book services for clients (ACTIVE, or RESERVED as a hold); 409 with Phorest’s codes when the time is taken' })
  book(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateBookingDto,
    @TenantBranch() branch: BranchRow | undefined,
  ) {
    return this.createBooking.execute(principal, businessId, branchId, dto, Date.now(), branch);
  }

  @Get(BOOKING)
  @UseInterceptors(EtagInterceptor)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'A booking with its appointments (ETag; 304 on If-None-Match)' })
  getBooking(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('bookingId', new IdPipe('bookingId')) bookingId: string) {
    return this.bookings.get(businessId, branchId, bookingId);
  }

  @Post(`${BOOKING}/activate`)
  @IdempotentInTransaction()
  @HttpCode(200)
  @RequireRole('RECEPTION', { service: true })
  @ApiOperation({ summary: 'Turn a RESERVED hold into a booking (409 HOLD_EXPIRED when too late)' })
  activate(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('bookingId', new IdPipe('bookingId')) bookingId: string) {
    return this.bookings.activate(businessId, branchId, bookingId);
  }

  @Post(`${BOOKING}/cancel`)
  @IdempotentInTransaction()
  @HttpCode(200)
  @RequireRole('RECEPTION', { service: true })
  @ApiOperation({ summary: 'Cancel the booking’s appointments that have not begun' })
  async cancelBooking(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('bookingId', new IdPipe('bookingId')) bookingId: string,
  ) {
    const online = principal.role === 'SERVICE';
    const window = online ? (await this.branches.require(businessId, branchId)).cancellation_window_hours : 0;
    return this.bookings.cancel(businessId, branchId, bookingId, { online, cancellationWindowHours: window });
  }

  @Post(`${BOOKING}/note`)
  @HttpCode(200)
  @RequireRole('RECEPTION', { service: true })
  @ApiOperation({ summary: 'Add a note to the booking' })
  bookingNote(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('bookingId', new IdPipe('bookingId')) bookingId: string,
    @Body() dto: BookingNoteDto,
  ) {
    return this.bookings.note(businessId, branchId, bookingId, dto.note);
  }

  @Get(APPOINTMENTS)
  @ApiOperation({ summary: 'The appointment book: by local dates (≤31 days) or changes since an instant; _embedded.appointments' })
  list(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Query() query: AppointmentListQuery) {
    return this.appointments.list(businessId, branchId, query);
  }

  @Get(APPOINTMENT)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'One appointment (ETag; 304 on If-None-Match)' })
  @ApiOkResponse({ type: AppointmentResponse })
  get(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('appointmentId', new IdPipe('appointmentId')) appointmentId: string) {
    return this.appointments.get(businessId, branchId, appointmentId);
  }

  @Put(APPOINTMENT)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Move or change an appointment (time, staff, service, notes or note, confirmed); send its version' })
  @ApiOkResponse({ type: AppointmentResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('appointmentId', new IdPipe('appointmentId')) appointmentId: string,
    @Body() dto: UpdateAppointmentDto,
  ) {
    return this.appointments.update(principal, businessId, branchId, appointmentId, dto);
  }

  @Post(`${APPOINTMENT}/note`)
  @HttpCode(200)
  @ApiOperation({ summary: 'Append a note to the appointment’s notes (body: serviceNote or note)' })
  @ApiOkResponse({ type: AppointmentResponse })
  note(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('appointmentId', new IdPipe('appointmentId')) appointmentId: string,
    @Body() dto: AppointmentNoteDto,
  ) {
    const note = aliased({ serviceNote: dto.serviceNote, note: dto.note });
    if (note === undefined) throw ApiError.badRequest('VALIDATION_FAILED', 'Send the note as serviceNote or note', [{ field: 'note', message: 'required' }]);
    return this.appointments.note(businessId, branchId, appointmentId, note);
  }

  @Post(`${APPOINTMENT}/:action`)
  @HttpCode(200)
  @RequireRole('STYLIST')
  @ApiOperation({ summary: 'confirm | cancel | checkin | start | complete | no-show (409 on an illegal move)' })
  @ApiOkResponse({ type: AppointmentResponse })
  act(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('appointmentId', new IdPipe('appointmentId')) appointmentId: string,
    @Param('action') action: string,
  ) {
    return this.appointments.act(businessId, branchId, appointmentId, actionOf(action));
  }

  /** Phorest's live form: `POST …/appointment/cancel?appointment_id=…` (repeatable). */
  @Post(`${APPOINTMENTS}/:action`)
  @HttpCode(200)
  @RequireRole('STYLIST')
  @ApiOperation({ summary: 'Bulk form: POST …/appointment/{confirm|cancel|checkin}?appointment_id=…' })
  async actMany(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('action') action: string, @Query() query: AppointmentIdsQuery) {
    const ids = [query.appointment_id ?? []].flat();
    if (!ids.length || ids.length > 100 || !ids.every(isId)) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'Give 1 to 100 appointment_id parameters', [{ field: 'appointment_id', message: 'required, valid ids' }]);
    }
    const result = [];
    for (const id of ids) result.push(await this.appointments.act(businessId, branchId, id, actionOf(action)));
    return { _embedded: { appointments: result } };
  }
}
