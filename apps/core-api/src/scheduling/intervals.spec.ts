import {
  containedInMerged,
  mergeIntervals,
  occupancyProfile,
  overlaps,
  overlapsMerged,
  peakOccupancy,
  subtractIntervals,
} from './intervals';
import type { Interval } from './types';

/** Tables use plain numbers: [[0, 10], [20, 30]] is two intervals. */
type Pairs = ReadonlyArray<readonly [number, number]>;
const iv = (pairs: Pairs): Interval[] => pairs.map(([start, end]) => ({ start, end }));
const pairs = (intervals: readonly Interval[]): number[][] => intervals.map((i) => [i.start, i.end]);

describe('overlaps (half-open)', () => {
  it.each`
    a          | b           | expected
    ${[0, 10]} | ${[10, 20]} | ${false}
    ${[0, 10]} | ${[9, 20]}  | ${true}
    ${[0, 10]} | ${[-5, 1]}  | ${true}
    ${[0, 10]} | ${[2, 3]}   | ${true}
    ${[0, 10]} | ${[-5, 0]}  | ${false}
    ${[0, 10]} | ${[5, 5]}   | ${false}
  `('$a and $b -> $expected', ({ a, b, expected }) => {
    const [x, y] = iv([a, b]);
    expect(overlaps(x, y)).toBe(expected);
    expect(overlaps(y, x)).toBe(expected);
  });
});

describe('mergeIntervals', () => {
  it.each<{ name: string; input: Pairs; expected: number[][] }>([
    { name: 'empty', input: [], expected: [] },
    {
      name: 'unsorted disjoint',
      input: [
        [20, 30],
        [0, 10],
      ],
      expected: [
        [0, 10],
        [20, 30],
      ],
    },
    {
      name: 'overlapping',
      input: [
        [0, 10],
        [5, 15],
      ],
      expected: [[0, 15]],
    },
    {
      name: 'adjacent join',
      input: [
        [0, 10],
        [10, 20],
      ],
      expected: [[0, 20]],
    },
    {
      name: 'contained',
      input: [
        [0, 30],
        [5, 10],
        [12, 20],
      ],
      expected: [[0, 30]],
    },
    {
      name: 'empty and inverted dropped',
      input: [
        [5, 5],
        [9, 3],
        [0, 1],
      ],
      expected: [[0, 1]],
    },
    {
      name: 'chain',
      input: [
        [40, 50],
        [0, 10],
        [8, 20],
        [20, 25],
        [30, 35],
      ],
      expected: [
        [0, 25],
        [30, 35],
        [40, 50],
      ],
    },
  ])('$name', ({ input, expected }) => {
    expect(pairs(mergeIntervals(iv(input)))).toEqual(expected);
  });
});

describe('subtractIntervals', () => {
  it.each<{ name: string; base: Pairs; blocks: Pairs; expected: number[][] }>([
    {
      name: 'nothing to cut',
      base: [[0, 100]],
      blocks: [],
      expected: [[0, 100]],
    },
    {
      name: 'break in the middle',
      base: [[0, 100]],
      blocks: [[40, 50]],
      expected: [
        [0, 40],
        [50, 100],
      ],
    },
    {
      name: 'cut at the start',
      base: [[0, 100]],
      blocks: [[-10, 10]],
      expected: [[10, 100]],
    },
    {
      name: 'cut at the end',
      base: [[0, 100]],
      blocks: [[90, 120]],
      expected: [[0, 90]],
    },
    {
      name: 'whole day off',
      base: [[0, 100]],
      blocks: [[-1, 101]],
      expected: [],
    },
    {
      name: 'touching blocks cut nothing',
      base: [[10, 20]],
      blocks: [
        [0, 10],
        [20, 30],
      ],
      expected: [[10, 20]],
    },
    {
      name: 'one block spans two intervals',
      base: [
        [0, 10],
        [20, 30],
      ],
      blocks: [[5, 25]],
      expected: [
        [0, 5],
        [25, 30],
      ],
    },
    {
      name: 'several blocks, unsorted, overlapping each other',
      base: [
        [0, 100],
        [200, 300],
      ],
      blocks: [
        [250, 260],
        [10, 20],
        [15, 30],
        [90, 210],
      ],
      expected: [
        [0, 10],
        [30, 90],
        [210, 250],
        [260, 300],
      ],
    },
  ])('$name', ({ base, blocks, expected }) => {
    expect(pairs(subtractIntervals(iv(base), iv(blocks)))).toEqual(expected);
  });
});

describe('queries on merged lists', () => {
  const list = iv([
    [0, 10],
    [20, 30],
    [40, 50],
  ]);
  it.each`
    query       | overlapsAny | containedInOne
    ${[10, 20]} | ${false}    | ${false}
    ${[9, 11]}  | ${true}     | ${false}
    ${[20, 30]} | ${true}     | ${true}
    ${[21, 29]} | ${true}     | ${true}
    ${[25, 45]} | ${true}     | ${false}
    ${[50, 60]} | ${false}    | ${false}
    ${[-5, 0]}  | ${false}    | ${false}
    ${[0, 1]}   | ${true}     | ${true}
  `('$query: overlaps=$overlapsAny contained=$containedInOne', ({ query, overlapsAny, containedInOne }) => {
    expect(overlapsMerged(list, query[0], query[1])).toBe(overlapsAny);
    expect(containedInMerged(list, query[0], query[1])).toBe(containedInOne);
  });
});

describe('occupancy', () => {
  const usages = iv([
    [0, 10],
    [5, 15],
    [5, 8],
    [20, 30],
    [30, 40],
  ]);

  it('builds the step function', () => {
    expect(occupancyProfile(usages).map((s) => [s.start, s.end, s.count])).toEqual([
      [0, 5, 1],
      [5, 8, 3],
      [8, 10, 2],
      [10, 15, 1],
      [20, 40, 1], // back-to-back usages with the same count are one piece
    ]);
  });

  it.each<{ query: [number, number]; extra: Pairs; peak: number }>([
    { query: [0, 5], extra: [], peak: 1 },
    { query: [0, 6], extra: [], peak: 3 },
    { query: [8, 20], extra: [], peak: 2 },
    { query: [15, 20], extra: [], peak: 0 },
    {
      query: [15, 20],
      extra: [
        [10, 16],
        [19, 25],
      ],
      peak: 1,
    },
    {
      query: [15, 20],
      extra: [
        [10, 18],
        [17, 25],
      ],
      peak: 2,
    },
    { query: [25, 35], extra: [[29, 31]], peak: 2 },
    { query: [0, 40], extra: [[6, 7]], peak: 4 },
    { query: [40, 50], extra: [[30, 40]], peak: 0 },
  ])('peak over $query with extra $extra is $peak', ({ query, extra, peak }) => {
    expect(peakOccupancy(occupancyProfile(usages), query[0], query[1], iv(extra))).toBe(peak);
  });
});
