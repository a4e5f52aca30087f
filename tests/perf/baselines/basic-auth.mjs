// The baselines' HTTP Basic check: the same cache-then-argon2 scheme as core-api's
// BasicAuthGuard and CredentialCache (hashed header -> cached principal for `ttlMs`; on a miss,
// the user's row and an argon2 verification, one at a time per credential, shared by the
// requests that arrive meanwhile), so the baselines pay what any server must for it.
import { verify } from '@node-rs/argon2';
import { createHash } from 'node:crypto';

/**
 * `findUser(email)`: the api_user row (id, business_id, role, password_hash) or undefined;
 * `unauthorized()`: the error to throw. Returns `authenticate(header)` -> principal.
 */
export function basicAuthenticator({ findUser, unauthorized, ttlMs }) {
  const principals = new Map();
  const verifying = new Map();

  async function verifyHeader(header) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized();
    const username = decoded.slice(0, colon).trim().toLowerCase();
    const email = username.startsWith('global/') ? username.slice(7) : username;
    const user = await findUser(email);
    if (!user || !(await verify(user.password_hash, decoded.slice(colon + 1)).catch(() => false))) throw unauthorized();
    return { userId: user.id, businessId: user.business_id, role: user.role };
  }

  return async function authenticate(header) {
    if (!header || !/^Basic [A-Za-z0-9+/=]{4,1024}$/.test(header)) throw unauthorized();
    const key = createHash('sha256').update(header).digest('base64url');
    const cached = principals.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    let running = verifying.get(key);
    if (!running) {
      running = verifyHeader(header)
        .then((principal) => {
          principals.set(key, { principal, expiresAt: Date.now() + ttlMs });
          return principal;
        })
        .finally(() => verifying.delete(key));
      verifying.set(key, running);
    }
    return running;
  };
}
