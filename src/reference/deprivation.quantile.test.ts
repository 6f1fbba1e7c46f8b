import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutOffs, decileOfRank, groupOfRank, quintileOfRank } from './deprivation.quantile.ts';

// The official rule, written out literally: walk the cut-offs floor(N·d/10) until the rank fits.
function byCutOffWalk(rank: number, n: number, groups: number): number {
  for (let d = 1; d <= groups; d++) if (rank <= Math.floor((n * d) / groups)) return d;
  throw new Error('rank above N');
}
const naive = (rank: number, n: number) => Math.floor(((rank - 1) * 10) / n) + 1;

describe('official decile cut-offs', () => {
  it('England (N = 32,844): each decile ends at floor(N·d/10) and the next rank starts the next decile', () => {
    const n = 32_844;
    for (let d = 1; d <= 10; d++) {
      const last = Math.floor((n * d) / 10);
      expect(decileOfRank(last, n)).toBe(d);
      if (d < 10) expect(decileOfRank(last + 1, n)).toBe(d + 1);
    }
    expect(cutOffs(n, 10).at(-1)).toBe(n);
  });

  it('worked by hand for N = 15: cut-offs 1, 3, 4, 6, 7, 9, 10, 12, 13, 15', () => {
    // 15·1/10 = 1.5 -> 1; 15·2/10 = 3; 4.5 -> 4; 6; 7.5 -> 7; 9; 10.5 -> 10; 12; 13.5 -> 13; 15.
    expect(cutOffs(15, 10)).toEqual([1, 3, 4, 6, 7, 9, 10, 12, 13, 15]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((rank) => decileOfRank(rank, 15))).toEqual([
      1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 10, 10,
    ]);
    // The shortcut puts rank 2 in decile 1 (floor(1·10/15) + 1 = 1), though decile 1 ends at rank 1.
    expect(naive(2, 15)).toBe(1);
  });

  it('fewer areas than groups leaves some groups empty rather than inventing areas', () => {
    // N = 5: cut-offs 0, 1, 1, 2, 2, 3, 3, 4, 4, 5; decile 1 is empty.
    expect(cutOffs(5, 10)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect([1, 2, 3, 4, 5].map((rank) => decileOfRank(rank, 5))).toEqual([2, 4, 6, 8, 10]);
  });

  it('quintiles use the same rule with 5 groups (Wales, N = 1,909)', () => {
    const n = 1_909;
    for (let q = 1; q <= 5; q++) {
      const last = Math.floor((n * q) / 5);
      expect(quintileOfRank(last, n)).toBe(q);
      if (q < 5) expect(quintileOfRank(last + 1, n)).toBe(q + 1);
    }
  });

  it('agrees with walking the cut-offs for any N, rank and number of groups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, groups, at) => {
        const rank = Math.min(n, 1 + Math.floor(at * n));
        return groupOfRank(rank, n, groups) === byCutOffWalk(rank, n, groups);
      }),
    );
  });

  it('the shortcut formula disagrees with the official rule at some English ranks', () => {
    const n = 32_844;
    let disagreements = 0;
    for (let rank = 1; rank <= n; rank++) if (naive(rank, n) !== byCutOffWalk(rank, n, 10)) disagreements++;
    // The shortcut moves the first rank after each cut-off floor(N·d/10) back into decile d whenever
    // N·d/10 has a fractional part: one rank per such cut-off (for N = 32,844, every d but 5).
    const fractional = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => (n * d) % 10 !== 0).length;
    expect(disagreements).toBe(fractional);
    for (let rank = 1; rank <= n; rank++) expect(decileOfRank(rank, n)).toBe(byCutOffWalk(rank, n, 10));
  });

  it('refuses ranks outside 1..N', () => {
    expect(() => decileOfRank(0, 10)).toThrow(RangeError);
    expect(() => decileOfRank(11, 10)).toThrow(/above/);
    expect(() => decileOfRank(1.5, 10)).toThrow(RangeError);
  });
});
