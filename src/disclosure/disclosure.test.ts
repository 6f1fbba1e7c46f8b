import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discloseCount, MINIMUM_WINDOW_REFERRALS, nhsDisclosureRule, windowLargeEnough } from './disclosure.ts';

describe('NHS disclosure rule for single counts', () => {
  it.each([
    [0, 0],
    [8, 10],
    [12, 10],
    [13, 15],
    [1043, 1045],
  ])('shows %i as %i', (count, shown) => {
    expect(discloseCount(count)).toEqual({ shown: true, value: shown });
  });

  it('never shows a count from 1 to 7', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (count) => {
        const result = discloseCount(count, nhsDisclosureRule);
        if (result.shown) return result.value === 0 ? count === 0 : result.value >= 10 && result.value % 5 === 0;
        return count >= 1 && count <= 7;
      }),
    );
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => discloseCount(-1)).toThrow(RangeError);
    expect(() => discloseCount(2.5)).toThrow(RangeError);
  });
});

describe('custom windows', () => {
  it('are shown only with at least MINIMUM_WINDOW_REFERRALS referrals as disclosed', () => {
    expect(MINIMUM_WINDOW_REFERRALS).toBe(50);
    expect(windowLargeEnough(null)).toBe(false);
    expect(windowLargeEnough(0)).toBe(false);
    expect(windowLargeEnough(45)).toBe(false);
    expect(windowLargeEnough(50)).toBe(true);
  });
});
