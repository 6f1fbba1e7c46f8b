import { describe, expect, it } from 'vitest';
import { wilsonLimits } from '../measures/wilson.ts';
import { differenceOf, hasInterval, intervalsOverlap, positionOf } from './compare.ts';

const proportion = (x: number, n: number) => ({ value: x / n, ...wilsonLimits(x, n, 0.95), method: 'Wilson' });

describe('differenceOf (MOVER / Newcombe method 10)', () => {
  // Newcombe 1998, Table II example (a): 56/70 versus 48/80, method 10 gives 0.0524 to 0.3339.
  it('matches Newcombe\'s published interval for 56/70 - 48/80', () => {
    const difference = differenceOf(proportion(56, 70), proportion(48, 80))!;
    expect(difference.value).toBeCloseTo(0.2, 10);
    expect(difference.lower).toBeCloseTo(0.0524, 4);
    expect(difference.upper).toBeCloseTo(0.3339, 4);
  });
  // Newcombe 1998, example (b): 9/10 - 3/10, method 10 gives 0.1705 to 0.8090.
  it('matches Newcombe\'s published interval for 9/10 - 3/10', () => {
    const difference = differenceOf(proportion(9, 10), proportion(3, 10))!;
    expect(difference.lower).toBeCloseTo(0.1705, 4);
    expect(difference.upper).toBeCloseTo(0.809, 3);
  });
  it('reduces to the normal interval for symmetric intervals', () => {
    const a = { value: 10, lower: 8, upper: 12, method: 'm' };
    const b = { value: 4, lower: 2.5, upper: 5.5, method: 'm' };
    const difference = differenceOf(a, b)!;
    expect(difference.lower).toBeCloseTo(6 - Math.hypot(2, 1.5), 12);
    expect(difference.upper).toBeCloseTo(6 + Math.hypot(2, 1.5), 12);
  });
  it('gives nothing when either estimate lacks a limit or is missing', () => {
    expect(differenceOf({ value: 0.2, lower: null, upper: 0.3, method: 'm' }, proportion(5, 10))).toBeNull();
    expect(differenceOf(null, proportion(5, 10))).toBeNull();
    expect(hasInterval({ value: Number.NaN, lower: 0, upper: 1, method: 'm' })).toBe(false);
  });
});

describe('intervalsOverlap and positionOf', () => {
  it('treats touching intervals as overlapping', () => {
    expect(intervalsOverlap({ value: 1, lower: 0, upper: 2, method: 'm' }, { value: 3, lower: 2, upper: 4, method: 'm' })).toBe(true);
    expect(intervalsOverlap({ value: 1, lower: 0, upper: 1.9, method: 'm' }, { value: 3, lower: 2, upper: 4, method: 'm' })).toBe(false);
    expect(intervalsOverlap(null, { value: 3, lower: 2, upper: 4, method: 'm' })).toBeNull();
  });
  it('places an interval above, below or around a value', () => {
    expect(positionOf({ lower: 0.52, upper: 0.69 }, 1)).toBe('below');
    expect(positionOf({ lower: 1.1, upper: 1.4 }, 1)).toBe('above');
    expect(positionOf({ lower: 0.9, upper: 1.1 }, 1)).toBe('includes');
    expect(positionOf({ lower: null, upper: 1.1 }, 1)).toBeNull();
  });
});
