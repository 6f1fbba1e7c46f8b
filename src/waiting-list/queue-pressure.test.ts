import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  forecastQueue,
  needsRelief,
  queueLoad,
  reliefCapacity,
  targetCapacity,
  targetMeanWait,
  targetQueueSize,
  waitingListPressure,
} from './queue-pressure.ts';

// Expected values are the worked examples and test expectations published with the NHS-R
// Community's NHSRwaitinglist package (roxygen examples and tests/testthat).
describe('queue pressure (NHSRwaitinglist formulas)', () => {
  it('target queue size: demand 30 a week, target 52 weeks -> 390', () => {
    expect(targetQueueSize(30, 52)).toBe(390);
    expect(targetQueueSize(30, 52, 4)).toBe(390);
    expect(targetQueueSize(30, 52, 6)).toBeCloseTo(260, 12);
  });

  it('target mean wait: a quarter of the target by default', () => {
    expect(targetMeanWait(52)).toBe(13);
    expect(targetMeanWait(18, 6)).toBe(3);
  });

  it('target capacity: 30 + 2(1 + 4x3)/52 = 30.5, and the package vector case', () => {
    expect(targetCapacity(30, 52, 3)).toBeCloseTo(30.5, 12);
    expect(targetCapacity(42, 65, 2)).toBeCloseTo(42.276923, 6);
    expect(targetCapacity(35, 50, 1)).toBeCloseTo(35.2, 12);
  });

  it('relief capacity: 30 + (1200 - 390)/26 = 61.153846, and the vector case', () => {
    expect(reliefCapacity(30, 1200, 390, 26)).toBeCloseTo(61.153846, 6);
    expect(reliefCapacity(33, 800, 200, 30)).toBeCloseTo(53, 12);
    expect(reliefCapacity(35, 250, 100, 15)).toBeCloseTo(45, 12);
  });

  it('pressure: 2 x 63 / 52', () => {
    expect(waitingListPressure(63, 52)).toBeCloseTo(2.4230769, 7);
    expect(waitingListPressure(13, 52)).toBe(0.5);
  });

  it('queue load and relief threshold', () => {
    expect(queueLoad(30, 40)).toBe(0.75);
    expect(needsRelief(1200, 390)).toBe(true);
    expect(needsRelief(780, 390)).toBe(false);
  });

  it('refuses inputs that have no meaning', () => {
    expect(() => queueLoad(30, 0)).toThrow(RangeError);
    expect(() => targetQueueSize(-1, 52)).toThrow(RangeError);
    expect(() => waitingListPressure(10, Number.NaN)).toThrow(RangeError);
    expect(() => forecastQueue({ queueSize: 10, demand: 1, capacity: 1, steps: 1.5 })).toThrow(RangeError);
  });

  it('forecast: hand-worked 26 weeks, never below zero', () => {
    // 100 waiting, 10 added and 14 removed a week: 4 fewer a week, empty after 25 weeks.
    const sizes = forecastQueue({ queueSize: 100, demand: 10, capacity: 14, steps: 26 });
    expect(sizes).toHaveLength(26);
    expect(sizes[0]).toBe(96);
    expect(sizes[23]).toBe(4);
    expect(sizes[24]).toBe(0);
    expect(sizes[25]).toBe(0);
  });

  it('forecast is monotone in demand and never negative (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        fc.integer({ min: 1, max: 52 }),
        (queueSize, demand, extra, capacity, steps) => {
          const base = forecastQueue({ queueSize, demand, capacity, steps });
          const more = forecastQueue({ queueSize, demand: demand + extra, capacity, steps });
          return base.every((size, i) => size >= 0 && more[i]! >= size);
        },
      ),
    );
  });
});
