import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_ROOT } from '../../shared/http/api-paths';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import { withEtagState } from '../../shared/http/etag.interceptor';
import { iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import { checkDateRange } from '../../shared/time';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { dateOnly } from '../retail/amounts';
import { CreateExportJobDto, SUPPORTED_JOB_TYPES, SupportedJobType } from './dto/export.dto';
import { ExportWorker } from './export-worker';

interface JobRow {
  id: string;
  business_id: string;
  branch_id: string;
  job_type: SupportedJobType;
  status: 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'FAILED';
  start_filter: Date | string | null;
  finish_filter: Date | string | null;
  total_rows: number | null;
  succeeded_rows: number;
  failure_reason: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  size_bytes: number | string | null;
  download_token: string | null;
  download_expires_at: Date | null;
  version: number;
  created_at: Date;
}

/** Our job states (Phorest's `jobStatus`) as the reference's `status` names them. */
const REFERENCE_STATUS = { PENDING: 'PENDING', IN_PROGRESS: 'IN_PROGRESS', DONE: 'COMPLETE', FAILED: 'FAILED' } as const;

/** Jobs waiting or running per branch before a new one is refused. */
const MAX_OPEN_JOBS = 10;

/**
 * Phorest's asynchronous CSV exports: POST a job, poll it, download the file from
 * `tempCsvExternalUrl` (our own URL with an unguessable token, valid for a day, like the
 * pre-signed link Phorest hands out). The file lives in the database in chunks and is
 * streamed out chunk by chunk.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly worker: ExportWorker,
  ) {}

  async create(principal: Principal, businessId: string, branchId: string, dto: CreateExportJobDto, baseUrl: string) {
    await this.branches.require(businessId, branchId);
    if (!(SUPPORTED_JOB_TYPES as readonly string[]).includes(dto.jobType)) {
      throw ApiError.badRequest(
        'UNSUPPORTED_JOB_TYPE',
        `${dto.jobType} exports are not available; use ${SUPPORTED_JOB_TYPES.join(' or ')}`,
        [{ field: 'jobType', message: `one of ${SUPPORTED_JOB_TYPES.join(', ')}` }],
      );
    }
    if (dto.jobType === 'TRANSACTIONS_CSV' && (!dto.startFilter || !dto.finishFilter)) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'A TRANSACTIONS_CSV export needs startFilter and finishFilter', [
        { field: dto.startFilter ? 'finishFilter' : 'startFilter', message: 'required for TRANSACTIONS_CSV' },
      ]);
    }
    if (dto.startFilter && dto.finishFilter) checkDateRange(dto.startFilter, dto.finishFilter, 366);
    const [{ open }]: { open: number | string }[] = await this.dataSource.query(
      "SELECT COUNT(*) AS open FROM csv_export_job WHERE branch_id = ? AND status IN ('PENDING', 'IN_PROGRESS')",
      [branchId],
    );
    if (Number(open) >= MAX_OPEN_JOBS)
      throw ApiError.conflict(
        'TOO_MANY_EXPORTS',
        `${open} exports are already waiting or running for this branch; wait for them to finish`,
      );
    const id = newId();
    const now = new Date();
    await this.dataSource.query(
      `INSERT INTO csv_export_job (id, business_id, branch_id, job_type, status, start_filter, finish_filter, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)`,
      [id, businessId, branchId, dto.jobType, dto.startFilter ?? null, dto.finishFilter ?? null, principal.userId, now, now],
    );
    this.worker.wake();
    return this.get(businessId, branchId, id, baseUrl);
  }

  async get(businessId: string, branchId: string, jobId: string, baseUrl: string) {
    const [row]: JobRow[] = await this.dataSource.query('SELECT * FROM csv_export_job WHERE id = ? AND business_id = ? AND branch_id = ?', [
      jobId,
      businessId,
      branchId,
    ]);
    if (!row) throw ApiError.notFound('Export job');
    return this.view(row, baseUrl);
  }

  async list(businessId: string, branchId: string, q: PageQuery, baseUrl: string) {
    await this.branches.require(businessId, branchId);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        'SELECT * FROM csv_export_job WHERE business_id = ? AND branch_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
        [businessId, branchId, ...limitOffset(q)],
      ) as Promise<JobRow[]>,
      this.dataSource.query('SELECT COUNT(*) AS total FROM csv_export_job WHERE business_id = ? AND branch_id = ?', [
        businessId,
        branchId,
      ]) as Promise<{ total: number }[]>,
    ]);
    return pageOf(
      'csvExportJobs',
      rows.map((r) => this.view(r, baseUrl)),
      Number(total),
      q,
    );
  }

  /** The finished file for whoever holds the link's token; anything else is a 404 (nothing to probe). */
  async download(
    businessId: string,
    branchId: string,
    jobId: string,
    token: string | undefined,
  ): Promise<{ stream: Readable; filename: string; size: number }> {
    const [row]: JobRow[] = await this.dataSource.query(
      "SELECT * FROM csv_export_job WHERE id = ? AND business_id = ? AND branch_id = ? AND status = 'DONE' AND download_expires_at > NOW(3)",
      [jobId, businessId, branchId],
    );
    if (!row || !row.download_token || !token || !sameToken(row.download_token, token)) throw ApiError.notFound('Export file');
    const [{ chunks }]: { chunks: number | string }[] = await this.dataSource.query(
      'SELECT COUNT(*) AS chunks FROM csv_export_chunk WHERE job_id = ?',
      [jobId],
    );
    const ds = this.dataSource;
    async function* read() {
      for (let seq = 0; seq < Number(chunks); seq++) {
        const [chunk]: { data: Buffer }[] = await ds.query('SELECT data FROM csv_export_chunk WHERE job_id = ? AND seq = ?', [jobId, seq]);
        if (chunk) yield chunk.data;
      }
    }
    const name = row.job_type === 'TRANSACTIONS_CSV' ? 'transactions' : 'clients';
    const range = row.start_filter ? `-${dateOnly(row.start_filter)}-to-${dateOnly(row.finish_filter) ?? 'now'}` : '';
    return { stream: Readable.from(read()), filename: `${name}${range}.csv`, size: Number(row.size_bytes ?? 0) };
  }

  private view(row: JobRow, baseUrl: string) {
    const url =
      row.status === 'DONE' && row.download_token && row.download_expires_at && row.download_expires_at.getTime() > Date.now()
        ? `${baseUrl}/${API_ROOT}/${row.business_id}/branch/${row.branch_id}/csvexportjob/${row.id}/download?token=${row.download_token}`
        : null;
    const view = {
      jobId: row.id,
      jobType: row.job_type,
      jobStatus: row.status,
      status: REFERENCE_STATUS[row.status],
      startFilter: dateOnly(row.start_filter),
      finishFilter: dateOnly(row.finish_filter),
      totalRows: row.total_rows,
      succeededRows: row.succeeded_rows,
      failureReason: row.failure_reason,
      tempCsvExternalUrl: url,
      downloadUrl: url,
      urlExpiresAt: url ? iso(row.download_expires_at) : null,
      sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
      started: iso(row.started_at),
      finished: iso(row.finished_at),
      createdAt: iso(row.created_at),
      version: row.version,
    };
    // Progress and the link's expiry change without the version: the ETag must see them.
    return withEtagState(view, `${row.status}|${row.total_rows}|${row.succeeded_rows}|${url ? 'link' : 'none'}`);
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
