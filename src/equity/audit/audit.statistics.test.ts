import { describe, expect, it } from 'vitest';
import { nationalDisclosureRule, nhsDisclosureRule } from '../../disclosure/disclosure.ts';
import {
  accessRatio,
  didNotAttendRate,
  inequalityIndices,
  meanFromSums,
  promSummary,
  ratePer1000,
  rateRatio,
  standardisedRatePer1000,
  waitSummary,
} from './audit.statistics.ts';

// Hand calculations below use z = qnorm(0.975) = 1.959963984540054 and, for Byar's method,
// lower = x (1 - 1/(9x) - z/(3 sqrt x))^3, upper = (x + 1)(1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3.

const bands = ['0-15', '16-24', '25-34', '35-49', '50-64', '65+'];
const byBand = (values: number[]) => Object.fromEntries(bands.map((b, i) => [b, values[i]!]));

describe('rates from disclosed counts', () => {
  it('gives referrals per 1,000 with Byar limits: 10 in 5,000', () => {
    // 2.0 per 1,000; Byar: 10 (1 - 1/90 - z/(3 sqrt 10))^3 = 4.78745 -> 0.95749; 11 (...)^3 = 18.39146 -> 3.67829.
    const r = ratePer1000(10, 5000, 0.95)!;
    expect(r.value).toBe(2);
    expect(r.lower).toBeCloseTo(0.9574899828, 9);
    expect(r.upper).toBeCloseTo(3.6782917212, 9);
  });

  it('withholds the rate when the count is hidden or there is no population', () => {
    expect(ratePer1000(null, 5000, 0.95)).toBeNull();
    expect(ratePer1000(10, null, 0.95)).toBeNull();
    expect(ratePer1000(10, 0, 0.95)).toBeNull();
  });

  it('standardises by hand: six bands, ESP 2013 collapsed', () => {
    // x = 10, 0, 20, 15, 25, 30; n = 1000, 800, 900, 1500, 1200, 1100; w = 17100, 10400, 12500,
    // 21000, 19500, 19500 (sum 100,000). DSR = sum(w x / n) / 100,000 x 1,000
    //   = (171 + 0 + 277.778 + 210 + 406.25 + 531.818) / 100 = 15.96846 per 1,000.
    // var = sum(x (w/n)^2) / 100,000^2; O = 100; Dobson: DSR + sqrt(var / O) (Byar(O) - O).
    const dsr = standardisedRatePer1000([10, 0, 20, 15, 25, 30], byBand([1000, 800, 900, 1500, 1200, 1100]), 0.95)!;
    expect(dsr.value).toBeCloseTo(15.968459596, 8);
    expect(dsr.lower).toBeCloseTo(12.977592980, 8);
    expect(dsr.upper).toBeCloseTo(19.439145432, 8);
  });

  it('does not standardise under 10 events, with a hidden band, or a band without population', () => {
    expect(standardisedRatePer1000([0, 0, 0, 0, 0, 0], byBand([1, 1, 1, 1, 1, 1]), 0.95)).toBeNull();
    expect(standardisedRatePer1000([10, null, 20, 15, 25, 30], byBand([1000, 800, 900, 1500, 1200, 1100]), 0.95)).toBeNull();
    expect(standardisedRatePer1000([10, 0, 20, 15, 25, 30], byBand([1000, 0, 900, 1500, 1200, 1100]), 0.95)).toBeNull();
    expect(standardisedRatePer1000(null, null, 0.95)).toBeNull();
  });

  it('gives access relative to need by indirect standardisation, by hand', () => {
    // Expected = 1000 x 20/4000 + 800 x 10/3000 + 900 x 30/3500 + 1500 x 40/5000 + 1200 x 50/4500
    //          + 1100 x 50/4000 = 5 + 2.6667 + 7.7143 + 12 + 13.3333 + 13.75 = 54.4643.
    // Observed 100: ratio 1.83607, limits Byar(100) / 54.4643 = 81.3625 / 54.4643, 121.6279 / 54.4643.
    const ratio = accessRatio(
      [10, 0, 20, 15, 25, 30],
      byBand([1000, 800, 900, 1500, 1200, 1100]),
      [20, 10, 30, 40, 50, 50],
      byBand([4000, 3000, 3500, 5000, 4500, 4000]),
      0.95,
    )!;
    expect(ratio.observed).toBe(100);
    expect(ratio.expected).toBeCloseTo(54.464285714, 8);
    expect(ratio.value).toBeCloseTo(1.836065574, 8);
    expect(ratio.lower).toBeCloseTo(1.493861609, 8);
    expect(ratio.upper).toBeCloseTo(2.233168690, 8);
    expect(accessRatio([10, 0, 20, 15, 25, 30], byBand([1000, 800, 900, 1500, 1200, 1100]), [20, null, 30, 40, 50, 50], byBand([4000, 3000, 3500, 5000, 4500, 4000]), 0.95)).toBeNull();
  });

  it('gives the did-not-attend rate by Wilson: 20 of 100 contacts', () => {
    // (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)) with x = 20, n = 100.
    const dna = didNotAttendRate(20, 80, 0.95)!;
    expect(dna.value).toBe(0.2);
    expect(dna.lower).toBeCloseTo(0.1333669333, 9);
    expect(dna.upper).toBeCloseTo(0.2888291656, 9);
    expect(didNotAttendRate(null, 80, 0.95)).toBeNull();
    expect(didNotAttendRate(20, null, 0.95)).toBeNull();
    expect(didNotAttendRate(0, 0, 0.95)).toBeNull();
  });
});

