import { ApiError } from '@chairbook/platform';
import { queryDatabase } from '@chairbook/testing';
import { DomainEvents } from '../../events/domain-events';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';

// A winter Wednesday in Dublin: local time = UTC.
const DAY = '2027-02-03';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

/**
 * An Idempotency-Key covers a booking whose answer never reached the client: the key's answer
 * commits in the booking's own transaction, so a retry gets the original 201 (not its own
 * booking refused as STAFF_DOUBLE_BOOKED), a first attempt that did not commit leaves nothing
 * that blocks the retry, and concurrent requests with one key book once.
 */
describe('Idempotency-Key on bookings (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let events: DomainEvents;
  const bookingsOf = async (clientId: string) =>
    (await queryDatabase<{ n: number }>(api.database, "SELECT COUNT(*) AS n FROM booking WHERE client_id = ? AND status <> 'CANCELED'", [clientId]))[0].n;

  beforeAll(async () => {
    api = await startCoreApi({ env: { RATE_LIMIT_PER_SECOND: '100000' } });
    salon = await createSalon(api);
    events = api.app.get(DomainEvents);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await api?.close();
  });

  async function newClient(firstName: string): Promise<string> {
    const res = await salon.owner.post(`${salon.owner.business}/client`, { firstName, lastName: 'Retry' });
    expect(res.status).toBe(201);
    return res.body.clientId;
  }

  it('answers a retry with the original 201 when the booking committed but its answer was lost', async () => {
    const client = await newClient('Lost');
    const body = bookingBody(client, [[salon.services.cut, salon.staff.aoife, at('09:00')]]);
    // The connection goes right after the commit: the client sees a 503, the booking exists.
    jest.spyOn(events, 'flush').mockImplementationOnce(() => {
      throw Object.assign(new ApiError(503, 'SERVICE_UNAVAILABLE', 'A dependency is unavailable'), { retryAfterSeconds: 1 });
    });
    const first = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'lost-answer-1' });
    expect(first.status).toBe(503);
    expect(await bookingsOf(client)).toBe(1);

    const retry = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'lost-answer-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ bookingStatus: 'ACTIVE', clientId: client });
    // The very body the first request would have sent: the booking as read back now.
    const current = await salon.owner.get(`${salon.owner.branch}/booking/${retry.body.bookingId}`);
    expect(retry.body).toEqual(current.body);
    expect(await bookingsOf(client)).toBe(1);

    const other = await salon.owner.post(`${salon.owner.branch}/booking`, { ...body, note: 'another' }, { 'idempotency-key': 'lost-answer-1' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('runs a retry at once when the first attempt failed before committing (no claim left behind)', async () => {
    const client = await newClient('Rolled');
    const body = bookingBody(client, [[salon.services.cut, salon.staff.aoife, at('10:00')]]);
    // A statement fails in the last batch, after the key was claimed and the booking rows were
    // inserted in the same round trip, before COMMIT: everything rolls back.
    jest.spyOn(events, 'statement').mockReturnValueOnce([['SELECT * FROM table_that_is_not_there']]);
    const first = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'rolled-back-1' });
    expect(first.status).toBe(500);
    expect(await bookingsOf(client)).toBe(0);
    const [claim] = await queryDatabase(api.database, "SELECT * FROM idempotency_key WHERE idem_key = 'rolled-back-1'");
    expect(claim).toBeUndefined();

    const retry = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'rolled-back-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const again = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'rolled-back-1' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(retry.body);
    expect(await bookingsOf(client)).toBe(1);
  });

  it('books once for concurrent requests with the same key: every one gets the same 201', async () => {
    const client = await newClient('Concurrent');
    const body = bookingBody(client, [[salon.services.cut, salon.staff.conor, at('11:00')]]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'double-click-burst' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.bookingId)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await bookingsOf(client)).toBe(1);
    const [{ n }] = await queryDatabase<{ n: number }>(api.database, "SELECT COUNT(*) AS n FROM appointment WHERE client_id = ? AND activation_state = 'ACTIVE'", [client]);
    expect(n).toBe(1);
  });

  it('keeps a refusal as the key’s answer, and replays a lost cancel answer', async () => {
    const client = await newClient('Refused');
    const taken = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(client, [[salon.services.cut, salon.staff.aoife, at('09:15')]]), { 'idempotency-key': 'refused-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('STAFF_DOUBLE_BOOKED');
    const replayed = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(client, [[salon.services.cut, salon.staff.aoife, at('09:15')]]), { 'idempotency-key': 'refused-1' });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(client, [[salon.services.cut, salon.staff.aoife, at('14:00')]]));
    expect(booked.status).toBe(201);
    jest.spyOn(events, 'flush').mockImplementationOnce(() => {
      throw new ApiError(503, 'SERVICE_UNAVAILABLE', 'A dependency is unavailable');
    });
    const cancel = await salon.owner.post(`${salon.owner.branch}/booking/${booked.body.bookingId}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
    expect(cancel.status).toBe(503);
    const retry = await salon.owner.post(`${salon.owner.branch}/booking/${booked.body.bookingId}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ bookingId: booked.body.bookingId, bookingStatus: 'CANCELED' });
  });
});
