import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The customer's "manage my booking" link: a signed, expiring token that names one booking.
 * Messaging puts it in confirmations and reminders; the booking site verifies it. Both share
 * LINK_SIGNING_SECRET; nothing else is needed to check a link (no lookup, no session).
 */
export interface ManageLinkClaims {
  bookingId: string;
  businessId: string;
  branchId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export class InvalidManageLinkError extends Error {
  constructor(readonly reason: 'malformed' | 'bad-signature' | 'expired') {
    super(`manage link is ${reason === 'bad-signature' ? 'not genuine' : reason}`);
    this.name = 'InvalidManageLinkError';
  }
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function createManageToken(secret: string, claims: ManageLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyManageToken(secret: string, token: string, now = Date.now()): ManageLinkClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || token.length > 2048) throw new InvalidManageLinkError('malformed');
  const [payload, signature] = parts;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidManageLinkError('bad-signature');
  let claims: ManageLinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ManageLinkClaims;
  } catch {
    throw new InvalidManageLinkError('malformed');
  }
  if (typeof claims.bookingId !== 'string' || typeof claims.exp !== 'number') throw new InvalidManageLinkError('malformed');
  if (claims.exp * 1000 < now) throw new InvalidManageLinkError('expired');
  return claims;
}

/** The URL customers click: `<BOOKING_PUBLIC_URL>/book/manage/<token>`. */
export function manageLinkUrl(bookingPublicUrl: string, token: string): string {
  return `${bookingPublicUrl.replace(/\/$/, '')}/book/manage/${token}`;
}
