// The checks of `npm run images:acceptance` against the three running images (acceptance.sh
// starts them and passes where they are): /health and /metrics on each, then a booking through
// the core API as the demo salon's owner would make it (availability, book, read back, cancel),
// then the booking site's API, which booking answers by calling core-api with its own credential.
//
//   CORE_API_URL=… BOOKING_URL=… MESSAGING_URL=… DEMO_USER=global/… DEMO_PASSWORD=… node acceptance-check.mjs
import { randomUUID } from 'node:crypto';

const urls = { 'core-api': process.env.CORE_API_URL, booking: process.env.BOOKING_URL, messaging: process.env.MESSAGING_URL };
const auth = `Basic ${Buffer.from(`${process.env.DEMO_USER}:${process.env.DEMO_PASSWORD}`).toString('base64')}`;
const DAY_MS = 24 * 60 * 60 * 1000;

let step = '';
const say = (line) => process.stdout.write(`${line}\n`);
const short = (value, max = 240) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

async function call(method, url, { body, headers = {}, expect = [200], raw = false } = {}) {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) throw new Error(`${method} ${url}: HTTP ${response.status} ${short(text, 400)}`);
  let json = text;
  if (!raw) {
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = text;
    }
  }
  return { status: response.status, body: json, headers: response.headers };
}

const list = (body, plural) => (Array.isArray(body?._embedded?.[plural]) ? body._embedded[plural] : []);

