import { isId, newId } from './ids';

describe('newId', () => {
  it('gives 22-character URL-safe ids, all different across many refills of the random pool', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(ids.every(isId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads its bits: every position takes many different characters', () => {
    const ids = Array.from({ length: 2_000 }, () => newId());
    // The last character carries 2 random bits of 128 (the rest is padding of the 16 bytes).
    for (let i = 0; i < 21; i++) expect(new Set(ids.map((id) => id[i])).size).toBeGreaterThan(40);
    expect(new Set(ids.map((id) => id[21])).size).toBe(4);
  });

  it('tells ids from other strings', () => {
    expect(isId('abc')).toBe(false);
    expect(isId(`${newId()}x`)).toBe(false);
    expect(isId(42)).toBe(false);
  });
});
