import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time (as the uuid package does): one call into the CSPRNG
// per 256 ids instead of one per id (each call also makes an async-hooks resource).
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

/** Opaque 22-character URL-safe ids, the same shape as Phorest's, never guessable. */
export function newId(): string {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  offset += 16;
  return POOL.toString('base64url', offset - 16, offset);
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}
