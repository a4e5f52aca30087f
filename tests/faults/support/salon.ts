import { randomUUID } from 'node:crypto';
import { ownerAuth } from './built-services';

const API = '/third-party-api-server/api/business';

export interface Salon {
  businessId: string;
  branchId: string;
  serviceId: string;
  clientIds: string[];
}

export interface Slot {
  staffId: string;
  startTime: string;
}

async function json<T>(baseUrl: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { ...ownerAuth, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The demo salon's ids through the API, plus `clients` new clients (unique mobiles). */
export async function demoSalon(baseUrl: string, clients = 40): Promise<Salon> {
  const businesses = await json<{ _embedded: { businesses: { businessId: string }[] } }>(baseUrl, API);
  const businessId = businesses._embedded.businesses[0].businessId;
  const branches = await json<{ _embedded: { branches: { branchId: string }[] } }>(baseUrl, `${API}/${businessId}/branch`);
  const branchId = branches._embedded.branches[0].branchId;
  const services = await json<{ _embedded: { services: { serviceId: string; name: string }[] } }>(baseUrl, `${API}/${businessId}/branch/${branchId}/service?size=100`);
  const blowDry = services._embedded.services.find((s) => s.name === 'Blow Dry');
  if (!blowDry) throw new Error(`the demo salon has no Blow Dry service: ${services._embedded.services.map((s) => s.name).join(', ')}`);
  const clientIds: string[] = [];
  const run = `${Date.now() % 100_000}`.padStart(5, '0');
  for (let i = 0; i < clients; i++) {
    const created = await json<{ clientId: string }>(baseUrl, `${API}/${businessId}/client`, {
      method: 'POST',
      body: JSON.stringify({
        firstName: 'Fault',
        lastName: `Client ${i}`,
        mobile: `+35387${run}${String(i).padStart(2, '0')}`,
        email: `fault.client.${run}.${i}@example.com`,
        smsReminderConsent: true,
        emailReminderConsent: true,
      }),
    });
    clientIds.push(created.clientId);
  }
  return { businessId, branchId, serviceId: blowDry.serviceId, clientIds };
}

/**
 * Free, non-overlapping (stylist, start) pairs for the Blow Dry (30 min, no buffer), from the
 * service's own availability answer, starting `fromDays` ahead, ordered by time then stylist.
 */
export async function freeSlots(baseUrl: string, salon: Salon, { fromDays = 60, days = 28, max = 2_000 } = {}): Promise<Slot[]> {
  const out: Slot[] = [];
  const lastEnd = new Map<string, number>();
  for (let offset = fromDays; offset < fromDays + days && out.length < max; offset += 14) {
    const start = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + offset));
    const end = new Date(start.getTime() + Math.min(14, fromDays + days - offset) * 86_400_000);
    type Offer = { startTime: string; clientSchedules: { serviceSchedules: { staffId: string; startTime: string; endTime: string }[] }[] };
    const answer = await json<{ data: (Offer & { alternatives?: Offer[] })[] }>(
      baseUrl,
      `${API}/${salon.businessId}/branch/${salon.branchId}/appointments/availability`,
      { method: 'POST', body: JSON.stringify({ startTime: start.toISOString(), endTime: end.toISOString(), clientServiceSelections: [{ serviceId: salon.serviceId }] }) },
    );
    // Each start offers one stylist and lists the other free ones as alternatives.
    for (const slot of answer.data) {
      for (const s of [slot, ...(slot.alternatives ?? [])].flatMap((o) => o.clientSchedules[0]?.serviceSchedules ?? [])) {
        const t = Date.parse(s.startTime);
        if (t % (30 * 60_000) !== 0 || t < (lastEnd.get(s.staffId) ?? 0)) continue;
        lastEnd.set(s.staffId, Date.parse(s.endTime));
        out.push({ staffId: s.staffId, startTime: s.startTime });
      }
    }
  }
  return out.slice(0, max);
}

export interface Attempt {
  index: number;
  slot: Slot;
  clientId: string;
  idempotencyKey: string;
  startedAt: number;
  ms: number;
  status: number | 'error' | 'hang';
  code?: string;
  retryAfter?: string | null;
  bookingId?: string;
  error?: string;
}

/** One booking request (Idempotency-Key, the owner's credential); never throws. */
export async function book(baseUrl: string, salon: Salon, slot: Slot, clientId: string, index: number, options: { key?: string; timeoutMs?: number } = {}): Promise<Attempt> {
  const key = options.key ?? randomUUID();
  const startedAt = Date.now();
  const attempt: Attempt = { index, slot, clientId, idempotencyKey: key, startedAt, ms: 0, status: 'error' };
  try {
    const response = await fetch(`${baseUrl}${API}/${salon.businessId}/branch/${salon.branchId}/booking`, {
      method: 'POST',
      headers: { ...ownerAuth, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ clientAppointmentSchedules: [{ clientId, serviceSchedules: [{ serviceId: salon.serviceId, staffId: slot.staffId, startTime: slot.startTime }] }] }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    attempt.status = response.status;
    attempt.retryAfter = response.headers.get('retry-after');
    try {
      const body = JSON.parse(text) as { code?: string; bookingId?: string };
      attempt.code = body.code;
      attempt.bookingId = body.bookingId;
    } catch {
      attempt.error = text.slice(0, 200);
    }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    attempt.status = e.name === 'TimeoutError' ? 'hang' : 'error';
    attempt.error = e.cause?.code ?? e.message;
  }
  attempt.ms = Date.now() - startedAt;
  return attempt;
}

/**
 * `concurrency` workers take slots in order and book them (each for the next client), until
 * `stop()` returns true or the slots run out. Every attempt is recorded.
 */
export async function bookingBurst(baseUrl: string, salon: Salon, slots: Slot[], options: { concurrency: number; stop: () => boolean; onAttempt?: (a: Attempt) => void; timeoutMs?: number }): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let next = 0;
  const worker = async () => {
    while (!options.stop() && next < slots.length) {
      const index = next++;
      const attempt = await book(baseUrl, salon, slots[index], salon.clientIds[index % salon.clientIds.length], index, { timeoutMs: options.timeoutMs });
      attempts.push(attempt);
      options.onAttempt?.(attempt);
      // As an integration should: a 503 says when to come back (up to a second here). Without
      // it, a fast machine answered ~4,400 clean 503s in a 4 s database outage, each taking a
      // slot, and the burst ran out of slots before the database came back.
      if (attempt.status === 503 && attempt.retryAfter) await new Promise((r) => setTimeout(r, Math.min(1_000, Number(attempt.retryAfter) * 1_000 || 250)));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return attempts.sort((a, b) => a.index - b.index);
}

/** Counts of attempts by outcome, e.g. { '201': 40, '503 SERVICE_UNAVAILABLE': 12, 'error ECONNREFUSED': 3 }. */
export function tally(attempts: Attempt[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of attempts) {
    const key = typeof a.status === 'number' ? (a.status >= 400 ? `${a.status} ${a.code ?? ''}`.trim() : String(a.status)) : `${a.status} ${a.error ?? ''}`.trim();
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
