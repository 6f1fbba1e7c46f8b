import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kaplanMeier, kmMeasure, survivalAt, waitCentile, type WaitRow } from './km.ts';
import type { GroupInput, MeasureOptions } from './measure.ts';

// The 6-MP arm of the Freireich et al. (1963) leukaemia remission trial, the standard worked
// example (Gehan 1965; Klein & Moeschberger 2003, Example 4.1): weeks in remission, + censored:
// 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+ - aggregated by week as the
// database would send it.
const SIX_MP: WaitRow[] = [
  { time: 6, events: 3, censored: 1 },
  { time: 7, events: 1, censored: 0 },
  { time: 9, events: 0, censored: 1 },
  { time: 10, events: 1, censored: 1 },
  { time: 11, events: 0, censored: 1 },
  { time: 13, events: 1, censored: 0 },
  { time: 16, events: 1, censored: 0 },
  { time: 17, events: 0, censored: 1 },
  { time: 19, events: 0, censored: 1 },
  { time: 20, events: 0, censored: 1 },
  { time: 22, events: 1, censored: 0 },
  { time: 23, events: 1, censored: 0 },
  { time: 25, events: 0, censored: 1 },
  { time: 32, events: 0, censored: 2 },
  { time: 34, events: 0, censored: 1 },
  { time: 35, events: 0, censored: 1 },
];

describe('Kaplan-Meier: the 6-MP example', () => {
  const km = kaplanMeier(SIX_MP, [0.95]);
  const eventPoints = km.points.filter((p) => p.events > 0);

  it('reproduces the published product-limit estimates and Greenwood standard errors', () => {
    // As printed in standard texts (e.g. Klein & Moeschberger 2003, section 4.2), to 3 and 4 decimals.
    const published = [
      [6, 21, 0.857, 0.0764],
      [7, 17, 0.807, 0.0869],
      [10, 15, 0.753, 0.0963],
      [13, 12, 0.69, 0.1068],
      [16, 11, 0.627, 0.1141],
      [22, 7, 0.538, 0.1282],
      [23, 6, 0.448, 0.1346],
    ];
    expect(eventPoints.map((p) => [p.time, p.atRisk])).toEqual(published.map(([t, n]) => [t, n]));
    eventPoints.forEach((p, i) => {
      expect(Math.abs(p.survival - published[i]![2]!)).toBeLessThanOrEqual(5e-4);
      expect(Math.abs((p.standardError as number) - published[i]![3]!)).toBeLessThanOrEqual(5e-5);
    });
    expect(eventPoints.at(-1)!.survival).toBeCloseTo((18 / 21) * (16 / 17) * (14 / 15) * (11 / 12) * (10 / 11) * (6 / 7) * (5 / 6), 14);
  });

  it('gives the log-log limits R survfit(conf.type = "log-log") prints for these data', () => {
    // 0.620-0.952, 0.563-0.923, 0.503-0.889, 0.432-0.849, 0.368-0.805, 0.268-0.747, 0.188-0.680;
    // five-decimal values from an independent implementation (SciPy, individual-level data).
    const expected = [
      [0.619718, 0.951552],
      [0.563147, 0.922809],
      [0.5032, 0.889362],
      [0.43161, 0.849066],
      [0.367511, 0.804912],
      [0.267779, 0.746791],
      [0.188052, 0.680143],
    ];
    eventPoints.forEach((p, i) => {
      expect(Math.abs((p.intervals[0]!.lower as number) - expected[i]![0]!)).toBeLessThan(1e-6);
      expect(Math.abs((p.intervals[0]!.upper as number) - expected[i]![1]!)).toBeLessThan(1e-6);
    });
  });

  it('gives the median 23 weeks with Brookmeyer-Crowley limits 13 to not reached', () => {
    // Checked by direct inversion of the log-log test over event times: the set where
    // |log(-log S(t)) - log(-log 0.5)| <= 1.96 sigma(t) is 13, 16, 22, 23 and every later time.
    expect(waitCentile(km, 0.5)).toEqual({ probability: 0.5, estimate: 23, intervals: [{ confidence: 0.95, lower: 13, upper: null }] });
  });

  it('reads other centiles the same way (the 25th: 13 weeks, 6 to 22)', () => {
    // Inversion gives the set {6, 7, 10, 13, 16}, left at 22 when the upper curve drops to 0.747.
    expect(waitCentile(km, 0.25)).toEqual({ probability: 0.25, estimate: 13, intervals: [{ confidence: 0.95, lower: 6, upper: 22 }] });
  });

  it('reports the share still waiting after t (S(t)) and the share seen within t', () => {
    const options: MeasureOptions = { valueType: 'normal', transform: false, scale: 1, favourable: false, confidence: [0.95], reps: 100_000, seed: 1, times: [5, 15, 40] };
    const groups: GroupInput[] = SIX_MP.map((r) => ({ group: `week ${r.time}`, order: r.time, population: r.events + r.censored, value: 0, count: r.events, censored: r.censored }));
    const result = kmMeasure(groups, options);
    expect(result.estimate).toBe(23);
    expect(result.intervals).toEqual([{ confidence: 0.95, lower: 13, upper: null }]);
    expect(result['total']).toBe(21);
    expect(result['stillWaiting']).toBe(12);
    const exceeding = result['exceeding'] as { time: number; waitedLongerThan: { estimate: number }; seenWithin: { estimate: number; intervals: { lower: number; upper: number }[] } }[];
    expect(exceeding[0]!.waitedLongerThan.estimate).toBe(1);
    expect(exceeding[1]!.waitedLongerThan.estimate).toBeCloseTo(0.690196, 6);
    expect(exceeding[1]!.seenWithin.estimate).toBeCloseTo(1 - 0.690196, 6);
    expect(exceeding[1]!.seenWithin.intervals[0]!.lower).toBeCloseTo(1 - 0.849066, 6);
    expect(exceeding[1]!.seenWithin.intervals[0]!.upper).toBeCloseTo(1 - 0.43161, 6);
    expect(exceeding[2]!.waitedLongerThan.estimate).toBeCloseTo(0.448179, 6);
  });
});

