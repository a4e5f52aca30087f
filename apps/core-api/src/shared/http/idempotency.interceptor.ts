import { createHash } from 'node:crypto';
import { ApiError } from '@chairbook/platform';
import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Principal } from '../../modules/auth/principal';

const TTL_MS = 24 * 3_600_000;
/** A claim older than this with no answer is from a crashed request: a retry may take over. */
const ABANDONED_MS = 60_000;

type IdemRequest = { method: string; url: string; body?: unknown; headers: Record<string, string | undefined>; principal?: Principal };
type IdemReply = { status(code: number): void; header(name: string, value: string): void };

interface Stored {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: Date;
}

/**
 * `Idempotency-Key` on any POST: the first request with a key runs and its answer (success or
 * refusal) is kept for 24 hours; a retry with the same key and body gets that answer back
 * (`Idempotent-Replayed: true`) instead of acting twice; the same key with a different body
 * is 422. A double click on "Book" books once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<IdemRequest>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    // The status Nest will answer with: the handler's @HttpCode, else 201 for a POST.
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
    return from(this.run(request, http.getResponse<IdemReply>(), key, status, next));
  }

  private async run(request: IdemRequest, reply: IdemReply, key: string, status: number, next: CallHandler): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw ApiError.badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 printable characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
    }
    const userId = request.principal!.userId;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const now = Date.now();
    const claimed = await this.claim(userId, key, hash, now);
    if (!claimed) {
      const [stored]: Stored[] = await this.dataSource.query('SELECT request_hash, status_code, response_body, created_at FROM idempotency_key WHERE user_id = ? AND idem_key = ?', [userId, key]);
      if (stored && stored.request_hash !== hash) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request; use a new key');
      }
      if (stored && stored.status_code !== null) return this.replay(reply, stored);
      const takeOver: { affectedRows: number } = await this.dataSource.query(
        'UPDATE idempotency_key SET created_at = ? WHERE user_id = ? AND idem_key = ? AND status_code IS NULL AND created_at < ?',
        [new Date(now), userId, key, new Date(now - ABANDONED_MS)],
      );
      if (!takeOver.affectedRows) throw ApiError.conflict('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being handled; retry in a moment');
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store(userId, key, status, body);
      return body;
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() < 500) {
        await this.store(userId, key, err.getStatus(), { __error: err.getResponse() });
      } else {
        // Nothing was decided: let a retry run again.
        await this.dataSource.query('DELETE FROM idempotency_key WHERE user_id = ? AND idem_key = ? AND status_code IS NULL', [userId, key]).catch(() => undefined);
      }
      throw err;
    }
  }

  private async claim(userId: string, key: string, hash: string, now: number): Promise<boolean> {
    const result: { affectedRows: number } = await this.dataSource.query(
      'INSERT IGNORE INTO idempotency_key (user_id, idem_key, request_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [userId, key, hash, new Date(now), new Date(now + TTL_MS)],
    );
    if (result.affectedRows) return true;
    // An expired key (not yet swept) can be reused.
    const reclaimed: { affectedRows: number } = await this.dataSource.query(
      'UPDATE idempotency_key SET request_hash = ?, status_code = NULL, response_body = NULL, created_at = ?, expires_at = ? WHERE user_id = ? AND idem_key = ? AND expires_at <= ?',
      [hash, new Date(now), new Date(now + TTL_MS), userId, key, new Date(now)],
    );
    return reclaimed.affectedRows > 0;
  }

  private async store(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query('UPDATE idempotency_key SET status_code = ?, response_body = ? WHERE user_id = ? AND idem_key = ?', [status, JSON.stringify(body ?? null), userId, key]);
  }

  private replay(reply: IdemReply, stored: Stored): unknown {
    const body = JSON.parse(stored.response_body ?? 'null') as { __error?: unknown } | null;
    reply.header('Idempotent-Replayed', 'true');
    if (body && typeof body === 'object' && '__error' in body) {
      throw new HttpException(body.__error as Record<string, unknown>, stored.status_code!);
    }
    reply.status(stored.status_code!);
    return body;
  }
}
