import { randomBytes } from 'node:crypto';
import { LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { BranchInfo, ExportJob, producerFor } from './export-producers';

/** How long a claimed job is ours without a sign of life; each chunk written extends it. */
const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 3;
const IDLE_POLL_MS = 1_000;
/** How long the download link works after the export finished. */
export const DOWNLOAD_TTL_HOURS = 24;

class LeaseLost extends Error {}
class Stopping extends Error {}

/**
 * Runs CSV export jobs in every copy of core-api. A copy claims the oldest PENDING job (or
 * one whose lease ran out: its copy died) with SELECT … FOR UPDATE SKIP LOCKED, so copies
 * never wait on or run the same job. The attempt number taken at the claim fences the job:
 * every chunk is written together with `UPDATE … WHERE attempts = <ours>`, so a copy that lost
 * its lease stops instead of mixing its rows into the new attempt. Progress (totalRows,
 * succeededRows) is visible while it runs.
 */
@Injectable()
export class ExportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private again = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(IDLE_POLL_MS);
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** A job was just created here: look now rather than at the next poll. */
  wake(): void {
    if (this.stopping) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopping) return;
    let worked = false;
    this.running = (async () => {
      try {
        worked = await this.runOne();
      } catch (err) {
        this.logger.warn({ err }, 'export worker pass failed; will retry');
      }
    })();
    await this.running;
    this.running = undefined;
    const soon = worked || this.again;
    this.again = false;
    this.schedule(soon ? 0 : IDLE_POLL_MS);
  }

  /** Claims and runs one job; false when there was nothing to do. */
  async runOne(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) return false;
    const { job, attempt, branch } = claimed;
    try {
      if (attempt > MAX_ATTEMPTS) {
        await this.finishFailed(job.id, attempt, `Gave up after ${MAX_ATTEMPTS} attempts`);
        return true;
      }
      await this.produce(job, attempt, branch);
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.logger.warn({ jobId: job.id }, 'export lease lost to another copy; stopping this attempt');
      } else if (err instanceof Stopping) {
        // Hand the job back untouched by this attempt: the next copy starts it afresh.
        await this.dataSource.query(
          "UPDATE csv_export_job SET status = 'PENDING', lease_until = NULL, attempts = attempts - 1 WHERE id = ? AND attempts = ?",
          [job.id, attempt],
        );
      } else {
        this.logger.error({ err, jobId: job.id }, 'export failed');
        await this.finishFailed(job.id, attempt, 'The export failed on our side; start a new one');
      }
    }
    return true;
  }

  private async claim(): Promise<{ job: ExportJob; attempt: number; branch: BranchInfo } | null> {
    // Copies claim at the same time: READ COMMITTED takes no gap locks on the chunk index, and
    // a deadlock that still happens just means "try again".
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.claimOnce();
      } catch (err) {
        if (attempt >= 5 || !/ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT/.test(String((err as { driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code))) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  private async claimOnce(): Promise<{ job: ExportJob; attempt: number; branch: BranchInfo } | null> {
    return this.dataSource.transaction('READ COMMITTED', async (m) => {
      const [candidate]: { id: string }[] = await m.query(
        `SELECT id FROM csv_export_job
          WHERE status = 'PENDING' OR (status = 'IN_PROGRESS' AND lease_until < NOW(3))
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!candidate) return null;
      await m.query(
        `UPDATE csv_export_job SET status = 'IN_PROGRESS', attempts = attempts + 1, lease_until = NOW(3) + INTERVAL ${LEASE_SECONDS} SECOND,
           started_at = NOW(3), total_rows = NULL, succeeded_rows = 0, updated_at = NOW(3) WHERE id = ?`,
        [candidate.id],
      );
      await m.query('DELETE FROM csv_export_chunk WHERE job_id = ?', [candidate.id]);
      const [job]: (ExportJob & { attempts: number; time_zone: string; currency: string })[] = await m.query(
        'SELECT j.*, b.time_zone, b.currency FROM csv_export_job j JOIN branch b ON b.id = j.branch_id WHERE j.id = ?',
        [candidate.id],
      );
      return { job, attempt: job.attempts, branch: { time_zone: job.time_zone, currency: job.currency } };
    });
  }

  private async produce(job: ExportJob, attempt: number, branch: BranchInfo): Promise<void> {
    const producer = producerFor(job, branch);
    const total = await producer.count(this.dataSource.manager);
    let seq = 0;
    let rows = 0;
    let bytes = 0;
    // The header is chunk 0, with the total; then one chunk per batch.
    await this.writeChunk(job.id, attempt, seq++, producer.header, { total_rows: total, succeeded_rows: 0 });
    bytes += Buffer.byteLength(producer.header);
    for (;;) {
      if (this.stopping) throw new Stopping();
      const batch = await producer.next(this.dataSource.manager);
      if (!batch) break;
      rows += batch.rows;
      bytes += Buffer.byteLength(batch.text);
      await this.writeChunk(job.id, attempt, seq++, batch.text, { succeeded_rows: rows, total_rows: Math.max(total, rows) });
    }
    const result: { affectedRows: number } = await this.dataSource.query(
      `UPDATE csv_export_job SET status = 'DONE', finished_at = NOW(3), lease_until = NULL, total_rows = ?, succeeded_rows = ?, size_bytes = ?,
         download_token = ?, download_expires_at = NOW(3) + INTERVAL ${DOWNLOAD_TTL_HOURS} HOUR, failure_reason = NULL, version = version + 1, updated_at = NOW(3)
       WHERE id = ? AND attempts = ? AND status = 'IN_PROGRESS'`,
      [rows, rows, bytes, randomBytes(32).toString('base64url'), job.id, attempt],
    );
    if (!result.affectedRows) throw new LeaseLost();
  }

  /** Stores a chunk and the progress in one transaction, only while the job is still this attempt's. */
  private async writeChunk(
    jobId: string,
    attempt: number,
    seq: number,
    text: string,
    progress: { total_rows: number; succeeded_rows: number },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const result: { affectedRows: number } = await m.query(
        `UPDATE csv_export_job SET total_rows = ?, succeeded_rows = ?, lease_until = NOW(3) + INTERVAL ${LEASE_SECONDS} SECOND, updated_at = NOW(3)
          WHERE id = ? AND attempts = ? AND status = 'IN_PROGRESS'`,
        [progress.total_rows, progress.succeeded_rows, jobId, attempt],
      );
      if (!result.affectedRows) throw new LeaseLost();
      await m.query('INSERT INTO csv_export_chunk (job_id, seq, data) VALUES (?, ?, ?)', [jobId, seq, Buffer.from(text, 'utf8')]);
    });
  }

  private async finishFailed(jobId: string, attempt: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE csv_export_job SET status = 'FAILED', failure_reason = ?, finished_at = NOW(3), lease_until = NULL, version = version + 1, updated_at = NOW(3)
        WHERE id = ? AND attempts = ?`,
      [reason, jobId, attempt],
    );
    await this.dataSource.query('DELETE FROM csv_export_chunk WHERE job_id = ?', [jobId]);
  }
}
