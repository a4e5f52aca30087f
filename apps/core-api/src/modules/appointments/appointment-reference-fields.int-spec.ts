import { queryDatabase } from '@chairbook/testing';
import { CoreApiHarness, publishedEvents, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';

// A winter Wednesday in Dublin: local time = UTC.
const DAY = '2027-02-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

describe('appointments as the reference and the brief name them: CANCELLED, note, booking ETag (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const book = async (clientId: string, staffId: string, hhmm: string, status: 'ACTIVE' | 'RESERVED' = 'ACTIVE') => {
    const res = await salon.owner.post(
      `${salon.owner.branch}/booking`,
      bookingBody(clientId, [[salon.services.cut, staffId, at(hhmm)]], status),
    );
    expect(res.status).toBe(201);
    return {
      bookingId: res.body.bookingId as string,
      appointmentId: res.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId as string,
    };
  };
  const appointment = (id: string) => `${salon.owner.branch}/appointment/${id}`;
  const storedState = async (id: string) =>
    (
      await queryDatabase<{ state: string; activation_state: string }>(
        api.database,
        'SELECT state, activation_state FROM appointment WHERE id = ?',
        [id],
      )
    )[0];

  describe('a cancelled appointment reads state CANCELLED beside activationState CANCELED', () => {
    it('after POST …/booking/{id}/cancel: single GET, the list with fetch_canceled (hidden without), and the events', async () => {
      const { bookingId, appointmentId } = await book(salon.clients.siobhan, salon.staff.aoife, '09:00');
      expect((await salon.owner.get(appointment(appointmentId))).body).toMatchObject({ state: 'BOOKED', activationState: 'ACTIVE' });
      expect((await salon.owner.post(`${salon.owner.branch}/booking/${bookingId}/cancel`)).status).toBe(200);

      const one = await salon.owner.get(appointment(appointmentId));
      expect(one.body).toMatchObject({ appointmentId, state: 'CANCELLED', activationState: 'CANCELED' });
      const hidden = await salon.owner.get(
        `${salon.owner.branch}/appointment?from_date=${DAY}&to_date=${DAY}&client_id=${salon.clients.siobhan}`,
      );
      expect(hidden.body._embedded.appointments.map((a: { appointmentId: string }) => a.appointmentId)).not.toContain(appointmentId);
      const shown = await salon.owner.get(
        `${salon.owner.branch}/appointment?from_date=${DAY}&to_date=${DAY}&client_id=${salon.clients.siobhan}&fetch_canceled=true`,
      );
      expect(shown.body._embedded.appointments.find((a: { appointmentId: string }) => a.appointmentId === appointmentId)).toMatchObject({
        state: 'CANCELLED',
        activationState: 'CANCELED',
      });
      // Stored, it keeps the stage it reached (reports count cancellations by activation).
      expect(await storedState(appointmentId)).toEqual({ state: 'BOOKED', activation_state: 'CANCELED' });
      // The events say CANCELLED too, as messaging's booking states do.
      const events = (await publishedEvents(api, appointmentId)).filter((e) => e.type === 'appointment.cancelled' || e.type === 'booking.cancelled');
      expect(events.map((e) => e.type).sort()).toEqual(['appointment.cancelled', 'booking.cancelled']);
      for (const e of events) expect(JSON.stringify(e.payload)).toMatch(/\\?"state\\?":\s*\\?"CANCELLED\\?"/);
    });

    it('after POST …/appointment/{id}/cancel from CHECKED_IN, and the state machine still refuses every move with 409', async () => {
      const { appointmentId } = await book(salon.clients.maeve, salon.staff.conor, '10:00');
      expect((await salon.owner.post(`${appointment(appointmentId)}/checkin`)).body.state).toBe('CHECKED_IN');
      const cancelled = await salon.owner.post(`${appointment(appointmentId)}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ state: 'CANCELLED', activationState: 'CANCELED' });
      expect(await storedState(appointmentId)).toEqual({ state: 'CHECKED_IN', activation_state: 'CANCELED' });
      for (const action of ['checkin', 'start', 'complete', 'no-show', 'cancel', 'confirm']) {
        const refused = await salon.owner.post(`${appointment(appointmentId)}/${action}`);
        expect([action, refused.status, refused.body.code]).toEqual([action, 409, 'ILLEGAL_STATE_TRANSITION']);
        expect(refused.body).toMatchObject({ currentState: 'CANCELLED', activationState: 'CANCELED' });
      }
      const current = await salon.owner.get(appointment(appointmentId));
      const move = await salon.owner.put(appointment(appointmentId), { version: current.body.version, startTime: at('14:00') });
      expect(move.status).toBe(409);
      expect(current.body.state).toBe('CANCELLED');
    });

    it('by Phorest’s bulk form, and a lapsed hold reads CANCELLED as well', async () => {
      const { appointmentId } = await book(salon.clients.siobhan, salon.staff.conor, '12:00');
      const bulk = await salon.owner.post(`${salon.owner.branch}/appointment/cancel?appointment_id=${appointmentId}`);
      expect(bulk.body._embedded.appointments[0]).toMatchObject({ state: 'CANCELLED', activationState: 'CANCELED' });

      const hold = await book(salon.clients.maeve, salon.staff.aoife, '15:00', 'RESERVED');
      expect((await salon.owner.get(appointment(hold.appointmentId))).body).toMatchObject({ state: 'BOOKED', activationState: 'RESERVED' });
      await queryDatabase(api.database, 'UPDATE appointment SET hold_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [
        hold.appointmentId,
      ]);
      expect((await salon.owner.get(appointment(hold.appointmentId))).body).toMatchObject({
        state: 'CANCELLED',
        activationState: 'CANCELED',
      });
    });
  });

  describe('note, the reference’s name for notes', () => {
    let appointmentId: string;
    beforeAll(async () => {
      ({ appointmentId } = await book(salon.clients.maeve, salon.staff.aoife, '11:00'));
    });

    it('answers note beside notes, and PUT takes note (or notes) and null clears it', async () => {
      const before = await salon.owner.get(appointment(appointmentId));
      expect(before.body).toMatchObject({ note: null, notes: null });
      const put = await salon.owner.put(appointment(appointmentId), { version: before.body.version, note: 'Prefers a quiet chair' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ note: 'Prefers a quiet chair', notes: 'Prefers a quiet chair', version: before.body.version + 1 });
      const byOurName = await salon.owner.put(appointment(appointmentId), { version: put.body.version, notes: 'Sensitive scalp' });
      expect(byOurName.body).toMatchObject({ note: 'Sensitive scalp', notes: 'Sensitive scalp' });
      const both = await salon.owner.put(appointment(appointmentId), { version: byOurName.body.version, notes: 'Same', note: 'Same' });
      expect(both.status).toBe(200);
      const differ = await salon.owner.put(appointment(appointmentId), { version: both.body.version, notes: 'One', note: 'Other' });
      expect(differ.status).toBe(400);
      expect(differ.body.code).toBe('VALIDATION_FAILED');
      const cleared = await salon.owner.put(appointment(appointmentId), { version: both.body.version, note: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ note: null, notes: null });
    });

    it('POST …/note appends a note sent as note or as serviceNote; neither is a 400', async () => {
      const first = await salon.owner.post(`${appointment(appointmentId)}/note`, { note: 'Used toner 9.1' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ note: 'Used toner 9.1', notes: 'Used toner 9.1' });
      const second = await salon.owner.post(`${appointment(appointmentId)}/note`, { serviceNote: 'Book again in 6 weeks' });
      expect(second.status).toBe(200);
      expect(second.body.note).toBe('Used toner 9.1\nBook again in 6 weeks');
      const neither = await salon.owner.post(`${appointment(appointmentId)}/note`, {});
      expect(neither.status).toBe(400);
      expect(neither.body.code).toBe('VALIDATION_FAILED');
      expect((await salon.owner.post(`${appointment(appointmentId)}/note`, { note: 'a', serviceNote: 'b' })).status).toBe(400);
      expect((await salon.owner.post(`${appointment(appointmentId)}/note`, { note: 42 })).status).toBe(400);
    });
  });

  describe('GET …/booking/{id} sends an ETag and answers 304 to If-None-Match', () => {
    it('changes the ETag when the booking, its appointments or its hold change', async () => {
      const { bookingId, appointmentId } = await book(salon.clients.siobhan, salon.staff.aoife, '13:00', 'RESERVED');
      const path = `${salon.owner.branch}/booking/${bookingId}`;
      const first = await salon.owner.get(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{22}\.[\w-]+"$/);
      expect(etag.startsWith(`"${bookingId}.`)).toBe(true);
      const again = await salon.owner.get(path);
      expect(again.headers.get('etag')).toBe(etag);
      const unchanged = await salon.owner.get(path, { 'if-none-match': etag });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get('etag')).toBe(etag);
      expect((await salon.owner.get(path, { 'if-none-match': '"something-else"' })).status).toBe(200);

      const seen = new Set([etag]);
      const expectNewEtag = async () => {
        const res = await salon.owner.get(path, { 'if-none-match': [...seen].join(', ') });
        expect(res.status).toBe(200);
        const next = res.headers.get('etag')!;
        expect(seen.has(next)).toBe(false);
        seen.add(next);
        return res;
      };
      // The booking row changes: a note.
      expect((await salon.owner.post(`${path}/note`, { note: 'Running late' })).status).toBe(200);
      await expectNewEtag();
      // The hold is activated.
      expect((await salon.owner.post(`${path}/activate`)).status).toBe(200);
      expect((await expectNewEtag()).body.bookingStatus).toBe('ACTIVE');
      // An appointment of the booking moves (the booking row itself does not change).
      const current = await salon.owner.get(`${salon.owner.branch}/appointment/${appointmentId}`);
      expect(
        (
          await salon.owner.put(`${salon.owner.branch}/appointment/${appointmentId}`, {
            version: current.body.version,
            startTime: at('16:00'),
          })
        ).status,
      ).toBe(200);
      expect((await expectNewEtag()).body.clientAppointmentSchedules[0].serviceSchedules[0].startTime).toBe(at('16:00'));
      // Cancelled.
      expect((await salon.owner.post(`${path}/cancel`)).status).toBe(200);
      expect((await expectNewEtag()).body.bookingStatus).toBe('CANCELED');
    });

    it('changes the ETag when a hold lapses, with no write at all', async () => {
      const { bookingId } = await book(salon.clients.maeve, salon.staff.conor, '16:00', 'RESERVED');
      const path = `${salon.owner.branch}/booking/${bookingId}`;
      const held = await salon.owner.get(path);
      expect(held.body.bookingStatus).toBe('RESERVED');
      // Only the expiry instant moves into the past (as time passing would), nothing else.
      await queryDatabase(
        api.database,
        'UPDATE booking SET hold_expires_at = NOW(3) - INTERVAL 1 SECOND, updated_at = updated_at WHERE id = ?',
        [bookingId],
      );
      const lapsed = await salon.owner.get(path, { 'if-none-match': held.headers.get('etag')! });
      expect(lapsed.status).toBe(200);
      expect(lapsed.body.bookingStatus).toBe('CANCELED');
      expect(lapsed.headers.get('etag')).not.toBe(held.headers.get('etag'));
    });

    it('is still a 404 for an unknown booking, without an ETag', async () => {
      const res = await salon.owner.get(`${salon.owner.branch}/booking/AAAAAAAAAAAAAAAAAAAAAA`);
      expect(res.status).toBe(404);
      expect(res.headers.get('etag')).toBeNull();
    });
  });

  it('documents the reference’s names in the OpenAPI document', async () => {
    const doc = await salon.owner.as(undefined).get('/docs-json');
    expect(doc.status).toBe(200);
    const schemas = doc.body.components.schemas;
    expect(Object.keys(schemas.UpdateAppointmentDto.properties)).toEqual(expect.arrayContaining(['note', 'notes']));
    expect(Object.keys(schemas.AppointmentNoteDto.properties)).toEqual(expect.arrayContaining(['note', 'serviceNote']));
    expect(schemas.AppointmentNoteDto.required ?? []).toEqual([]);
    expect(Object.keys(schemas.BreakDto.properties)).toEqual(expect.arrayContaining(['label', 'description']));
    expect(Object.keys(schemas.BreakResponse.properties)).toEqual(expect.arrayContaining(['label', 'description']));
    expect(schemas.AppointmentResponse.properties.state.enum).toContain('CANCELLED');
    expect(schemas.AppointmentResponse.properties.activationState.enum).toContain('CANCELED');
    expect(Object.keys(schemas.AppointmentResponse.properties)).toEqual(expect.arrayContaining(['note', 'notes']));
    expect(Object.keys(schemas.AvailabilityTimeResponse.properties)).toEqual(
      expect.arrayContaining(['startTime', 'clientSchedules', 'alternatives']),
    );
    expect(Object.keys(schemas.AvailableSlotResponse.properties)).toEqual(expect.arrayContaining(['startTime', 'endTime', 'staffId']));
    const base = '/third-party-api-server/api/business/{businessId}/branch/{branchId}';
    expect(JSON.stringify(doc.body.paths[`${base}/appointment/{appointmentId}`].get.responses['200'])).toContain('AppointmentResponse');
    expect(JSON.stringify(doc.body.paths[`${base}/appointments/availability`].post.responses['200'])).toContain('AvailabilityResponse');
  });
});
