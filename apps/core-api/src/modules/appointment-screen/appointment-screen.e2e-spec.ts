import type { BroadcastSubscription } from '@chairbook/platform';
import { captureEvents, waitFor } from '@chairbook/testing';
import { WebSocket } from 'ws';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';
import { AppointmentScreenGateway } from './appointment-screen.gateway';

/**
 * Book through the API on one copy of core-api; a front-desk screen connected to ANOTHER copy
 * sees the change pushed over its WebSocket, and the domain event is on the broker.
 */
describe('live appointment screen (two copies, real RabbitMQ)', () => {
  let first: CoreApiHarness;
  let second: CoreApiHarness;
  let salon: TestSalon;
  const sockets: WebSocket[] = [];

  const connect = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ socket: WebSocket; messages: any[] }>((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const messages: any[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
      socket.once('open', () => {
        sockets.push(socket);
        resolve({ socket, messages });
      });
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });

  beforeAll(async () => {
    first = await startCoreApi();
    second = await startCoreApi({ rabbitUrl: first.rabbitUrl, env: { CORE_API_DB_NAME: first.database } });
    salon = await createSalon(first);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await second?.close().catch(() => undefined);
    await first?.close();
  });

  it('pushes a booking made on one copy to a screen on the other, and publishes the event', async () => {
    const broker = await captureEvents(first.rabbitUrl, 'appointment.*');
    const ws = second.baseUrl.replace('http', 'ws');
    const auth = salon.owner.authorization!;
    const screen = await connect(`${ws}/ws/branch/${salon.owner.branchId}`, { authorization: auth });
    await waitFor(() => screen.messages.some((m) => m.type === 'welcome'), { what: 'welcome' });

    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.aoife, '2027-02-02T10:00:00.000Z']]));
    expect(booked.status).toBe(201);
    const appointmentId = booked.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId;

    const pushed = await waitFor(() => screen.messages.find((m) => m.type === 'appointment.booked'), { what: 'the push on the other copy' });
    expect(pushed.data).toMatchObject({ appointmentId, staffId: salon.staff.aoife, startTime: '2027-02-02T10:00:00.000Z', staffName: 'Aoife', serviceName: 'Cut' });
    expect(screen.messages.some((m) => m.type === 'booking.confirmed')).toBe(true);

    const onBroker = await waitFor(() => broker.received.find((m) => m.routingKey === 'appointment.booked'), { what: 'the event on the broker' });
    expect(onBroker.body).toMatchObject({ type: 'appointment.booked', version: 1, branchId: salon.owner.branchId, data: { appointmentId } });
    await broker.close();

    // A state change is pushed too.
    await salon.owner.post(`${salon.owner.branch}/appointment/${appointmentId}/checkin`);
    await waitFor(() => screen.messages.find((m) => m.type === 'appointment.checked_in'), { what: 'the check-in push' });
  });

  it('unsubscribes a copy whose last screen closed, and subscribes it again before the next screen opens', async () => {
    const gateway = second.app.get(AppointmentScreenGateway);
    gateway.unbindAfterMs = 0;
    // Watch the copy's subscription being switched (the broker's bindings follow it).
    const subscription = (gateway as unknown as { subscription: BroadcastSubscription }).subscription;
    const switched: boolean[] = [];
    const setActive = subscription.setActive.bind(subscription);
    subscription.setActive = async (active) => {
      switched.push(active);
      await setActive(active);
    };
    const ws = second.baseUrl.replace('http', 'ws');
    const auth = salon.owner.authorization!;
    const url = `${ws}/ws/branch/${salon.owner.branchId}`;
    for (const s of sockets.splice(0)) s.close();
    await waitFor(() => switched.at(-1) === false, { what: 'the copy unsubscribing after its last screen closed' });

    const screen = await connect(url, { authorization: auth });
    await waitFor(() => screen.messages.some((m) => m.type === 'welcome'), { what: 'welcome again' });
    expect(switched.at(-1)).toBe(true);
    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.blowDry, salon.staff.conor, '2027-02-03T11:00:00.000Z']]));
    expect(booked.status).toBe(201);
    const appointmentId = booked.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId;
    const pushed = await waitFor(() => screen.messages.find((m) => m.type === 'appointment.booked' && m.data.appointmentId === appointmentId), { what: 'the push after subscribing again' });
    expect(pushed.data).toMatchObject({ staffId: salon.staff.conor, startTime: '2027-02-03T11:00:00.000Z' });
    gateway.unbindAfterMs = 60_000;
  });

  it('opens with a one-use ticket (browsers), and refuses a reused ticket or no credentials', async () => {
    const ticket = await salon.owner.post(`${salon.owner.branch}/appointment-screen/ticket`);
    expect(ticket.status).toBe(201);
    const ws = first.baseUrl.replace('http', 'ws');
    const screen = await connect(`${ws}${ticket.body.url}`);
    await waitFor(() => screen.messages.some((m) => m.type === 'welcome'), { what: 'welcome via ticket' });
    await expect(connect(`${ws}${ticket.body.url}`)).rejects.toThrow('HTTP 401');
    await expect(connect(`${ws}/ws/branch/${salon.owner.branchId}`)).rejects.toThrow('HTTP 401');
  });

  it('keeps businesses apart: another business’s branch is a 404', async () => {
    const other = await createSalon(first);
    const auth = salon.owner.authorization!;
    await expect(connect(`${first.baseUrl.replace('http', 'ws')}/ws/branch/${other.owner.branchId}`, { authorization: auth })).rejects.toThrow('HTTP 404');
  });
});
