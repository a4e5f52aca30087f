import { DataSource } from 'typeorm';
import { hashPassword } from '../modules/auth/password';
import { newId } from '../shared/ids';
import { ApiClient, basicAuth, createBusiness } from './api-client';
import type { CoreApiHarness } from './core-api-harness';

export interface TestSalon {
  owner: ApiClient;
  services: { cut: string; colour: string; blowDry: string };
  staff: { aoife: string; conor: string };
  clients: { siobhan: string; maeve: string };
}

/**
 * A small salon built through the API: Aoife does cuts, colour and blow-dries, Conor cuts and
 * blow-dries; both work 09:00-17:00 every day in the branch zone. Cut: 45 min + 15 min buffer.
 * Colour: 90 min with a 30-min processing gap after 30 min, + 10 min buffer. Blow dry: 30 min.
 */
export async function createSalon(api: CoreApiHarness, options: { timeZone?: string; country?: string; onlineBooking?: Record<string, number> } = {}): Promise<TestSalon> {
  const owner = await createBusiness(api, { timeZone: options.timeZone ?? 'Europe/Dublin', country: options.country ?? 'IE' });
  if (options.onlineBooking) {
    const branch = await owner.get(owner.branch);
    await owner.put(owner.branch, { version: branch.body.version, onlineBooking: options.onlineBooking });
  }
  const service = async (body: object) => {
    const res = await owner.post(`${owner.branch}/service`, body);
    if (res.status !== 201) throw new Error(`service: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.serviceId as string;
  };
  const cut = await service({ name: 'Cut', duration: 45, bufferTime: 15, price: 55 });
  const colour = await service({ name: 'Colour', duration: 90, gapTime: 30, gapStartsAfter: 30, bufferTime: 10, price: 95 });
  const blowDry = await service({ name: 'Blow dry', duration: 30, price: 30 });
  const staff = async (firstName: string, services: string[]) => {
    const res = await owner.post(`${owner.branch}/staff`, { firstName, services: services.map((serviceId) => ({ serviceId })) });
    if (res.status !== 201) throw new Error(`staff: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.staffId as string;
    const days = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
    const roster = await owner.put(`${owner.branch}/staff/${id}/roster`, { weekly: days.map((dayOfWeek) => ({ dayOfWeek, startTime: '09:00', endTime: '17:00' })) });
    if (roster.status !== 200) throw new Error(`roster: ${roster.status} ${JSON.stringify(roster.body)}`);
    return id;
  };
  const aoife = await staff('Aoife', [cut, colour, blowDry]);
  const conor = await staff('Conor', [cut, blowDry]);
  const client = async (firstName: string, mobile: string) => {
    const res = await owner.post(`${owner.business}/client`, { firstName, lastName: 'Test', mobile, smsReminderConsent: true });
    return res.body.clientId as string;
  };
  return {
    owner,
    services: { cut, colour, blowDry },
    staff: { aoife, conor },
    clients: { siobhan: await client('Siobhán', '087 111 2222'), maeve: await client('Maeve', '087 333 4444') },
  };
}

/** The booking site's SERVICE credential (not tied to a business), as a client of the salon's routes. */
export async function serviceCredential(api: CoreApiHarness, salon: TestSalon): Promise<ApiClient> {
  const email = `booking-${newId().slice(0, 6).toLowerCase()}@chairbook.internal`;
  const password = 'service-credential-secret';
  await api.app.get(DataSource).query(
    "INSERT INTO api_user (id, business_id, email, password_hash, role, created_at, updated_at) VALUES (?, NULL, ?, ?, 'SERVICE', NOW(3), NOW(3))",
    [newId(), email, await hashPassword(password)],
  );
  return salon.owner.as(basicAuth(email, password));
}

/** Body of POST …/booking for one client and services [serviceId, staffId, ISO start]. */
export function bookingBody(clientId: string, schedules: [string, string, string][], bookingStatus: 'ACTIVE' | 'RESERVED' = 'ACTIVE') {
  return { bookingStatus, clientAppointmentSchedules: [{ clientId, serviceSchedules: schedules.map(([serviceId, staffId, startTime]) => ({ serviceId, staffId, startTime })) }] };
}
