import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { createSalon, TestSalon } from '../../test-support/salon';

// A winter Tuesday in Dublin: local time = UTC.
const DAY = '2027-02-09';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

interface ClientSchedule {
  clientId: string | null;
  serviceSchedules: { serviceId: string; staffId: string; startTime: string; endTime: string }[];
}
interface Offer {
  startTime: string;
  clientSchedules: ClientSchedule[];
}
interface AvailabilityAnswer {
  data: (Offer & { alternatives: Offer[] })[];
  availableSlots: { startTime: string; endTime: string; staffId: string; staffIds: string[] }[];
}

/**
 * Every time availability offers is bookable as offered: each `data[]` entry's clientSchedules
 * (and each of its alternatives'), posted back as a booking's clientAppointmentSchedules, books
 * one appointment per requested service. Each booking is cancelled again before the next, so
 * every offer is tried against the same book.
 */
describe('every offered time is bookable as offered (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const availability = async (selection: object[], extra: object = {}) => {
    const res = await salon.owner.post<AvailabilityAnswer>(`${salon.owner.branch}/appointments/availability`, {
      startTime: at('00:00'),
      endTime: '2027-02-10T00:00:00Z',
      clientServiceSelections: selection,
      ...extra,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    return res.body;
  };

  /** Books `offer` as it stands (plus `extra` at the top level), checks it, then cancels it. */
  const bookAndRelease = async (offer: Offer, serviceIds: string[], extra: object = {}) => {
    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, { ...extra, clientAppointmentSchedules: offer.clientSchedules });
    if (booked.status !== 201) throw new Error(`offer ${JSON.stringify(offer)} refused: ${booked.status} ${JSON.stringify(booked.body)}`);
    const booking = booked.body.clientAppointmentSchedules;
    expect(booking).toHaveLength(1);
    expect(booking[0].serviceSchedules.map((s: { serviceId: string }) => s.serviceId)).toEqual(serviceIds);
    expect(booking[0].serviceSchedules.map((s: { staffId: string; startTime: string }) => [s.staffId, s.startTime])).toEqual(
      offer.clientSchedules[0].serviceSchedules.map((s) => [s.staffId, s.startTime]),
    );
    const cancelled = await salon.owner.post(`${salon.owner.branch}/booking/${booked.body.bookingId}/cancel`);
    expect(cancelled.status).toBe(200);
  };

  /** Each offer is one client with one schedule per requested service, in order. */
  const expectBookableShape = (offer: Offer, serviceIds: string[], clientId: string | null) => {
    expect(offer.clientSchedules).toHaveLength(1);
    expect(offer.clientSchedules[0].clientId).toBe(clientId);
    expect(offer.clientSchedules[0].serviceSchedules.map((s) => s.serviceId)).toEqual(serviceIds);
    expect(offer.clientSchedules[0].serviceSchedules[0].startTime).toBe(offer.startTime);
  };

  it('one service for anyone: one offer per start time, the other free stylists as alternatives, each bookable', async () => {
    const client = salon.clients.siobhan;
    const answer = await availability([{ serviceId: salon.services.cut }], { clientId: client });
    const starts = answer.data.map((d) => d.startTime);
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts[0]).toBe(at('09:00'));
    expect(starts).toHaveLength(29);
    // At 09:00 both stylists are free: one offered, the other an alternative.
    const first = answer.data[0];
    const staffAt9 = [first, ...first.alternatives].map((o) => o.clientSchedules[0].serviceSchedules[0].staffId);
    expect(staffAt9.sort()).toEqual([salon.staff.aoife, salon.staff.conor].sort());
    // The reference's availableSlots stay one per start, naming the offered stylist.
    expect(answer.availableSlots).toHaveLength(answer.data.length);
    answer.data.forEach((d, i) => {
      expect(answer.availableSlots[i]).toMatchObject({
        startTime: d.startTime,
        endTime: d.clientSchedules[0].serviceSchedules[0].endTime,
        staffId: d.clientSchedules[0].serviceSchedules[0].staffId,
      });
      expect(answer.availableSlots[i].staffIds.sort()).toEqual(
        [d, ...d.alternatives].map((o) => o.clientSchedules[0].serviceSchedules[0].staffId).sort(),
      );
    });
    for (const slot of answer.data) {
      for (const offer of [slot, ...slot.alternatives]) {
        expectBookableShape(offer, [salon.services.cut], client);
        await bookAndRelease(offer, [salon.services.cut]);
      }
    }
  });

  it('one service with no client asked about: the clientSchedules book with the booking’s clientId', async () => {
    const answer = await availability([{ serviceId: salon.services.blowDry }], { startTime: at('09:00'), endTime: at('11:00') });
    for (const slot of answer.data) {
      for (const offer of [slot, ...slot.alternatives]) {
        expectBookableShape(offer, [salon.services.blowDry], null);
        await bookAndRelease(offer, [salon.services.blowDry], { clientId: salon.clients.maeve });
      }
    }
  });

  it('one service with a chosen stylist: that stylist only, no alternatives', async () => {
    const answer = await availability([{ serviceId: salon.services.cut, staffId: salon.staff.conor }], {
      clientId: salon.clients.maeve,
      startTime: at('12:00'),
      endTime: at('15:00'),
    });
    for (const slot of answer.data) {
      expect(slot.alternatives).toEqual([]);
      expectBookableShape(slot, [salon.services.cut], salon.clients.maeve);
      expect(slot.clientSchedules[0].serviceSchedules[0].staffId).toBe(salon.staff.conor);
      await bookAndRelease(slot, [salon.services.cut]);
    }
  });

  it('two services for anyone (flat form): each offer is one back-to-back combination, bookable', async () => {
    const services = [salon.services.blowDry, salon.services.cut];
    const answer = await availability(
      services.map((serviceId) => ({ serviceId })),
      { clientId: salon.clients.siobhan },
    );
    for (const slot of answer.data) {
      for (const offer of [slot, ...slot.alternatives]) {
        expectBookableShape(offer, services, salon.clients.siobhan);
        const [a, b] = offer.clientSchedules[0].serviceSchedules;
        expect(b.startTime).toBe(a.endTime);
        await bookAndRelease(offer, services);
      }
    }
  });

  it('two services for anyone (Phorest’s nested form), around an existing booking: each offer bookable', async () => {
    // Aoife is busy 10:00-11:00, so some offers must use Conor or a later time.
    const busy = await salon.owner.post(`${salon.owner.branch}/booking`, {
      clientAppointmentSchedules: [
        {
          clientId: salon.clients.maeve,
          serviceSchedules: [{ serviceId: salon.services.cut, staffId: salon.staff.aoife, startTime: at('10:00') }],
        },
      ],
    });
    expect(busy.status).toBe(201);
    const services = [salon.services.cut, salon.services.blowDry];
    const answer = await availability(
      [{ clientId: salon.clients.siobhan, serviceSelections: services.map((serviceId) => ({ serviceId })) }],
      {
        startTime: at('09:00'),
        endTime: at('13:00'),
      },
    );
    for (const slot of answer.data) {
      for (const offer of [slot, ...slot.alternatives]) {
        expectBookableShape(offer, services, salon.clients.siobhan);
        await bookAndRelease(offer, services);
      }
    }
    // Nothing was left booked but the first appointment.
    const day = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=${DAY}&to_date=${DAY}`);
    expect(day.body._embedded.appointments.map((a: { appointmentId: string }) => a.appointmentId)).toEqual([
      busy.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId,
    ]);
  });
});
