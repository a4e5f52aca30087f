'use strict';
/**
 * The heartbeat: every few minutes, against staging and production, do what a salon's
 * integration does: check /health, find a free slot, hold it (RESERVED booking) and cancel
 * it. When any step fails the canary alarm pages on-call before a salon notices.
 *
 * Runs three ways:
 * - as a CloudWatch Synthetics canary (Node.js Puppeteer runtime), `handler` below;
 * - from the deploy workflow's smoke step: `node index.js` with BASE_URL and
 *   CANARY_CREDENTIAL (the same JSON as the canary's secret);
 * - in the infra tests, against a local fake of the API (`runHeartbeat`).
 *
 * The credential (Secrets Manager, JSON): username (global/<email>), password, businessId,
 * branchId, serviceId, clientId and optionally staffId, of a test salon kept for this purpose.
 * RESERVED holds expire by themselves, so a run that dies between booking and cancelling
 * leaves nothing behind for long.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

class HeartbeatError extends Error {}

function requireFields(credential) {
  const missing = ['username', 'password', 'businessId', 'branchId', 'serviceId', 'clientId'].filter(
    (key) => !credential[key] || credential[key] === 'SET_ME',
  );
  if (missing.length > 0) {
    throw new HeartbeatError(`canary credential is missing ${missing.join(', ')} (see docs/operations.md, "The heartbeat canary")`);
  }
}

async function readJson(response) {
  const text = await response.text();
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return { raw: text.slice(0, 200) };
  }
}

async function expectStatus(response, accepted, what) {
  if (!accepted.includes(response.status)) {
    const body = await readJson(response);
    throw new HeartbeatError(`${what}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  return readJson(response);
}

/** Slots as Phorest answers them (`availableSlots[{startTime, staffId}]`), tolerating per-service schedules. */
function slotsFrom(body) {
  const slots = Array.isArray(body.availableSlots) ? body.availableSlots : Array.isArray(body.slots) ? body.slots : [];
  return slots
    .map((slot) => {
      const schedule = Array.isArray(slot.serviceSchedules) && slot.serviceSchedules.length > 0 ? slot.serviceSchedules[0] : {};
      return { startTime: slot.startTime || schedule.startTime, staffId: slot.staffId || schedule.staffId };
    })
    .filter((slot) => typeof slot.startTime === 'string');
}

/**
 * @param {object} options
 * @param {string} options.baseUrl  e.g. https://app.chairbook.example (no trailing slash needed)
 * @param {object} options.credential  see above
 * @param {(name: string, fn: () => Promise<any>) => Promise<any>} [options.step]  Synthetics' executeStep
 * @param {typeof fetch} [options.fetch]
 * @param {() => Date} [options.now]
 * @param {() => string} [options.newId]
 * @returns {Promise<{bookingId: string, startTime: string}>}
 */
async function runHeartbeat(options) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const credential = options.credential;
  const step = options.step || ((name, fn) => fn());
  const http = options.fetch || fetch;
  const now = options.now || (() => new Date());
  const newId = options.newId || (() => require('node:crypto').randomUUID());
  requireFields(credential);

  const enc = encodeURIComponent;
  const branchApi = `${baseUrl}/third-party-api-server/api/business/${enc(credential.businessId)}/branch/${enc(credential.branchId)}`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': 'chairbook-heartbeat/1',
  };
  const call = (method, url, body, extra = {}) =>
    http(url, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10000) });

  await step('health', async () => {
    const response = await http(`${baseUrl}/health`, { signal: AbortSignal.timeout(10000) });
    await expectStatus(response, [200], 'GET /health');
  });

  const slots = await step('find-slot', async () => {
    // From tomorrow for a week: clear of minimum notice, inside any booking horizon.
    const from = new Date(now().getTime() + DAY_MS);
    const to = new Date(from.getTime() + 7 * DAY_MS);
    const selection = { serviceId: credential.serviceId };
    if (credential.staffId) selection.staffId = credential.staffId;
    const response = await call('POST', `${branchApi}/appointments/availability`, {
      clientId: credential.clientId,
      startTime: from.toISOString(),
      endTime: to.toISOString(),
      clientServiceSelections: [selection],
      isOnlineAvailability: false,
    });
    const found = slotsFrom(await expectStatus(response, [200], 'POST appointments/availability'));
    if (found.length === 0) throw new HeartbeatError('availability answered no free slot in the next 7 days for the canary service');
    return found;
  });

  // A real customer may take the first slot between the two calls: try the next ones.
  const booked = await step('book', async () => {
    let lastConflict = '';
    for (const slot of slots.slice(0, 3)) {
      const response = await call(
        'POST',
        `${branchApi}/booking`,
        {
          clientId: credential.clientId,
          bookingStatus: 'RESERVED',
          clientAppointmentSchedules: [
            {
              clientId: credential.clientId,
              serviceSchedules: [{ serviceId: credential.serviceId, staffId: slot.staffId || credential.staffId, startTime: slot.startTime }],
            },
          ],
        },
        { 'idempotency-key': newId() },
      );
      if (response.status === 409) {
        lastConflict = JSON.stringify(await readJson(response)).slice(0, 200);
        continue;
      }
      const body = await expectStatus(response, [200, 201], 'POST booking');
      if (!body.bookingId) throw new HeartbeatError(`POST booking answered without a bookingId: ${JSON.stringify(body).slice(0, 200)}`);
      return { bookingId: String(body.bookingId), startTime: slot.startTime };
    }
    throw new HeartbeatError(`the first offered slots were all refused with 409: ${lastConflict}`);
  });

  await step('cancel', async () => {
    const response = await call('POST', `${branchApi}/booking/${enc(booked.bookingId)}/cancel`, {});
    await expectStatus(response, [200, 204], 'POST booking/cancel');
  });

  return booked;
}

/** CloudWatch Synthetics entry point (handler `index.handler`). */
async function handler() {
  const synthetics = require('Synthetics');
  const log = require('SyntheticsLogger');
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.CANARY_SECRET_ARN }));
  const result = await runHeartbeat({
    baseUrl: process.env.BASE_URL,
    credential: JSON.parse(secret.SecretString),
    step: (name, fn) => synthetics.executeStep(name, fn),
  });
  log.info(`heartbeat held and cancelled booking ${result.bookingId} at ${result.startTime}`);
  return 'ok';
}

module.exports = { handler, runHeartbeat, slotsFrom, HeartbeatError };

if (require.main === module) {
  const baseUrl = process.env.BASE_URL;
  const raw = process.env.CANARY_CREDENTIAL;
  if (!baseUrl || !raw) {
    console.error('usage: BASE_URL=https://... CANARY_CREDENTIAL=\'{"username":...}\' node index.js');
    process.exit(2);
  }
  runHeartbeat({ baseUrl, credential: JSON.parse(raw), step: async (name, fn) => {
    const started = Date.now();
    const value = await fn();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
    return value;
  } })
    .then((result) => console.log(`heartbeat passed: booking ${result.bookingId} held at ${result.startTime} and cancelled`))
    .catch((error) => {
      console.error(`heartbeat FAILED: ${error.message}`);
      process.exit(1);
    });
}
