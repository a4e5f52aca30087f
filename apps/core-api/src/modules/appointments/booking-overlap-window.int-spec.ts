import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';

// A winter Wednesday in Dublin: local time = UTC.
const DAY = '2027-03-03';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

/**
 * A booking reads only the appointments that could overlap what it asks for: those that start
 * before its longest possible end and are still busy (buffer included) at its first start.
 * These cases sit on both edges of that window, so a window cut too short shows up as a
 * double booking.
 */
describe('booking: the appointments a booking checks against (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let client = 0;
  const newClient = async () => (await salon.owner.post(`${salon.owner.business}/client`, { firstName: `Window${++client}`, lastName: 'Test' })).body.clientId as string;
  const book = async (serviceId: string, staffId: string, time: string) =>
    salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(await newClient(), [[serviceId, staffId, at(time)]]));

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sees an appointment that began long before and is still busy, and frees the time once it ends', async () => {
    const { colour, blowDry } = salon.services;
    const { aoife } = salon.staff;
    // Colour 09:00: Aoife busy 09:00-09:30 and 10:00-10:40 (gap 09:30-10:00, 10 min buffer).
    expect((await book(colour, aoife, '09:00')).status).toBe(201);
    const late = await book(blowDry, aoife, '10:10');
    expect([late.status, late.body.code]).toEqual([409, 'STAFF_DOUBLE_BOOKED']);
    const inBuffer = await book(blowDry, aoife, '10:35');
    expect([inBuffer.status, inBuffer.body.code]).toEqual([409, 'STAFF_DOUBLE_BOOKED']);
    expect((await book(blowDry, aoife, '10:40')).status).toBe(201);
  });

  it('sees an appointment that starts later within the longest time the stylist’s own duration takes', async () => {
    const { cut, blowDry } = salon.services;
    // Niamh takes 90 minutes over a cut (the service says 45), + 15 min buffer: a cut at 10:00 holds her until 11:45.
    const staff = await salon.owner.post(`${salon.owner.branch}/staff`, { firstName: 'Niamh', services: [{ serviceId: cut, duration: 90 }, { serviceId: blowDry }] });
    expect(staff.status).toBe(201);
    const niamh = staff.body.staffId as string;
    const roster = await salon.owner.put(`${salon.owner.branch}/staff/${niamh}/roster`, { weekly: [{ dayOfWeek: 'WEDNESDAY', startTime: '09:00', endTime: '17:00' }] });
    expect(roster.status).toBe(200);
    expect((await book(blowDry, niamh, '11:30')).status).toBe(201);
    const clash = await book(cut, niamh, '10:00');
    expect([clash.status, clash.body.code]).toEqual([409, 'STAFF_DOUBLE_BOOKED']);
    // ending (buffer included) exactly when the 11:30 blow dry starts is fine
    expect((await book(cut, niamh, '09:45')).status).toBe(201);
  });
});
