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

  describe('verifyOnce', () => {
    /** A verification the test finishes when it chooses, counting how often it was started. */
    function slowVerify(result: () => Principal) {
      const running: { resolve: (p: Principal) => void; reject: (e: Error) => void }[] = [];
      const state = {
        calls: 0,
        finish: () => running.splice(0).forEach((r) => r.resolve(result())),
        fail: (err: Error) => running.splice(0).forEach((r) => r.reject(err)),
      };
      const verify = () => {
        state.calls++;
        return new Promise<Principal>((resolve, reject) => running.push({ resolve, reject }));
      };
      return { state, verify };
    }

    it('verifies once for every request that arrives while it runs, then answers from memory', async () => {
      const cache = new CredentialCache(60_000);
      const { state, verify } = slowVerify(() => principal('u1'));
      const waiting = Array.from({ length: 100 }, () => cache.verifyOnce('k', verify));
      expect(state.calls).toBe(1);
      state.finish();
      const principals = await Promise.all(waiting);
      expect(new Set(principals.map((p) => p.userId))).toEqual(new Set(['u1']));
      await expect(cache.verifyOnce('k', verify)).resolves.toMatchObject({ userId: 'u1' });
      expect(state.calls).toBe(1);
      expect(cache.get('k')?.userId).toBe('u1');
    });

    it('shares a failure with those who waited, remembers nothing, and verifies afresh next time', async () => {
      const cache = new CredentialCache(60_000);
      const { state, verify } = slowVerify(() => principal('u1'));
      const waiting = [cache.verifyOnce('k', verify), cache.verifyOnce('k', verify)];
      state.fail(new Error('wrong password'));
      for (const w of waiting) await expect(w).rejects.toThrow('wrong password');
      expect(cache.get('k')).toBeUndefined();
      const again = cache.verifyOnce('k', verify);
      expect(state.calls).toBe(2);
      state.finish();
      await expect(again).resolves.toMatchObject({ userId: 'u1' });
    });

    it('does not remember a verification begun before the user’s credentials changed', async () => {
      const cache = new CredentialCache(60_000);
      const { state, verify } = slowVerify(() => principal('u1'));
      const before = cache.verifyOnce('k', verify);
      cache.forgetUser('u1');
      // a request after the change does not join the old verification
      const after = cache.verifyOnce('k', verify);
      expect(state.calls).toBe(2);
      state.finish();
      await Promise.all([before, after]);
      const second = slowVerify(() => principal('u1'));
      const stale = cache.verifyOnce('k2', second.verify);
      cache.clear();
      second.state.finish();
      await stale;
      expect(cache.get('k2')).toBeUndefined();
    });

    it('keeps different credentials apart', async () => {
      const cache = new CredentialCache(60_000);
      const a = slowVerify(() => principal('a'));
      const b = slowVerify(() => principal('b'));
      const pa = cache.verifyOnce('ka', a.verify);
      const pb = cache.verifyOnce('kb', b.verify);
      a.state.finish();
      b.state.finish();
      await expect(pa).resolves.toMatchObject({ userId: 'a' });
      await expect(pb).resolves.toMatchObject({ userId: 'b' });
    });
  });
});
