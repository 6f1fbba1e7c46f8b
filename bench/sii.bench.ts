import { slopeIndexOfInequality } from '../src/equity/measures/sii.ts';
import type { GroupInput } from '../src/equity/measures/measure.ts';
import { RandomStream } from '../src/equity/measures/distributions.ts';
import { timed, type BenchResult } from './lib.ts';

/**
 * SII with 95% intervals for many areas, each with ten deprivation deciles.
 * Peer: PHEindicatormethods' phe_sii, quoted in the issue at about 0.42 s per area at 100,000
 * repetitions on this kind of machine (R is not installed here, so the peer figure is the quoted
 * one, not re-measured).
 */
const PHE_SECONDS_PER_AREA = 0.42;

export async function siiBench(areas = 1000, reps = 100_000): Promise<BenchResult[]> {
  const random = new RandomStream(20261121);
  const makeArea = (kind: 'normal' | 'rate'): GroupInput[] =>
    Array.from({ length: 10 }, (_, i) => {
      const population = 5000 + Math.floor(random.nextOpenUniform() * 3000);
      if (kind === 'normal') {
        const value = 76 + i * 1.1 + random.nextNormal();
        return { group: String(i + 1), order: i + 1, population, value, se: 1.5 + random.nextOpenUniform() };
      }
      const count = 40 + Math.floor((10 - i) * 6 + random.nextOpenUniform() * 10);
      return { group: String(i + 1), order: i + 1, population, value: (count / population) * 1000, count, denominator: population };
    });
  const cases = [
    { name: 'linear (normal values, analytic interval)', kind: 'normal' as const, options: { valueType: 'normal' as const, transform: false, scale: 1 } },
    { name: 'rate back-transformed per draw (Monte Carlo)', kind: 'rate' as const, options: { valueType: 'rate' as const, transform: false, scale: 1000 } },
  ];
  const results: BenchResult[] = [];
  for (const testCase of cases) {
    const inputs = Array.from({ length: areas }, () => makeArea(testCase.kind));
    let method = '';
    let limitSe = 0;
    const { seconds } = await timed(() => {
      inputs.forEach((groups, area) => {
        const result = slopeIndexOfInequality(groups, { ...testCase.options, favourable: true, confidence: [0.95], reps, seed: area + 1 });
        method = result.siiIntervalMethod;
        limitSe = Math.max(limitSe, ...(result.simulation?.siiLimitStandardErrors?.flatMap((s) => [s.lower, s.upper]) ?? [0]));
      });
    });
    const perArea = seconds / areas;
    results.push({
      suite: 'sii',
      case: `${areas} areas x 10 deciles, ${testCase.name}`,
      value: perArea * 1000,
      unit: 'ms per area',
      peer: { name: 'phe_sii (R, quoted)', value: PHE_SECONDS_PER_AREA * 1000 },
      ratioMeaning: 'Roots / PHE; target <= 0.01',
      note: `${method}, ${reps.toLocaleString('en-GB')} reps; largest Monte Carlo standard error of a limit ${limitSe.toPrecision(2)}; total ${seconds.toFixed(2)} s`,
    });
  }
  return results;
}
