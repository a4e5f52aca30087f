import { randomBytes } from 'node:crypto';

/** Opaque 22-character URL-safe ids, the same shape as Phorest's, never guessable. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}
