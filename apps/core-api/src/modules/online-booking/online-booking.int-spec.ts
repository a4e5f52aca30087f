import { queryDatabase } from '@chairbook/testing';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, serviceCredential, TestSalon } from '../../test-support/salon';

describe('booking-site operations through the SERVICE credential (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let site: Awaited<ReturnType<typeof serviceCredential>>;
  const inDays = (d: number, hhmm: string) => `${new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00.000Z`;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api, { onlineBooking: { minNoticeMinutes: 60, horizonDays: 30, cancellationWindowHours: 24 } });
    site = await serviceCredential(api, salon);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('finds a branch by its booking page address', async () => {
    const branch = (await salon.owner.get(salon.owner.branch)).body;
    const res = await site.get(`/third-party-api-server/api/online/branch/${branch.slug}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ businessId: salon.owner.businessId, branchId: salon.owner.branchId, timeZone: 'Europe/Dublin', currencyCode: 'EUR' });
    expect((await site.get('/third-party-api-server/api/online/branch/no-such-salon')).status).toBe(404);
  });

  it('recognises a returning customer by mobile or email instead of duplicating them', async () => {
    const path = `${salon.owner.business}/online/client`;
    const first = await site.post(path, { firstName: 'Róisín', lastName: 'Dunne', mobile: '087 555 0001', email: 'roisin@example.com', reminderConsent: true });
    expect(first.body).toMatchObject({ matched: false });
    const byMobile = await site.post(path, { firstName: 'Roisin', lastName: 'D', mobile: '+353875550001', email: 'other@example.com', marketingConsent: true });
    expect(byMobile.body).toEqual({ clientId: first.body.clientId, matched: true });
    const byEmail = await site.post(path, { firstName: 'R', lastName: 'D', mobile: '087 555 0099', email: 'ROISIN@example.com' });
    expect(byEmail.body.clientId).toBe(first.body.clientId);
    const [client] = await queryDatabase<{ sms_reminder_consent: number; sms_marketing_consent: number }>(api.database, 'SELECT sms_reminder_consent, sms_marketing_consent FROM client WHERE id = ?', [first.body.clientId]);
    expect(client).toEqual({ sms_reminder_consent: 1, sms_marketing_consent: 1 });
    const bad = await site.post(path, { firstName: 'A', lastName: 'B', mobile: '12', email: 'a@example.com' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_PHONE');
  });

  it('moves a whole booking, and refuses online changes inside the cancellation window', async () => {
    const booked = await site.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.aoife, inDays(5, '10:00')]]));
    expect(booked.status).toBe(201);
    const moved = await site.post(`${salon.owner.branch}/booking/${booked.body.bookingId}/reschedule`, { startTime: inDays(6, '11:00') });
    expect(moved.status).toBe(200);
    expect(moved.body.clientAppointmentSchedules[0].serviceSchedules[0].startTime).toBe(inDays(6, '11:00'));

    const soon = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 14) + '00:00.000Z']]));
    if (soon.status === 201) {
      const late = await site.post(`${salon.owner.branch}/booking/${soon.body.bookingId}/cancel`);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('CANCELLATION_WINDOW_PASSED');
      // The front desk can still cancel.
      expect((await salon.owner.post(`${salon.owner.branch}/booking/${soon.body.bookingId}/cancel`)).status).toBe(200);
    }
    expect((await site.post(`${salon.owner.branch}/booking/${booked.body.bookingId}/cancel`)).status).toBe(200);
  });
});
