import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an email unsubscribe link names: a business's client at one address. No expiry (RFC 8058 links must keep working). */
export interface UnsubscribeClaims {
  businessId: string;
  clientId: string;
  email: string;
}

const sign = (secret: string, payload: string) => createHmac('sha256', `unsubscribe:${secret}`).update(payload).digest('base64url');

export function unsubscribeToken(secret: string, claims: UnsubscribeClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.businessId, claims.clientId, claims.email])).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaims | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 1024) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [businessId, clientId, email] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as string[];
    return typeof businessId === 'string' && typeof clientId === 'string' && typeof email === 'string' ? { businessId, clientId, email } : null;
  } catch {
    return null;
  }
}

export const UNSUBSCRIBE_PATH = '/messaging/unsubscribe';

export function unsubscribeUrl(publicUrl: string, secret: string, claims: UnsubscribeClaims): string {
  return `${publicUrl}${UNSUBSCRIBE_PATH}/${unsubscribeToken(secret, claims)}`;
}
