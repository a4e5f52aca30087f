import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEARTBEAT_SCRIPT_PATH } from '../constructs/heartbeat-canary';

interface Heartbeat {
  runHeartbeat(options: Record<string, unknown>): Promise<{ bookingId: string; startTime: string }>;
}
const heartbeat = require('./heartbeat-canary/index.js') as Heartbeat;
const demoSalon = require('./demo-salon-credential.js') as {
  demoSalonCredential(options: Record<string, unknown>): Promise<Record<string, string>>;
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: any;
}
type Route = (seen: Seen) => { status: number; body?: unknown };

/** A fake of the core API on the loopback interface: answers by "METHOD path". */
async function fakeApi(routes: Record<string, Route>): Promise<{ baseUrl: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      seen.push(request);
      const route = routes[`${request.method} ${request.url}`];
      const answer = route ? route(request) : { status: 404, body: { code: 'NOT_FOUND' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, server };
}

const credential = {
  username: 'global/canary@chairbook.example',
  password: 'correct horse',
  businessId: 'biz-1',
  branchId: 'br-1',
  serviceId: 'svc-cut',
  clientId: 'cli-canary',
};
const api = '/third-party-api-server/api/business/biz-1/branch/br-1';
const slots = [
  { startTime: '2026-12-02T10:00:00.000Z', staffId: 'staff-a' },
  { startTime: '2026-12-02T10:15:00.000Z', staffId: 'staff-b' },
];
const happyRoutes: Record<string, Route> = {
  'GET /health': () => ({ status: 200, body: { status: 'ok' } }),
  [`POST ${api}/appointments/availability`]: () => ({ status: 200, body: { availableSlots: slots } }),
  [`POST ${api}/booking`]: () => ({ status: 201, body: { bookingId: 'bk-42' } }),
  [`POST ${api}/booking/bk-42/cancel`]: () => ({ status: 200, body: {} }),
};
const now = () => new Date('2026-12-01T09:00:00.000Z');

describe('heartbeat canary script', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));
  const start = async (routes: Record<string, Route>) => {
    const fake = await fakeApi(routes);
    servers.push(fake.server);
    return fake;
  };

  it('checks health, finds a slot, holds it as RESERVED and cancels it, as named steps', async () => {
    const fake = await start(happyRoutes);
    const steps: string[] = [];
    const result = await heartbeat.runHeartbeat({
      baseUrl: `${fake.baseUrl}/`,
      credential,
      now,
      newId: () => 'run-1',
      step: async (name: string, fn: () => Promise<unknown>) => {
        steps.push(name);
        return fn();
      },
    });
    expect(result).toEqual({ bookingId: 'bk-42', startTime: slots[0].startTime });
    expect(steps).toEqual(['health', 'find-slot', 'book', 'cancel']);
    expect(fake.seen.map((request) => `${request.method} ${request.url}`)).toEqual(Object.keys(happyRoutes));

    const [, availability, booking] = fake.seen;
    const basic = `Basic ${Buffer.from('global/canary@chairbook.example:correct horse').toString('base64')}`;
    expect(availability.headers.authorization).toBe(basic);
    expect(availability.body).toEqual({
      clientId: 'cli-canary',
      startTime: '2026-12-02T09:00:00.000Z',
      endTime: '2026-12-09T09:00:00.000Z',
      clientServiceSelections: [{ serviceId: 'svc-cut' }],
      isOnlineAvailability: false,
    });
    expect(booking.headers['idempotency-key']).toBe('run-1');
    expect(booking.body).toEqual({
      clientId: 'cli-canary',
      bookingStatus: 'RESERVED',
      clientAppointmentSchedules: [
        { clientId: 'cli-canary', serviceSchedules: [{ serviceId: 'svc-cut', staffId: 'staff-a', startTime: slots[0].startTime }] },
      ],
    });
  });

  it('tries the next slot when a customer took the first one (409)', async () => {
    let attempts = 0;
    const fake = await start({
      ...happyRoutes,
      [`POST ${api}/booking`]: () =>
        ++attempts === 1 ? { status: 409, body: { code: 'STAFF_DOUBLE_BOOKED' } } : { status: 201, body: { bookingId: 'bk-42' } },
    });
    const result = await heartbeat.runHeartbeat({ baseUrl: fake.baseUrl, credential, now });
    expect(result.startTime).toBe(slots[1].startTime);
    expect(attempts).toBe(2);
  });

  it('fails, naming the step, when the platform is unhealthy or has no slot', async () => {
    const unhealthy = await start({ ...happyRoutes, 'GET /health': () => ({ status: 503, body: { database: 'down' } }) });
    await expect(heartbeat.runHeartbeat({ baseUrl: unhealthy.baseUrl, credential, now })).rejects.toThrow(
      'GET /health: HTTP 503 {"database":"down"}',
    );
    const full = await start({ ...happyRoutes, [`POST ${api}/appointments/availability`]: () => ({ status: 200, body: { availableSlots: [] } }) });
    await expect(heartbeat.runHeartbeat({ baseUrl: full.baseUrl, credential, now })).rejects.toThrow(/no free slot/);
  });

  it('refuses to run with the placeholder credential the stack creates', async () => {
    await expect(
      heartbeat.runHeartbeat({ baseUrl: 'http://127.0.0.1:9', credential: { ...credential, businessId: 'SET_ME', password: '' }, now }),
    ).rejects.toThrow('canary credential is missing password, businessId');
  });

  it('runs as the deploy workflow\u2019s smoke test from the command line', async () => {
    const fake = await start(happyRoutes);
    const output = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [HEARTBEAT_SCRIPT_PATH],
        { env: { PATH: process.env.PATH, BASE_URL: fake.baseUrl, CANARY_CREDENTIAL: JSON.stringify(credential) } },
        (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
      );
    });
    expect(output.code).toBe(0);
    expect(output.stdout).toContain('heartbeat passed: booking bk-42');
  });

  it('builds a credential from the demo salon for the acceptance run against the built images', async () => {
    const biz = '/third-party-api-server/api/business';
    const fake = await start({
      [`GET ${biz}`]: () => ({ status: 200, body: { _embedded: { businesses: [{ businessId: 'biz-1', name: 'Foundation Hair' }] } } }),
      [`GET ${biz}/biz-1/branch`]: () => ({ status: 200, body: { _embedded: { branches: [{ branchId: 'br-1' }] } } }),
      [`GET ${biz}/biz-1/branch/br-1/service`]: () => ({ status: 200, body: { _embedded: { services: [{ serviceId: 'svc-cut' }] } } }),
      [`POST ${biz}/biz-1/client`]: () => ({ status: 201, body: { clientId: 'cli-canary' } }),
    });
    const built = await demoSalon.demoSalonCredential({ baseUrl: fake.baseUrl, password: 'demo-pass' });
    expect(built).toEqual({
      username: 'global/owner@foundation-hair.example',
      password: 'demo-pass',
      businessId: 'biz-1',
      branchId: 'br-1',
      serviceId: 'svc-cut',
      clientId: 'cli-canary',
    });
    const created = fake.seen.find((request) => request.method === 'POST');
    expect(created?.body).toMatchObject({ smsMarketingConsent: false, emailReminderConsent: false });
  });
});
