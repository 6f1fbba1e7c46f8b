import { describe, expect, it } from 'vitest';
import { nationalDisclosureRule, nhsDisclosureRule } from './disclosure.ts';
import { solvableColumns, suppressCells, type Family } from './suppression.ts';

const hiddenOf = (result: { hidden: boolean[] }) => result.hidden.flatMap((h, i) => (h ? [i] : []));

describe('suppressCells: primary suppression', () => {
  it('hides 1 to 7 and nothing else when no family needs more', () => {
    const values = [0, 1, 7, 8, 100];
    const result = suppressCells(values, [], nhsDisclosureRule);
    expect(hiddenOf(result)).toEqual([1, 2]);
    expect(result.reason).toEqual([null, 'primary', 'primary', null, null]);
  });

  it('hides nothing under the national rule, whatever the families', () => {
    const values = [10, 3, 7];
    const families: Family[] = [{ total: 0, parts: [1, 2] }];
    expect(hiddenOf(suppressCells(values, families, nationalDisclosureRule))).toEqual([]);
  });
});

describe('suppressCells: the pairwise rule', () => {
  it('hides the next-smallest non-zero part when one part of a shown total is hidden', () => {
    // total 115 = 3 + 0 + 12 + 100: 3 is hidden, so 12 (the smallest non-zero shown part) is too;
    // the zero is skipped.
    const values = [115, 3, 0, 12, 100];
    const result = suppressCells(values, [{ total: 0, parts: [1, 2, 3, 4] }], nhsDisclosureRule);
    expect(hiddenOf(result)).toEqual([1, 3]);
    expect(result.reason[3]).toBe('secondary');
  });

  it('does nothing when two parts are already hidden', () => {
    const values = [20, 15, 3, 2];
    expect(hiddenOf(suppressCells(values, [{ total: 0, parts: [1, 2, 3] }], nhsDisclosureRule))).toEqual([2, 3]);
  });

  it('hides a part when the total is the only hidden cell', () => {
    // F1: T = 30 = 12 + 18. F2: U = 35 = T + 5. The 5 is hidden, so F2's other part, T, is hidden;
    // then T would be 12 + 18 from F1, so F1's smallest part, 12, is hidden too.
    const values = [30, 12, 18, 35, 5];
    const families: Family[] = [
      { total: 0, parts: [1, 2], label: 'F1' },
      { total: 3, parts: [0, 4], label: 'F2' },
    ];
    const result = suppressCells(values, families, nhsDisclosureRule);
    expect(hiddenOf(result)).toEqual([0, 1, 4]);
    expect(result.reason).toEqual(['secondary', 'secondary', null, null, 'primary']);
  });

  it('hides the total of a one-part family (two cells that are equal by definition) when the part is hidden', () => {
    // Cells: x = 3, y = 20, y' = 20, T = 23. T = x + y, and y' = y (one-part family).
    const values = [3, 20, 20, 23];
    const families: Family[] = [
      { total: 3, parts: [0, 1] },
      { total: 2, parts: [1] },
    ];
    expect(hiddenOf(suppressCells(values, families, nhsDisclosureRule))).toEqual([0, 1, 2]);
  });

  it('follows a chain: a secondary suppression in one family creates a single in the next', () => {
    // Family A: 40 = 4 + 16 + 20; family B: 50 = 16 + 34. Hiding 16 (A's partner for 4) leaves B
    // with a single hidden cell, so 34 is hidden too.
    const values = [40, 4, 16, 20, 50, 34];
    const families: Family[] = [
      { total: 0, parts: [1, 2, 3] },
      { total: 4, parts: [2, 5] },
    ];
    expect(hiddenOf(suppressCells(values, families, nhsDisclosureRule))).toEqual([1, 2, 5]);
  });
});

describe('suppressCells: the linear audit', () => {
  it('hides more when families together determine a hidden cell that no single family does', () => {
    // x = 3, y = 20, z = 30; T1 = x + y = 23, T2 = y + z = 50, T3 = x + z = 33.
    // The pairwise rule hides y (for x in T1), then z (for y in T2); every family then has two
    // hidden cells, yet x = (T1 - T2 + T3) / 2 = (23 - 50 + 33) / 2 = 3. The audit hides the
    // smallest shown cell of a family holding x: T1 = 23 (T3 = 33 is larger).
    const values = [3, 20, 30, 23, 50, 33];
    const families: Family[] = [
      { total: 3, parts: [0, 1], label: 'T1' },
      { total: 4, parts: [1, 2], label: 'T2' },
      { total: 5, parts: [0, 2], label: 'T3' },
    ];
    const result = suppressCells(values, families, nhsDisclosureRule);
    expect(hiddenOf(result)).toEqual([0, 1, 2, 3]);
    expect(result.rounds).toBe(2);
  });

  it('finds exactly the solvable unknowns of a small system', () => {
    // x + y = a, y + z = b, x + z = c: all three solvable. x + y = a alone: none.
    const rows = [Float64Array.from([1, 1, 0]), Float64Array.from([0, 1, 1]), Float64Array.from([1, 0, 1])];
    expect(solvableColumns(rows, 3)).toEqual([0, 1, 2]);
    expect(solvableColumns([Float64Array.from([1, 1, 0])], 3)).toEqual([]);
    // x - y = a, y = b: both; plus an unrelated z + w = c: neither of those.
    expect(solvableColumns([Float64Array.from([1, -1, 0, 0]), Float64Array.from([0, 1, 0, 0]), Float64Array.from([0, 0, 1, 1])], 4)).toEqual([0, 1]);
    // A 2 x 2 table with margins, all four cells hidden: a cycle, nothing solvable.
    const table = [
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ].map((r) => Float64Array.from(r));
    expect(solvableColumns(table, 4)).toEqual([]);
  });

  it('never hides a zero', () => {
    const values = [10, 3, 0, 7, 0];
    const result = suppressCells(values, [{ total: 0, parts: [1, 2, 3, 4] }], nhsDisclosureRule);
    expect(hiddenOf(result)).toEqual([1, 3]);
  });

  it('refuses counts that are not whole numbers and families that name missing cells', () => {
    expect(() => suppressCells([1.5], [], nhsDisclosureRule)).toThrow(RangeError);
    expect(() => suppressCells([1], [{ total: 0, parts: [3] }], nhsDisclosureRule)).toThrow(RangeError);
  });
});
