import { createHash } from 'node:crypto';
import { ApiError } from '@chairbook/platform';
import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Principal } from '../../modules/auth/principal';
import { ABANDONED_MS, IDEMPOTENT_IN_TRANSACTION, IdempotencyKeyTaken, IdempotencyRequestScope, IdempotencyScope, TTL_MS } from './idempotency-scope';

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
 *
 * Routes marked `@IdempotentInTransaction()` (booking create, activate, cancel; purchases) claim
 * the key and store their answer inside the work's own transaction (see IdempotencyScope): the
 * answer commits with the booking, so a retry after an answer lost on the way (connection cut
 * after the commit, a timeout at the edge) gets the original 201 back, and a request that did
 * not commit leaves no claim behind. Concurrent requests with one key queue on the key's row.
 * Other POSTs claim the key in a statement of their own before running (a claim left by a
 * request that died is taken over after 60 s).
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
    return from(this.run(request, http.getResponse<IdemReply>(), key, status, context.getHandler(), next));
  }

  private async run(request: IdemRequest, reply: IdemReply, key: string, status: number, handler: object, next: CallHandler): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw ApiError.badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 printable characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
    }
    const userId = request.principal!.userId;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const now = Date.now();
    if (Reflect.getMetadata(IDEMPOTENT_IN_TRANSACTION, handler)) return this.runInTransaction(reply, { userId, key, hash, status, answered: false }, next);
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

  /** The key is claimed and answered by the work's transaction; here only replays and refusals. */
  private async runInTransaction(reply: IdemReply, scope: IdempotencyRequestScope, next: CallHandler): Promise<unknown> {
    const { userId, key, hash, status } = scope;
    const replayed = await this.replayStored(reply, scope, false);
    if (replayed) return replayed.body;
    try {
      // next.handle() binds the handler to the async context it is called in: the scope.
      const body = await IdempotencyScope.run(scope, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      // Work that ended without joining a transaction (nothing to claim): keep its answer all the same.
      if (!scope.answered) await this.storeIfUnanswered(userId, key, hash, status, body);
      return body;
    } catch (err) {
      if (err instanceof IdempotencyKeyTaken) return (await this.replayStored(reply, scope, true))?.body;
      if (err instanceof HttpException && err.getStatus() < 500) {
        // A refusal rolled the work (and its claim) back: keep the refusal as the key's answer.
        await this.storeIfUnanswered(userId, key, hash, err.getStatus(), { __error: err.getResponse() }).catch(() => undefined);
      }
      // Otherwise nothing to undo: either the transaction (claim and answer) committed, and a
      // retry replays it, or it rolled back, and a retry runs again.
      throw err;
    }
  }

  /**
   * The key's stored answer, replayed (`{ body }`); 422 for the key used with another body.
   * Nothing stored: undefined, or (`taken`: a request with the key got in first) 409 in progress.
   */
  private async replayStored(reply: IdemReply, scope: IdempotencyRequestScope, taken: boolean): Promise<{ body: unknown } | undefined> {
    const [stored]: Stored[] = await this.dataSource.query(
      'SELECT request_hash, status_code, response_body, created_at FROM idempotency_key WHERE user_id = ? AND idem_key = ? AND expires_at > ?',
      [scope.userId, scope.key, new Date()],
    );
    if (stored && stored.request_hash !== scope.hash) {
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request; use a new key');
    }
    if (stored && stored.status_code !== null) return { body: this.replay(reply, stored) };
    if (taken) throw ApiError.conflict('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being handled; retry in a moment');
    return undefined;
  }

  /** The answer, unless the key already has one (or belongs to another request). */
  private async storeIfUnanswered(userId: string, key: string, hash: string, status: number, body: unknown): Promise<void> {
    const now = Date.now();
    await this.dataSource.query(
      `INSERT INTO idempotency_key (user_id, idem_key, request_hash, status_code, response_body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
         response_body = IF(status_code IS NULL AND request_hash = VALUES(request_hash), VALUES(response_body), response_body),
         status_code = IF(status_code IS NULL AND request_hash = VALUES(request_hash), VALUES(status_code), status_code)`,
      [userId, key, hash, status, JSON.stringify(body ?? null), new Date(now), new Date(now + TTL_MS)],
    );
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
