import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';

/**
 * For a body whose visible state can change without its version (an export job's progress, a
 * download link that expires): a string describing that state, folded into the ETag. A symbol
 * key, so it never reaches the JSON.
 */
const ETAG_STATE = Symbol('etagState');

/** Marks `body` with the state its ETag must also follow (see ETAG_STATE); answers the body. */
export function withEtagState<T extends object>(body: T, state: string): T {
  Object.defineProperty(body, ETAG_STATE, { value: state, enumerable: false });
  return body;
}

interface Versioned {
  version?: number;
  [ETAG_STATE]?: string;
  [key: string]: unknown;
}

/**
 * Single-entity GETs carry an ETag built from the entity's id and version, and answer 304 to
 * a matching If-None-Match, so pollers skip unchanged records cheaply. A body without a
 * version (a booking) gets one from its id and its ETag state alone.
 */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | undefined> }>();
    const reply = http.getResponse<{ header(name: string, value: string): void; status(code: number): void }>();
    return next.handle().pipe(
      map((body: Versioned) => {
        if (!body || typeof body !== 'object') return body;
        const state = body[ETAG_STATE];
        const versioned = typeof body.version === 'number';
        if (!versioned && !state) return body;
        const id = Object.entries(body).find(([k, v]) => k.endsWith('Id') && typeof v === 'string')?.[1] ?? '';
        const hash = state ? createHash('sha256').update(state).digest('base64url').slice(0, 12) : '';
        const etag = versioned ? (state ? `"${id}.${body.version}.${hash}"` : `"${id}.${body.version}"`) : `"${id}.${hash}"`;
        reply.header('ETag', etag);
        reply.header('Cache-Control', 'private, no-cache');
        const ifNoneMatch = request.headers['if-none-match'];
        if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) {
          reply.status(304);
          return undefined;
        }
        return body;
      }),
    );
  }
}
