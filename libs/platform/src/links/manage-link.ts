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

const ID = /^[A-Za-z0-9_-]{22}$/;

/** 128 bits of HMAC-SHA256 are plenty against forgery and keep the link short for SMS. */
function sign(secret: string, payload: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
}

/**
 * Compact form (our 22-character ids): 3 x 16 id bytes + 4 expiry bytes, base64url, then the
 * signature: a 93-character token, so an SMS with the link stays within few segments. Other
 * ids fall back to a JSON payload, marked by a leading `j`.
 */
function encode(claims: ManageLinkClaims): Buffer {
  if ([claims.bookingId, claims.businessId, claims.branchId].every((id) => ID.test(id))) {
    const exp = Buffer.alloc(4);
    exp.writeUInt32BE(claims.exp);
    return Buffer.concat([Buffer.from(claims.bookingId, 'base64url'), Buffer.from(claims.businessId, 'base64url'), Buffer.from(claims.branchId, 'base64url'), exp]);
  }
  return Buffer.concat([Buffer.from('j'), Buffer.from(JSON.stringify(claims))]);
}

function decode(payload: Buffer): ManageLinkClaims {
  if (payload.length === 52) {
    return {
      bookingId: payload.subarray(0, 16).toString('base64url'),
      businessId: payload.subarray(16, 32).toString('base64url'),
      branchId: payload.subarray(32, 48).toString('base64url'),
      exp: payload.readUInt32BE(48),
    };
  }
  if (payload[0] !== 0x6a) throw new InvalidManageLinkError('malformed');
  return JSON.parse(payload.subarray(1).toString('utf8')) as ManageLinkClaims;
}

export function createManageToken(secret: string, claims: ManageLinkClaims): string {
  const payload = encode(claims);
  return `${payload.toString('base64url')}.${sign(secret, payload)}`;
}

export function verifyManageToken(secret: string, token: string, now = Date.now()): ManageLinkClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
    throw new InvalidManageLinkError('malformed');
  }
  const payload = Buffer.from(parts[0], 'base64url');
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(parts[1]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidManageLinkError('bad-signature');
  let claims: ManageLinkClaims;
  try {
    claims = decode(payload);
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
