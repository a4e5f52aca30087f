import { LOGGER } from '@chairbook/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { newId } from '../../shared/ids';
import { ApiClient, addUser } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';
import { bookAppointment, createRetailSalon, nextNumber, RetailSalon } from '../retail/test-support/retail-salon';
import { ExportWorker } from './export-worker';

describe('CSV export jobs (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: RetailSalon;
  let other: RetailSalon;
  let owner: ApiClient;
  let today: string;
  const jobs = (c: ApiClient = owner) => `${c.branch}/csvexportjob`;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createRetailSalon(api);
    other = await createRetailSalon(api);
    owner = salon.owner;
    const awkward = (
      await owner.post(`${owner.business}/client`, { firstName: '=HYPERLINK("x")', lastName: 'Byrne, Jr.', mobile: '087 555 1234' })
    ).body.clientId;
    const appointmentId = await bookAppointment(salon);
    const sale = await owner.post(`${owner.branch}/purchase`, {
      number: nextNumber(),
      clientId: awkward,
      items: [{ appointmentId }, { productId: salon.products.shampoo, quantity: 2, description: 'Shampoo, "large"' }],
      payments: [{ type: 'CARD', amount: 104 }],
    });
    expect(sale.status).toBe(201);
    today = sale.body.purchaseDate;
    await owner.post(`${owner.branch}/purchase/${sale.body.purchaseId}/refund`, {
      number: nextNumber('RF'),
      items: [{ purchaseItemId: sale.body.items[1].purchaseItemId, quantity: 1 }],
      payments: [{ type: 'CARD', amount: 24.5 }],
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function finished(jobId: string, c: ApiClient = owner) {
    for (let i = 0; i < 200; i++) {
      const res = await c.get(`${jobs(c)}/${jobId}`);
      if (res.body.jobStatus === 'DONE' || res.body.jobStatus === 'FAILED') return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`export ${jobId} did not finish`);
  }

  /** The file, fetched as an integrator would: a plain GET of tempCsvExternalUrl, no credentials. */
  async function download(url: string) {
    const res = await fetch(url);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      text: await res.text(),
    };
  }

  it('exports the day’s transactions: 201 PENDING, then DONE with progress and a download link that needs no credentials', async () => {
    const created = await owner.post(jobs(), { jobType: 'TRANSACTIONS_CSV', startFilter: today, finishFilter: today });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      jobId: expect.stringMatching(/^[\w-]{22}$/),
      jobType: 'TRANSACTIONS_CSV',
      jobStatus: expect.stringMatching(/^(PENDING|IN_PROGRESS|DONE)$/),
      startFilter: today,
      finishFilter: today,
      failureReason: null,
    });
    const job = await finished(created.body.jobId);
    expect(job).toMatchObject({
      jobStatus: 'DONE',
      totalRows: 3,
      succeededRows: 3,
      failureReason: null,
      started: expect.any(String),
      finished: expect.any(String),
    });
    expect(job.tempCsvExternalUrl).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:\\d+/third-party-api-server/api/business/${owner.businessId}/branch/${owner.branchId}/csvexportjob/${job.jobId}/download\\?token=[\\w-]{43}$`,
      ),
    );
    const file = await download(job.tempCsvExternalUrl);
    expect(file.status).toBe(200);
    expect(file.type).toBe('text/csv; charset=utf-8');
    expect(file.disposition).toBe(`attachment; filename="transactions-${today}-to-${today}.csv"`);
    const lines = file.text.split('\r\n');
    expect(lines[0].split(',').slice(0, 8)).toEqual([
      'purchase_id',
      'purchase_number',
      'purchase_kind',
      'original_purchase_id',
      'purchased_date',
      'purchase_time',
      'item_type',
      'description',
    ]);
    expect(lines).toHaveLength(5); // header, three lines, and the final CRLF
    expect(lines[4]).toBe('');
    expect(lines[1]).toContain(',SALE,,');
    expect(lines[1]).toContain(',APPOINTMENT,Cut,1,55,0,55,48.46,6.54,13.5,EUR,');
    expect(lines[2]).toContain(',PRODUCT,"Shampoo, ""large""",2,24.5,0,49,39.84,9.16,23,EUR,');
    expect(lines[3]).toContain(',REFUND,');
    expect(lines[3]).toContain(',-1,24.5,0,-24.5,-19.92,-4.58,23,EUR,');
    // A client name that a spreadsheet would run as a formula is defused.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x"")","Byrne, Jr.",`);
    expect(lines[1]).toMatch(/,\d{2}:\d{2}:\d{2},APPOINTMENT,/);
  });

  it('answers 404 to a download without the right token, through another branch, or once expired', async () => {
    const job = await finished((await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId);
    const url = new URL(job.tempCsvExternalUrl);
    const base = `${url.origin}${url.pathname}`;
    expect((await download(`${base}?token=${'x'.repeat(43)}`)).status).toBe(404);
    expect((await download(base)).status).toBe(404);
    expect((await download(`${base.replace(owner.branchId, other.owner.branchId)}${url.search}`)).status).toBe(404);
    expect((await download(job.tempCsvExternalUrl)).status).toBe(200);
    await api.app
      .get(DataSource)
      .query('UPDATE csv_export_job SET download_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [job.jobId]);
    expect((await download(job.tempCsvExternalUrl)).status).toBe(404);
    expect((await owner.get(`${jobs()}/${job.jobId}`)).body.tempCsvExternalUrl).toBeNull();
  });

  it('answers the reference’s status (COMPLETE) and downloadUrl beside jobStatus (DONE) and tempCsvExternalUrl', async () => {
    const created = await owner.post(jobs(), { jobType: 'CLIENT_CSV' });
    expect(created.body.status).toBe(created.body.jobStatus === 'DONE' ? 'COMPLETE' : created.body.jobStatus);
    expect(created.body.downloadUrl).toBe(created.body.tempCsvExternalUrl);
    const job = await finished(created.body.jobId);
    expect(job).toMatchObject({ jobStatus: 'DONE', status: 'COMPLETE', downloadUrl: job.tempCsvExternalUrl });
    expect((await download(job.downloadUrl)).status).toBe(200);
    const listed = (await owner.get(jobs())).body._embedded.csvExportJobs.find((j: { jobId: string }) => j.jobId === job.jobId);
    expect(listed).toMatchObject({ jobStatus: 'DONE', status: 'COMPLETE', downloadUrl: job.tempCsvExternalUrl });

    const ds = api.app.get(DataSource);
    const pairs: [string, string][] = [
      ['PENDING', 'PENDING'],
      ['IN_PROGRESS', 'IN_PROGRESS'],
      ['FAILED', 'FAILED'],
    ];
    for (const [ours, reference] of pairs) {
      // Parked with a lease far ahead, so no worker picks it up while we look.
      await ds.query('UPDATE csv_export_job SET status = ?, lease_until = NOW(3) + INTERVAL 1 HOUR WHERE id = ?', [ours, job.jobId]);
      const got = (await owner.get(`${jobs()}/${job.jobId}`)).body;
      expect({ jobStatus: got.jobStatus, status: got.status, downloadUrl: got.downloadUrl, temp: got.tempCsvExternalUrl }).toEqual({
        jobStatus: ours,
        status: reference,
        downloadUrl: null,
        temp: null,
      });
    }
    await ds.query("UPDATE csv_export_job SET status = 'DONE', lease_until = NULL WHERE id = ?", [job.jobId]);
  });

  it('sends an ETag with a job and answers 304 to If-None-Match until the job changes (status, progress, link expiry)', async () => {
    const ds = api.app.get(DataSource);
    const job = await finished((await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId);
    const url = `${jobs()}/${job.jobId}`;
    const first = await owner.get(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(new RegExp(`^"${job.jobId}\\.${job.version}\\.[\\w-]+"$`));
    const unchanged = await owner.get(url, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect((await owner.get(url, { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await owner.get(url, { 'if-none-match': '"something-else"' })).status).toBe(200);

    // Progress moves without a new version: a poller must not be told "unchanged".
    await ds.query('UPDATE csv_export_job SET succeeded_rows = succeeded_rows + 1 WHERE id = ?', [job.jobId]);
    const progressed = await owner.get(url, { 'if-none-match': etag });
    expect(progressed.status).toBe(200);
    expect(progressed.headers.get('etag')).not.toBe(etag);

    // Nor once the link has expired (tempCsvExternalUrl and downloadUrl turn null).
    const before = progressed.headers.get('etag')!;
    await ds.query('UPDATE csv_export_job SET download_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [job.jobId]);
    const expired = await owner.get(url, { 'if-none-match': before });
    expect(expired.status).toBe(200);
    expect(expired.body).toMatchObject({ tempCsvExternalUrl: null, downloadUrl: null, status: 'COMPLETE' });
  });

  it('exports the business’s clients, optionally those changed in a date range (none: a header-only file)', async () => {
    const all = await finished((await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId);
    expect(all).toMatchObject({ jobStatus: 'DONE', totalRows: 3, succeededRows: 3 });
    const text = (await download(all.tempCsvExternalUrl)).text;
    expect(text.split('\r\n')[0]).toMatch(/^client_id,first_name,last_name,mobile,/);
    expect(text).toContain(',+353875551234,');
    expect(text).not.toContain(other.clients.siobhan);
    const none = await finished(
      (await owner.post(jobs(), { jobType: 'CLIENT_CSV', startFilter: '2099-01-01', finishFilter: '2099-01-31' })).body.jobId,
    );
    expect(none).toMatchObject({ jobStatus: 'DONE', totalRows: 0, succeededRows: 0 });
    expect((await download(none.tempCsvExternalUrl)).text.split('\r\n')).toHaveLength(2);
  });

  it('streams a big export in chunks (5,000 lines) with exact progress', async () => {
    const ds = api.app.get(DataSource);
    const purchaseId = newId();
    await ds.query(
      `INSERT INTO purchase (id, business_id, branch_id, number, kind, currency, gross_minor, discount_minor, total_minor, tax_minor, tip_minor, paid_minor, change_minor,
         request_hash, local_date, purchased_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'SALE', 'EUR', 0, 0, 0, 0, 0, 0, 0, 'x', '2026-02-01', ?, NOW(3), NOW(3))`,
      [purchaseId, owner.businessId, owner.branchId, nextNumber('BULK'), new Date('2026-02-01T10:00:00Z')],
    );
    const rows = Array.from({ length: 5_000 }, (_, i) => [
      owner.businessId,
      owner.branchId,
      purchaseId,
      i + 1,
      'TIP',
      `Tip ${i}`,
      1,
      100,
      100,
      0,
      100,
      0,
      0,
      100,
      '2026-02-01',
      new Date('2026-02-01T10:00:00Z'),
    ]);
    await ds.query(
      `INSERT INTO purchase_item (business_id, branch_id, purchase_id, line_no, item_type, description, quantity, unit_price_minor, gross_minor, discount_minor,
         total_minor, tax_rate_milli, tax_minor, net_minor, local_date, purchased_at) VALUES ?`,
      [rows],
    );
    const job = await finished(
      (await owner.post(jobs(), { jobType: 'TRANSACTIONS_CSV', startFilter: '2026-02-01', finishFilter: '2026-02-01' })).body.jobId,
    );
    expect(job).toMatchObject({ jobStatus: 'DONE', totalRows: 5_000, succeededRows: 5_000 });
    const [{ chunks }] = await ds.query('SELECT COUNT(*) AS chunks FROM csv_export_chunk WHERE job_id = ?', [job.jobId]);
    expect(Number(chunks)).toBe(4); // the header, then 2,000 + 2,000 + 1,000
    const file = await download(job.tempCsvExternalUrl);
    const lines = file.text.split('\r\n');
    expect(lines).toHaveLength(5_002);
    expect(new Set(lines.slice(1, -1).map((l) => l.split(',')[7])).size).toBe(5_000);
    expect(job.sizeBytes).toBe(Buffer.byteLength(file.text));
  });

  it('runs each job once with several copies claiming at the same time (FOR UPDATE SKIP LOCKED)', async () => {
    const ds = api.app.get(DataSource);
    const logger = api.app.get<Logger>(LOGGER);
    const copies = [new ExportWorker(ds, logger), new ExportWorker(ds, logger), new ExportWorker(ds, logger)];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId);
    for (let round = 0; round < 10; round++) {
      const worked = await Promise.all(copies.map((w) => w.runOne()));
      if (!worked.some(Boolean)) break;
    }
    for (const id of ids) await finished(id);
    const rows: { attempts: number; status: string }[] = await ds.query('SELECT attempts, status FROM csv_export_job WHERE id IN (?)', [
      ids,
    ]);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.attempts === 1 && r.status === 'DONE')).toBe(true);
  });

  it('takes over a job whose copy died (its lease ran out), and fails one that keeps dying', async () => {
    const ds = api.app.get(DataSource);
    const worker = new ExportWorker(ds, api.app.get<Logger>(LOGGER));
    const stuck = (await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId;
    await finished(stuck);
    await ds.query(
      "UPDATE csv_export_job SET status = 'IN_PROGRESS', attempts = 1, lease_until = NOW(3) - INTERVAL 1 SECOND, download_token = NULL WHERE id = ?",
      [stuck],
    );
    for (let i = 0; i < 5 && (await owner.get(`${jobs()}/${stuck}`)).body.jobStatus !== 'DONE'; i++) await worker.runOne();
    const retried = await finished(stuck);
    expect(retried).toMatchObject({ jobStatus: 'DONE', totalRows: 3 });
    const [{ attempts }] = await ds.query('SELECT attempts FROM csv_export_job WHERE id = ?', [stuck]);
    expect(attempts).toBe(2);

    const dying = (await owner.post(jobs(), { jobType: 'CLIENT_CSV' })).body.jobId;
    await finished(dying);
    await ds.query(
      "UPDATE csv_export_job SET status = 'IN_PROGRESS', attempts = 3, lease_until = NOW(3) - INTERVAL 1 SECOND WHERE id = ?",
      [dying],
    );
    const failed = await finished(dying).catch(async () => {
      await worker.runOne();
      return finished(dying);
    });
    expect(failed).toMatchObject({ jobStatus: 'FAILED', failureReason: 'Gave up after 3 attempts', tempCsvExternalUrl: null });
  });

  it.each([
    ['an unknown job type', { jobType: 'EVERYTHING_CSV' }, 'jobType'],
    ['a transactions export without dates', { jobType: 'TRANSACTIONS_CSV' }, 'startFilter'],
    ['a malformed date', { jobType: 'CLIENT_CSV', startFilter: '01/02/2026', finishFilter: '2026-02-02' }, 'startFilter'],
    ['an unknown field', { jobType: 'CLIENT_CSV', format: 'xlsx' }, 'format'],
  ])('refuses %s with 400', async (_label, body, field) => {
    expectValidationError(await owner.post(jobs(), body), field);
  });

  it('refuses job types we do not produce, ranges over 366 days, and more than 10 waiting jobs', async () => {
    const datev = await owner.post(jobs(), { jobType: 'DATEV_CSV', startFilter: today, finishFilter: today });
    expect(datev.status).toBe(400);
    expect(datev.body.code).toBe('UNSUPPORTED_JOB_TYPE');
    expect(
      (await owner.post(jobs(), { jobType: 'TRANSACTIONS_CSV', startFilter: '2024-01-01', finishFilter: '2025-06-01' })).body.code,
    ).toBe('DATE_RANGE_TOO_LONG');
    const ds = api.app.get(DataSource);
    const biz = other.owner;
    await ds.query(
      `INSERT INTO csv_export_job (id, business_id, branch_id, job_type, status, created_at, updated_at) VALUES ${Array.from({ length: 10 }, () => "(?, ?, ?, 'CLIENT_CSV', 'IN_PROGRESS', NOW(3), NOW(3))").join(', ')}`,
      Array.from({ length: 10 }, () => [newId(), biz.businessId, biz.branchId]).flat(),
    );
    const busy = await biz.post(jobs(biz), { jobType: 'CLIENT_CSV' });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('TOO_MANY_EXPORTS');
    await ds.query("UPDATE csv_export_job SET status = 'FAILED' WHERE branch_id = ? AND status = 'IN_PROGRESS'", [biz.branchId]);
  });

  it('lists the branch’s exports, for managers and owners only; other businesses’ jobs answer 404', async () => {
    const list = await owner.get(`${jobs()}?size=2`);
    expect(list.status).toBe(200);
    expect(list.body._embedded.csvExportJobs).toHaveLength(2);
    expect(list.body.page.totalElements).toBeGreaterThan(2);
    const [reception, manager] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'MANAGER')]);
    expect((await reception.post(jobs(), { jobType: 'CLIENT_CSV' })).status).toBe(403);
    expect((await reception.get(jobs())).status).toBe(403);
    const mine = await manager.post(jobs(), { jobType: 'CLIENT_CSV' });
    expect(mine.status).toBe(201);
    const theirs = await other.owner.post(jobs(other.owner), { jobType: 'CLIENT_CSV' });
    expectNotFound(await owner.get(`${jobs()}/${theirs.body.jobId}`));
    expectNotFound(await owner.get(`${jobs(other.owner)}/${theirs.body.jobId}`));
    await finished(mine.body.jobId);
  });
});
