import { BranchRowCache } from './branch-row.cache';
import type { BranchRow } from './branch.view';

const row = (id: string, businessId: string, version: string | null = '7') => ({ id, business_id: businessId, calendar_version: version }) as BranchRow;

describe('BranchRowCache', () => {
  it('answers only for the business the branch belongs to', () => {
    const cache = new BranchRowCache();
    cache.remember(row('b1', 'biz1'));
    expect(cache.get('b1', 'biz1')?.calendar_version).toBe('7');
    expect(cache.get('b1', 'biz2')).toBeUndefined();
    expect(cache.get('b2', 'biz1')).toBeUndefined();
  });

  it('keeps the latest row of a branch and forgets on request', () => {
    const cache = new BranchRowCache();
    cache.remember(row('b1', 'biz1', '7'));
    cache.remember(row('b1', 'biz1', '8'));
    expect(cache.get('b1', 'biz1')?.calendar_version).toBe('8');
    cache.forget('b1');
    expect(cache.get('b1', 'biz1')).toBeUndefined();
  });

  it('ignores a row read without its calendar version (it could not be checked later)', () => {
    const cache = new BranchRowCache();
    cache.remember({ id: 'b1', business_id: 'biz1' } as BranchRow);
    expect(cache.get('b1', 'biz1')).toBeUndefined();
    // null is a version: the business has had no set-up change yet
    cache.remember(row('b1', 'biz1', null));
    expect(cache.get('b1', 'biz1')).toBeDefined();
  });

  it('drops the branch stored longest ago beyond 10,000', () => {
    const cache = new BranchRowCache();
    for (let i = 0; i <= 10_000; i++) cache.remember(row(`b${i}`, 'biz'));
    expect(cache.get('b0', 'biz')).toBeUndefined();
    expect(cache.get('b1', 'biz')).toBeDefined();
    // stored again, b1 moves to the back of the line: b2 goes next
    cache.remember(row('b1', 'biz'));
    cache.remember(row('b10001', 'biz'));
    expect(cache.get('b1', 'biz')).toBeDefined();
    expect(cache.get('b2', 'biz')).toBeUndefined();
  });
});