describe('PROM change', () => {
  it('gives the mean change and t interval from the sums: changes 0, 2, 4, 6', () => {
    // n = 4, sum 12, sum of squares 56: mean 3, s = sqrt((56 - 144/4) / 3) = 2.58199, se = 1.29099,
    // t(0.975, 3) = 3.182446: 3 -/+ 4.108521.
    const mean = meanFromSums(4, 12, 56, 0.95)!;
    expect(mean.value).toBe(3);
    expect(mean.lower).toBeCloseTo(-1.108520514, 8);
    expect(mean.upper).toBeCloseTo(7.108520514, 8);
    expect(meanFromSums(1, 3, 9, 0.95)).toBeNull();
  });

  it('withholds the mean and the share improved when the pairs are hidden', () => {
    const hidden = promSummary('SWEMWBS', null, null, { pairs: 4, sumChange: 12, sumSquaredChange: 56 }, 3, 0.95);
    expect(hidden).toEqual({ instrument: 'SWEMWBS', pairs: null, meanChange: null, improved: null, improvedShare: null, meaningfulChange: 3 });
    const shown = promSummary('SWEMWBS', 20, 10, { pairs: 21, sumChange: 42, sumSquaredChange: 300 }, 3, 0.95);
    expect(shown.meanChange!.value).toBe(2);
    expect(shown.improvedShare!.value).toBe(0.5);
    // Improved hidden, pairs shown: the mean stays, the share goes.
    const partly = promSummary('SWEMWBS', 20, null, { pairs: 21, sumChange: 42, sumSquaredChange: 300 }, 3, 0.95);
    expect(partly.meanChange).not.toBeNull();
    expect(partly.improvedShare).toBeNull();
  });
});

describe('waits by Kaplan-Meier', () => {
  // Ten people seen after 1, 2, ..., 10 weeks and two still waiting at 100 days: S falls by 1/12 at
  // each event. S(42) = 1 - 6/12 = 0.5 exactly, flat until day 49: median = (42 + 49) / 2 = 45.5 days
  // = 6.5 weeks. S never reaches 0.1 (its lowest is 2/12), so there is no 90th centile. The
  // longest wait seen is 100 days with S = 1/6 > 0, so the shares over 18 and 52 weeks are not
  // estimable.
  const waits = [...Array.from({ length: 10 }, (_, i) => ({ days: 7 * (i + 1), seen: 1, censored: 0 })), { days: 100, seen: 0, censored: 2 }];

  it('gives the median, the share over 6 weeks, and nothing it cannot estimate', () => {
    // The arithmetic, without disclosure control (the share gives 6 of 12 back: see below).
    const summary = waitSummary(waits, 10, 10, 0.95, nationalDisclosureRule);
    expect(summary.medianWeeks!.value).toBe(6.5);
    expect(summary.p90Weeks).toBeNull();
    expect(summary.over6Weeks!.value).toBeCloseTo(0.5, 12);
    expect(summary.over18Weeks).toBeNull();
    expect(summary.over52Weeks).toBeNull();
  });

  it('withholds a share that gives a small count back under the NHS rule: 0.5 of 12 is 6 people', () => {
    const summary = waitSummary(waits, 10, 10, 0.95, nhsDisclosureRule);
    expect(summary.medianWeeks!.value).toBe(6.5);
    expect(summary.over6Weeks).toBeNull();
    // Forty-eight people, the same shape: 0.5 of 48 is 24 still waiting after 6 weeks.
    const fortyEight = [...Array.from({ length: 10 }, (_, i) => ({ days: 7 * (i + 1), seen: 4, censored: 0 })), { days: 100, seen: 0, censored: 8 }];
    expect(waitSummary(fortyEight, 50, 40, 0.95, nhsDisclosureRule).over6Weeks!.value).toBeCloseTo(0.5, 12);
    // ...but not when the shown episodes (rounded) would give a small count back: 0.5 x 10 = 5.
    expect(waitSummary(fortyEight, 10, 40, 0.95, nhsDisclosureRule).over6Weeks).toBeNull();
  });

  it('shows a share beyond the last wait once everybody has been seen (S = 0)', () => {
    const allSeen = Array.from({ length: 12 }, (_, i) => ({ days: 7 * (i + 1), seen: 1, censored: 0 }));
    const summary = waitSummary(allSeen, 10, 10, 0.95);
    expect(summary.over18Weeks!.value).toBe(0);
    expect(summary.over52Weeks!.value).toBe(0);
  });

  it('withholds waits when episodes or seen are hidden, or fewer than 10 were seen', () => {
    const none = { medianWeeks: null, p90Weeks: null, over6Weeks: null, over18Weeks: null, over52Weeks: null };
    expect(waitSummary(waits, null, 10, 0.95)).toEqual(none);
    expect(waitSummary(waits, 10, null, 0.95)).toEqual(none);
    expect(waitSummary(waits.slice(1), 10, 10, 0.95)).toEqual(none);
  });
});