async function main() {
  step = 'health';
  for (const [app, base] of Object.entries(urls)) {
    const { status, body } = await call('GET', `${base}/health`);
    say(`health     ${app.padEnd(9)} GET /health → ${status} ${short(body)}`);
  }
  step = 'metrics';
  for (const [app, base] of Object.entries(urls)) {
    const { body } = await call('GET', `${base}/metrics`, { raw: true, headers: { accept: 'text/plain' } });
    const series = body.split('\n').filter((line) => line && !line.startsWith('#')).length;
    if (!series) throw new Error(`${app} /metrics is empty`);
    say(`metrics    ${app.padEnd(9)} GET /metrics → 200 (${series} samples)`);
  }

  step = 'core API: the demo salon';
  const api = `${urls['core-api']}/third-party-api-server/api/business`;
  const as = { authorization: auth };
  const businessId = list((await call('GET', api, { headers: as })).body, 'businesses')[0]?.businessId;
  if (!businessId) throw new Error('the demo owner sees no business');
  const branchId = list((await call('GET', `${api}/${businessId}/branch`, { headers: as })).body, 'branches')[0]?.branchId;
  if (!branchId) throw new Error('the demo business has no branch');
  const branchApi = `${api}/${businessId}/branch/${branchId}`;
  const services = list((await call('GET', `${branchApi}/service`, { headers: as })).body, 'services');
  if (!services.length) throw new Error('the demo branch has no service');
  const client = (
    await call('POST', `${api}/${businessId}/client`, {
      headers: as,
      expect: [200, 201],
      body: {
        firstName: 'Acceptance',
        lastName: 'Run',
        email: `acceptance-${Date.now()}@chairbook.invalid`,
        smsReminderConsent: false,
        emailReminderConsent: false,
        smsMarketingConsent: false,
        emailMarketingConsent: false,
      },
    })
  ).body;
  if (!client.clientId) throw new Error(`creating a client answered ${short(client)}`);
  say(`core API   business ${businessId}, branch ${branchId}, ${services.length} services, new client ${client.clientId}`);

  step = 'core API: availability';
  const from = new Date(Date.now() + DAY_MS);
  const to = new Date(from.getTime() + 7 * DAY_MS);
  let service;
  let slots = [];
  for (const candidate of services.slice(0, 5)) {
    const { body } = await call('POST', `${branchApi}/appointments/availability`, {
      headers: as,
      body: {
        clientId: client.clientId,
        startTime: from.toISOString(),
        endTime: to.toISOString(),
        clientServiceSelections: [{ serviceId: candidate.serviceId }],
      },
    });
    slots = (body.availableSlots ?? []).filter((slot) => slot.startTime);
    if (slots.length) {
      service = candidate;
      break;
    }
  }
  if (!service) throw new Error('no free slot in the next 7 days for the first services');
  const slot = slots[0];
  say(
    `availability ${slots.length} free slots for "${service.name ?? service.serviceId}"; first ${slot.startTime} with staff ${slot.staffId}`,
  );

  step = 'core API: book';
  const idempotencyKey = randomUUID();
  const booking = {
    clientAppointmentSchedules: [
      { clientId: client.clientId, serviceSchedules: [{ serviceId: service.serviceId, staffId: slot.staffId, startTime: slot.startTime }] },
    ],
  };
  const first = await call('POST', `${branchApi}/booking`, {
    headers: { ...as, 'idempotency-key': idempotencyKey },
    body: booking,
    expect: [200, 201],
  });
  const bookingId = first.body.bookingId;
  if (!bookingId) throw new Error(`booking answered without a bookingId: ${short(first.body)}`);
  const again = await call('POST', `${branchApi}/booking`, {
    headers: { ...as, 'idempotency-key': idempotencyKey },
    body: booking,
    expect: [200, 201],
  });
  if (again.body.bookingId !== bookingId)
    throw new Error(`the same Idempotency-Key booked again: ${again.body.bookingId} after ${bookingId}`);
  const taken = await call('POST', `${branchApi}/booking`, {
    headers: { ...as, 'idempotency-key': randomUUID() },
    body: booking,
    expect: [409],
  });
  say(
    `booking    ${bookingId} → HTTP ${first.status}; replay with the same Idempotency-Key → the same booking; the same slot again → 409 ${taken.body.code ?? ''}`,
  );

  step = 'core API: read back';
  const appointmentIdsOf = (b) =>
    (b.clientAppointmentSchedules ?? []).flatMap((c) => (c.serviceSchedules ?? []).map((x) => x.appointmentId)).filter(Boolean);
  const read = (await call('GET', `${branchApi}/booking/${bookingId}`, { headers: as })).body;
  const appointmentIds = appointmentIdsOf(read);
  if (read.bookingStatus !== 'ACTIVE' || !appointmentIds.length) throw new Error(`booking ${bookingId} reads back as ${short(read)}`);
  const activation = async () =>
    Promise.all(
      appointmentIds.map(async (id) => (await call('GET', `${branchApi}/appointment/${id}`, { headers: as })).body.activationState),
    );
  const before = await activation();
  if (before.some((state) => state !== 'ACTIVE'))
    throw new Error(`appointments ${appointmentIds.join(', ')} are ${before.join(', ')}, not ACTIVE`);
  say(`read back  booking ${bookingId} ${read.bookingStatus}: appointment ${appointmentIds.join(', ')} ${before.join(', ')}`);

  step = 'core API: cancel';
  await call('POST', `${branchApi}/booking/${bookingId}/cancel`, { headers: as, body: {}, expect: [200, 204] });
  const after = await activation();
  if (after.some((state) => state !== 'CANCELED')) throw new Error(`after cancel the appointments are ${after.join(', ')}`);
  const status = (await call('GET', `${branchApi}/booking/${bookingId}`, { headers: as })).body.bookingStatus;
  say(`cancel     booking ${bookingId} → ${status ?? 'cancelled'}; appointment ${appointmentIds.join(', ')} ${after.join(', ')}`);

  step = 'booking site';
  const site = await call('GET', `${urls.booking}/book/api/salons/foundation-hair`, { expect: [200, 404] });
  if (site.status === 200) {
    const s = site.body;
    say(
      `booking site GET /book/api/salons/foundation-hair → 200 (${short(s.name ?? s.salon?.name ?? s, 80)}), answered through core-api with the booking credential`,
    );
  } else {
    say('booking site GET /book/api/salons/foundation-hair → 404: this build has no booking-site API (not checked)');
  }
  const page = await call('GET', `${urls.booking}/book/foundation-hair`, {
    raw: true,
    expect: [200, 404],
    headers: { accept: 'text/html' },
  });
  if (page.status === 200)
    say(`booking site GET /book/foundation-hair → 200 ${page.headers.get('content-type')} (${page.body.length} bytes)`);
  else say('booking site GET /book/foundation-hair → 404: this image carries no built booking site');

  say(`RESULT ok booking=${bookingId} client=${client.clientId} slot=${slot.startTime}`);
}

main().catch((error) => {
  process.stderr.write(`acceptance FAILED at "${step}": ${error.message}\n`);
  process.exit(1);
});