describe('Kaplan-Meier: conventions', () => {
  it('takes the mid-point where the curve sits exactly at 1 - p (as R survival): 1, 2, 3, 4 -> median 2.5', () => {
    const km = kaplanMeier(
      [1, 2, 3, 4].map((time) => ({ time, events: 1, censored: 0 })),
      [0.95],
    );
    expect(waitCentile(km, 0.5).estimate).toBe(2.5);
  });

  it('counts events before censoring at the same time, and adds rows with the same time', () => {
    const split = kaplanMeier(
      [
        { time: 6, events: 2, censored: 0 },
        { time: 6, events: 1, censored: 1 },
        ...SIX_MP.slice(1),
      ],
      [0.95],
    );
    expect(split.points[0]).toMatchObject({ time: 6, atRisk: 21, events: 3, censored: 1 });
    expect(split.points[0]!.survival).toBeCloseTo(18 / 21, 15);
  });

  it('reports no median when fewer than half the waits have ended', () => {
    const options: MeasureOptions = { valueType: 'normal', transform: false, scale: 1, favourable: false, confidence: [0.95], reps: 100_000, seed: 1 };
    const result = kmMeasure(
      [
        { group: 'd1', order: 1, population: 0, value: 0, count: 2, censored: 0 },
        { group: 'd9', order: 9, population: 0, value: 0, count: 0, censored: 8 },
      ],
      options,
    );
    expect(result.estimate).toBeNull();
    expect(result.reason).toMatch(/not reached/);
  });

  it('without censoring, S(t) is the share of waits longer than t and centiles are the empirical ones', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 60 }), (waits, t) => {
        const counts = new Map<number, number>();
        for (const w of waits) counts.set(w, (counts.get(w) ?? 0) + 1);
        const km = kaplanMeier(
          [...counts].map(([time, events]) => ({ time, events, censored: 0 })),
          [0.95],
        );
        expect(survivalAt(km, t).survival).toBeCloseTo(waits.filter((w) => w > t).length / waits.length, 12);
        const sorted = [...waits].sort((a, b) => a - b);
        const ninetieth = waitCentile(km, 0.9).estimate as number;
        // Smallest wait with at least 90% of waits at or below it (or the mid-point on an exact tie).
        const k = Math.ceil(0.9 * waits.length - 1e-9);
        expect(ninetieth).toBeGreaterThanOrEqual(sorted[k - 1]!);
        expect(ninetieth).toBeLessThanOrEqual(sorted[Math.min(k, waits.length - 1)]!);
      }),
    );
  });

  it('the log-log limits contain the estimate and lie within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ time: fc.integer({ min: 0, max: 100 }), events: fc.integer({ min: 0, max: 20 }), censored: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const km = kaplanMeier(rows, [0.9, 0.95]);
          for (const p of km.points) {
            for (const i of p.intervals) {
              if (i.lower === null || i.upper === null) continue;
              expect(i.lower).toBeGreaterThanOrEqual(0);
              expect(i.upper).toBeLessThanOrEqual(1);
              expect(i.lower).toBeLessThanOrEqual(p.survival + 1e-12);
              expect(i.upper).toBeGreaterThanOrEqual(p.survival - 1e-12);
            }
          }
        },
      ),
    );
  });
});