describe('inequality between the most and least deprived', () => {
  it('gives the rate ratio with its log-scale interval, by hand: 50 in 2,500 against 20 in 4,000', () => {
    // RR = (50/2500) / (20/4000) = 4; spread = z sqrt(1/50 + 1/20) = 1.95996 x 0.264575 = 0.518558;
    // limits 4 exp(-0.518558) = 2.381515, 4 exp(0.518558) = 6.718414.
    const rr = rateRatio({ group: '1', order: 1, count: 50, population: 2500 }, { group: '5', order: 5, count: 20, population: 4000 }, 0.95)!;
    expect(rr.value).toBe(4);
    expect(rr.lower).toBeCloseTo(2.381514507, 8);
    expect(rr.upper).toBeCloseTo(6.718413829, 8);
  });

  it('withholds the rate ratio when either count is hidden or zero', () => {
    const least = { group: '5', order: 5, count: 20, population: 4000 };
    expect(rateRatio({ group: '1', order: 1, count: null, population: 2500 }, least, 0.95)).toBeNull();
    expect(rateRatio({ group: '1', order: 1, count: 0, population: 2500 }, least, 0.95)).toBeNull();
  });

  it('gives an SII and RII that read the same way as the rate ratio', () => {
    // Rates 20, 16, 12, 8, 4 per 1,000 in equal populations: the fit falls with less deprivation,
    // so the SII (most minus least) is positive and the RII (most over least) above 1.
    const groups = [1, 2, 3, 4, 5].map((q) => ({ group: String(q), order: q, count: 4 * (6 - q) * 10, population: 10_000 }));
    // By hand (PHE, log transform): shares 0.2, ridits 0.1 ... 0.9; weighted least squares of
    // ln(rate) on the ridit gives b0 + b1 x; SII = exp(b0) - exp(b0 + b1) = 23.7913 per 1,000 and
    // RII = exp(b0) / exp(b0 + b1) = exp(-b1) = 7.0711. Interval: b1 -/+ z sd(b1) with each
    // group's log-scale se = (ln Byar upper - ln Byar lower) / (2z), back-transformed about the
    // mid-point b0 + b1/2 as phe_sii does.
    const { sii, rii } = inequalityIndices(groups, 0.95);
    expect(sii!.value).toBeCloseTo(23.791335606, 8);
    expect(sii!.lower).toBeCloseTo(18.203243554, 7);
    expect(sii!.upper).toBeCloseTo(30.232059154, 7);
    expect(rii!.value).toBeCloseTo(7.071067812, 8);
    expect(rii!.lower).toBeCloseTo(4.845045293, 7);
    expect(rii!.upper).toBeCloseTo(10.319820966, 7);
    // Equal rates: no gradient.
    const flat = inequalityIndices([1, 2, 3, 4, 5].map((q) => ({ group: String(q), order: q, count: 50, population: 10_000 })), 0.95);
    expect(flat.sii!.value).toBeCloseTo(0, 12);
    expect(flat.rii!.value).toBeCloseTo(1, 12);
    // The same input gives the same answer.
    expect(inequalityIndices(groups, 0.95)).toEqual({ sii, rii });
  });

  it('withholds the SII and RII when any group count is hidden or zero', () => {
    const groups = [1, 2, 3, 4, 5].map((q) => ({ group: String(q), order: q, count: 40 as number | null, population: 10_000 }));
    groups[2]!.count = null;
    expect(inequalityIndices(groups, 0.95)).toEqual({ sii: null, rii: null });
    groups[2]!.count = 0;
    expect(inequalityIndices(groups, 0.95)).toEqual({ sii: null, rii: null });
  });
});
