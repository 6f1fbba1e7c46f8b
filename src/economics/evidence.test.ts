import { describe, expect, it } from 'vitest';
import { builtInEvidence } from './evidence-seed.ts';
import { basisChanges, evidenceFigureInput, headlineEligible } from './evidence.ts';

const base = builtInEvidence.find((figure) => figure.key === 'work.unemployment_to_work_saving')!;

describe('the evidence register rules', () => {
  it('every built-in figure passes the one schema, and keys are unique', () => {
    for (const figure of builtInEvidence) expect(evidenceFigureInput.safeParse(figure).success, figure.key).toBe(true);
    expect(new Set(builtInEvidence.map((figure) => figure.key)).size).toBe(builtInEvidence.length);
  });

  it('flags as untraced the report figures that could not be followed to a primary source', () => {
    const untraced = ['mental_health.stress_management_return', 'rehab.first_year_cost', 'rehab.excess_care_cost', 'ltc.avoidable_emergency_admissions', 'ltc.avoidable_ae_attendances', 'ican.saving_per_person'];
    for (const key of untraced) {
      const figure = builtInEvidence.find((f) => f.key === key)!;
      expect(figure.traced, key).toBe(false);
      expect(headlineEligible({ ...figure, acceptance: null }).eligible, key).toBe(false);
    }
  });

  it('keeps the non-commercial pack out of headlines until accepted', () => {
    const gp = builtInEvidence.find((f) => f.key === 'pssru.gp_contact_hour')!;
    expect(gp.pack).toBe('non_commercial');
    expect(headlineEligible({ ...gp, acceptance: null }).eligible).toBe(false);
    expect(headlineEligible({ ...gp, acceptance: { reason: 'NHS use', by: 'staff:1', at: '2026-12-06T00:00:00Z' } }).eligible).toBe(true);
    expect(headlineEligible({ ...base, acceptance: null })).toEqual({ eligible: true, why: 'traced to its primary source' });
  });

  it('refuses inconsistent figures with a reason on the field', () => {
    const problems = (input: unknown) => (evidenceFigureInput.safeParse(input).error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(problems({ ...base, low: 13000 })).toEqual(['low']);
    expect(problems({ ...base, high: 100 })).toEqual(['high']);
    expect(problems({ ...base, priceYear: null })).toEqual(['priceYear']);
    expect(problems({ ...base, kind: 'gross_outcome_rate', priceYear: null, central: 67 })).toEqual(['central']);
    expect(problems({ ...base, key: 'Bad Key' })).toEqual(['key']);
    expect(problems({ ...base, surprise: 1 })).toEqual(['']);
  });

  it('warns when a new version changes the unit, price year or geography, and not otherwise', () => {
    const v = (version: number, edition: string, priceYear: number | null, unit = 'GBP per hour', geography = 'England') => ({ key: 'gp', version, edition, unit, priceYear, geography });
    expect(basisChanges([v(2, 'PSSRU 2021', 2021), v(1, 'PSSRU 2020', 2020), v(3, 'PSSRU 2021 corrected', 2021)])).toEqual([
      { key: 'gp', from: { version: 1, edition: 'PSSRU 2020', unit: 'GBP per hour', priceYear: 2020, geography: 'England' }, to: { version: 2, edition: 'PSSRU 2021', unit: 'GBP per hour', priceYear: 2021, geography: 'England' }, changes: ['price year: 2020 → 2021'] },
    ]);
    expect(basisChanges([v(1, 'a', 2020), v(2, 'b', 2020, 'GBP per contact', 'UK')])[0]!.changes).toEqual(['unit: GBP per hour → GBP per contact', 'geography: England → UK']);
    expect(basisChanges([v(1, 'a', 2020), v(2, 'b', 2020)])).toEqual([]);
  });
});
