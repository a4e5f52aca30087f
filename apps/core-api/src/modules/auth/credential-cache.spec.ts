import { CredentialCache } from './credential-cache';
import type { Principal } from './principal';

const principal = (userId: string): Principal => ({ userId, businessId: 'b', email: `${userId}@x`, role: 'OWNER', staffId: null, version: 1 });

describe('CredentialCache', () => {
  it('remembers a verified credential until its TTL passes', () => {
    const cache = new CredentialCache(1_000);
    const key = CredentialCache.keyOf('Basic abc');
    cache.set(key, principal('u1'), 0);
    expect(cache.get(key, 999)?.userId).toBe('u1');
    expect(cache.get(key, 1_000)).toBeUndefined();
  });

  it('keys by a hash of the header, never the header itself', () => {
    const key = CredentialCache.keyOf('Basic Z2xvYmFsL2FAYi5jOnNlY3JldA==');
    expect(key).not.toContain('Z2xvYmFs');
    expect(key).toHaveLength(43);
  });

  it('forgets every entry of a user whose credentials changed', () => {
    const cache = new CredentialCache(60_000);
    cache.set('k1', principal('u1'), 0);
    cache.set('k2', principal('u1'), 0);
    cache.set('k3', principal('u2'), 0);
    cache.forgetUser('u1');
    expect(cache.get('k1', 1)).toBeUndefined();
    expect(cache.get('k2', 1)).toBeUndefined();
    expect(cache.get('k3', 1)?.userId).toBe('u2');
  });

  it('evicts the oldest entry when full', () => {
    const cache = new CredentialCache(60_000, 2);
    cache.set('a', principal('a'), 0);
    cache.set('b', principal('b'), 0);
    cache.set('c', principal('c'), 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)?.userId).toBe('c');
  });
});
