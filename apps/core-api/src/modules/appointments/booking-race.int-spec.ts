import { queryDatabase } from '@chairbook/testing';
import type { ApiClient } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';

/**
 * No double booking, ever: 50 concurrent requests for overlapping times of the same stylist,
 * spread over two copies of core-api on one database, repeated 20 times. Each round must end
 * with exactly one booking; every other answer a clean 409, never a 500 or a leaked deadlock.
 */
describe('booking races across two core-api copies (real MariaDB)', () => {
  let first: CoreApiHarness;
  let second: CoreApiHarness;
  let salon: TestSalon;
  let viaSecond: ApiClient;
  const clients: string[] = [];

  beforeAll(async () => {
    first = await startCoreApi({ env: { RATE_LIMIT_PER_SECOND: '100000' } });
    second = await startCoreApi({ rabbitUrl: first.rabbitUrl, env: { CORE_API_DB_NAME: first.database, RATE_LIMIT_PER_SECOND: '100000' } });
    salon = await createSalon(first);
    viaSecond = salon.owner.at(second.baseUrl);
    for (let i = 0; i < 50; i++) {
      const res = await salon.owner.post(`${salon.owner.business}/client`, { firstName: `Racer${i}`, lastName: 'Test' });
      clients.push(res.body.clientId);
    }
  });
  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await first?.close();
  });

  it('ends each of 20 rounds of 50 overlapping requests with exactly one booking', async () => {
    const summary = { created: 0, conflicts: 0, other: [] as string[] };
    for (let round = 0; round < 20; round++) {
      // A different day each round (winter, so local = UTC), all starts within 40 minutes.
      const day = new Date(Date.UTC(2027, 0, 4 + round)).toISOString().slice(0, 10);
      const results = await Promise.all(
        clients.map((clientId, i) => {
          const minute = (i * 7) % 40;
          const start = `${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;
          const api = i % 2 === 0 ? salon.owner : viaSecond;
          return api.post(`${salon.owner.branch}/booking`, bookingBody(clientId, [[salon.services.cut, salon.staff.aoife, start]]));
        }),
      );
      const created = results.filter((r) => r.status === 201).length;
      const conflicts = results.filter((r) => r.status === 409 && r.body.code === 'STAFF_DOUBLE_BOOKED').length;
      summary.created += created;
      summary.conflicts += conflicts;
      summary.other.push(...results.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.code === 'STAFF_DOUBLE_BOOKED')).map((r) => `${r.status} ${r.body?.code}`));
      expect({ round, created }).toEqual({ round, created: 1 });
    }
    // Printed for the closing note.
    process.stdout.write(`booking race: ${JSON.stringify({ rounds: 20, perRound: 50, ...summary, other: summary.other.length })}\n`);
    expect(summary).toEqual({ created: 20, conflicts: 980, other: [] });
    const rows = await queryDatabase<{ n: number }>(first.database, "SELECT COUNT(*) AS n FROM appointment WHERE staff_id = ? AND activation_state = 'ACTIVE'", [salon.staff.aoife]);
    expect(Number(rows[0].n)).toBe(20);
  });

  it('lets adjacent slots both succeed under the same concurrency', async () => {
    const day = '2027-03-02';
    const [a, b] = await Promise.all([
      salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(clients[0], [[salon.services.cut, salon.staff.conor, `${day}T10:00:00.000Z`]])),
      viaSecond.post(`${salon.owner.branch}/booking`, bookingBody(clients[1], [[salon.services.cut, salon.staff.conor, `${day}T11:00:00.000Z`]])),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it('keeps a room within its capacity when two stylists race for it', async () => {
    const room = await salon.owner.post(`${salon.owner.branch}/room`, { name: 'Basin', capacity: 1 });
    const wash = await salon.owner.post(`${salon.owner.branch}/service`, { name: 'Wash', duration: 30, price: 10, roomIds: [room.body.roomId] });
    for (const staffId of [salon.staff.aoife, salon.staff.conor]) {
      const current = await salon.owner.get(`${salon.owner.branch}/staff/${staffId}`);
      await salon.owner.put(`${salon.owner.branch}/staff/${staffId}`, {
        version: current.body.version,
        services: [...current.body.services.map((s: { serviceId: string }) => ({ serviceId: s.serviceId })), { serviceId: wash.body.serviceId }],
      });
    }
    const day = '2027-03-03';
    const results = await Promise.all(
      clients.slice(0, 20).map((clientId, i) =>
        (i % 2 ? viaSecond : salon.owner).post(
          `${salon.owner.branch}/booking`,
          bookingBody(clientId, [[wash.body.serviceId, i % 2 ? salon.staff.aoife : salon.staff.conor, `${day}T12:${String((i * 3) % 20).padStart(2, '0')}:00.000Z`]]),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.code))).toEqual(new Set(['EXCEEDED_ROOM_CAPACITY', 'STAFF_DOUBLE_BOOKED']));
  });
});
