import { describe, expect, it } from 'vitest';
import type { GroupInput, MeasureOptions } from './measure.ts';
import { pheMeasures } from './phe.registry.ts';
import { whoMeasures } from './who.registry.ts';

const expectedNames = [
  'd', 'r', 'aci', 'rci', 'who-sii', 'who-rii', 'bgv', 'bgsd', 'cov', 'mdmu', 'mdmw',
  'mdbu', 'mdbw', 'mdru', 'mdrw', 'idisu', 'idisw', 'ti', 'mld', 'paf', 'par',
];

const groups: GroupInput[] = [
  { group: 'q1', order: 1, population: 78, value: 20, se: 5 },
  { group: 'q2', order: 2, population: 91, value: 30, se: 7 },
  { group: 'q3', order: 3, population: 162, value: 40, se: 10 },
  { group: 'q4', order: 4, population: 103, value: 50, se: 12 },
  { group: 'q5', order: 5, population: 105, value: 60, se: 14 },
];
const options: MeasureOptions = {
  valueType: 'proportion',
  transform: false,
  scale: 100,
  favourable: true,
  reference: 'q3',
  confidence: [0.95, 0.998],
  reps: 2_000,
  seed: 5,
};

describe('whoMeasures registry', () => {
  it('has one lower-case entry per WHO measure, and leaves `sii` to the PHE family', () => {
    expect(whoMeasures.map((m) => m.name).sort()).toEqual([...expectedNames].sort());
    for (const m of whoMeasures) expect(m.name).toMatch(/^[a-z-]+$/);
    expect(whoMeasures.some((m) => m.name === 'sii' || m.name === 'rii')).toBe(false);
  });

  it('does not collide with the PHE measure names', () => {
    const phe = new Set(pheMeasures.map((m) => m.name));
    expect(whoMeasures.filter((m) => phe.has(m.name)).map((m) => m.name)).toEqual([]);
  });

  it('marks the measures that need an ordered dimension', () => {
    const ordered = whoMeasures.filter((m) => m.requiresOrder).map((m) => m.name).sort();
    expect(ordered).toEqual(['aci', 'rci', 'who-rii', 'who-sii']);
  });

  it.each(expectedNames)('%s returns the shared result shape, one interval per confidence level, as plain JSON', (name) => {
    const definition = whoMeasures.find((m) => m.name === name);
    expect(definition).toBeDefined();
    const result = definition?.compute(groups, options);
    expect(result?.measure).toBe(name);
    expect(typeof result?.estimate).toBe('number');
    expect(result?.method).toMatch(/healthequal::/);
    expect(result?.intervals.map((i) => i.confidence)).toEqual([0.95, 0.998]);
    for (const interval of result?.intervals ?? []) {
      expect(typeof interval.lower).toBe('number');
      expect(interval.lower as number).toBeLessThanOrEqual(interval.upper as number);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('labels WHO\'s RII as such', () => {
    expect(whoMeasures.find((m) => m.name === 'who-rii')?.compute(groups, options).method).toMatch(/^WHO RII/);
  });

  it('lists the variants where a measure has them, default first', () => {
    expect(whoMeasures.find((m) => m.name === 'paf')?.methods).toEqual(['healthequal', 'rescaled']);
    expect(whoMeasures.find((m) => m.name === 'ti')?.methods?.[0]).toBe('healthequal');
  });
});
