import { queryDatabase } from '@chairbook/testing';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';
import { EXPIRED_HOLD_APPOINTMENTS, EXPIRED_HOLD_BOOKINGS, HoldJanitor } from './hold-janitor';

// A winter Wednesday in Dublin: local time = UTC.
const DAY = '2027-03-03';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

describe('hold janitor: expired holds marked CANCELED (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  // Two stylists one after the other: a hold of two appointments.
  const book = async (time: string, status: 'ACTIVE' | 'RESERVED', then = `${time.slice(0, 2)}:30`) => {
    const res = await salon.owner.post(
      `${salon.owner.branch}/booking`,
      bookingBody(
        salon.clients.maeve,
        [
          [salon.services.blowDry, salon.staff.aoife, at(time)],
          [salon.services.blowDry, salon.staff.conor, at(then)],
        ],
        status,
      ),
    );
    expect(res.status).toBe(201);
    return res.body.bookingId as string;
  };
  const states = async (bookingId: string) => {
    const [booking] = await queryDatabase<{ status: string }>(api.database, 'SELECT status FROM booking WHERE id = ?', [bookingId]);
    const appointments = await queryDatabase<{ activation_state: string; canceled_at: Date | null }>(
      api.database,
      'SELECT activation_state, canceled_at FROM appointment WHERE booking_id = ?',
      [bookingId],
    );
    return { booking: booking.status, appointments: appointments.map((a) => [a.activation_state, a.canceled_at !== null]) };
  };

  it('cancels an expired hold (booking and every appointment) and leaves live holds and active bookings alone', async () => {
    const expired = await book('09:00', 'RESERVED');
    const live = await book('11:00', 'RESERVED');
    const active = await book('13:00', 'ACTIVE');
    for (const table of ['booking', 'appointment']) {
      await queryDatabase(
        api.database,
        `UPDATE ${table} SET hold_expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE ${table === 'booking' ? 'id' : 'booking_id'} = ?`,
        [expired],
      );
    }

    await api.app.get(HoldJanitor).sweep();

    expect(await states(expired)).toEqual({
      booking: 'CANCELED',
      appointments: [
        ['CANCELED', true],
        ['CANCELED', true],
      ],
    });
    expect(await states(live)).toEqual({
      booking: 'RESERVED',
      appointments: [
        ['RESERVED', false],
        ['RESERVED', false],
      ],
    });
    expect(await states(active)).toEqual({
      booking: 'ACTIVE',
      appointments: [
        ['ACTIVE', false],
        ['ACTIVE', false],
      ],
    });
    // The freed slot can be booked again.
    expect(
      (
        await salon.owner.post(
          `${salon.owner.branch}/booking`,
          bookingBody(salon.clients.maeve, [[salon.services.blowDry, salon.staff.aoife, at('09:00')]]),
        )
      ).status,
    ).toBe(201);
  });

  it('finds the appointments through the bookings’ hold index, not by reading the whole appointment table', async () => {
    const plan = await queryDatabase<{ table: string; type: string; key: string | null }>(
      api.database,
      `EXPLAIN ${EXPIRED_HOLD_APPOINTMENTS}`,
    );
    const appointment = plan.find((p) => p.table === 'a');
    expect(appointment).toMatchObject({ type: 'ref', key: 'ix_appointment_booking' });
    expect(plan.find((p) => p.table === 'booking')).toMatchObject({ key: 'ix_booking_hold' });
    const bookings = await queryDatabase<{ table: string; type: string; key: string | null }>(
      api.database,
      `EXPLAIN ${EXPIRED_HOLD_BOOKINGS}`,
    );
    expect(bookings.find((p) => p.table === 'b')).toMatchObject({ key: 'ix_booking_hold' });
    expect(bookings.find((p) => p.table === 'a')).toMatchObject({ type: 'ref', key: 'ix_appointment_booking' });
  });
});
