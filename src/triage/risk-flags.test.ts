import { describe, expect, it } from 'vitest';
import { cy } from '../web/content/cy.ts';
import { en } from '../web/content/en.ts';
import { ageOn, flagReason, riskFlagCodes, riskFlags, riskPoints } from './risk-flags.ts';

describe('explainable risk flags', () => {
  it('raises no flag and scores 0 when nothing is known', () => {
    expect(riskFlags({})).toEqual({ flags: [], score: 0 });
    expect(riskFlags({ livesAlone: null, interpreterNeeded: null, deprivationDecile: null, age: null })).toEqual({ flags: [], score: 0 });
  });

  it('raises each flag from its own input, with its points', () => {
    const one = (inputs: Parameters<typeof riskFlags>[0]) => riskFlags(inputs).flags.map((flag) => [flag.code, flag.points]);
    expect(one({ urgent: true })).toEqual([['urgent', 5]]);
    expect(one({ noFixedAddress: true })).toEqual([['no_fixed_address', 3]]);
    expect(one({ livesAlone: true })).toEqual([['lives_alone', 2]]);
    expect(one({ livesAlone: false })).toEqual([]);
    expect(one({ carer: true })).toEqual([['carer', 1]]);
    expect(one({ interpreterNeeded: true })).toEqual([['interpreter', 1]]);
    expect(one({ interpreterNeeded: false })).toEqual([]);
  });

  it('flags deprivation deciles 1 and 2 only', () => {
    const flagged = [1, 2, 3, 5, 10].filter((decile) => riskFlags({ deprivationDecile: decile }).flags.some((f) => f.code === 'deprivation'));
    expect(flagged).toEqual([1, 2]);
    expect(riskFlags({ deprivationDecile: 2 }).flags[0]!.facts).toEqual({ decile: 2 });
  });

  it('puts each age in at most one band, at the band edges', () => {
    const band = (age: number) => riskFlags({ age }).flags.map((f) => f.code);
    expect(band(0)).toEqual(['age_under_18']);
    expect(band(17)).toEqual(['age_under_18']);
    expect(band(18)).toEqual([]);
    expect(band(64)).toEqual([]);
    expect(band(65)).toEqual(['age_65_79']);
    expect(band(79)).toEqual(['age_65_79']);
    expect(band(80)).toEqual(['age_80_plus']);
  });

  it('scores the plain sum of the parts (hand-worked: urgent 5 + lives alone 2 + decile 1 2 + 84 years 2 = 11)', () => {
    const result = riskFlags({ urgent: true, livesAlone: true, deprivationDecile: 1, age: 84 });
    expect(result.score).toBe(11);
    expect(result.flags.map((f) => f.code)).toEqual(['urgent', 'lives_alone', 'deprivation', 'age_80_plus']);
    expect(result.score).toBe(result.flags.reduce((sum, flag) => sum + flag.points, 0));
    const everything = riskFlags({ urgent: true, noFixedAddress: true, livesAlone: true, carer: true, interpreterNeeded: true, deprivationDecile: 1, age: 90 });
    expect(everything.score).toBe(5 + 3 + 2 + 1 + 1 + 2 + 2);
  });

  it('has a reason in English and Welsh for every flag, with its facts filled in', () => {
    for (const code of riskFlagCodes) {
      expect(en.triage.flags[code].length, code).toBeGreaterThan(10);
      expect(cy.triage.flags[code].length, code).toBeGreaterThan(10);
      expect(cy.triage.flags[code], code).not.toBe(en.triage.flags[code]);
    }
    const flag = riskFlags({ deprivationDecile: 1 }).flags[0]!;
    expect(flagReason(flag, en.triage.flags)).toContain('decile 1');
    expect(flagReason(flag, cy.triage.flags)).toContain('1');
    expect(flagReason(flag, cy.triage.flags)).not.toContain('{decile}');
    expect(flagReason(riskFlags({ age: 83 }).flags[0]!, en.triage.flags)).toContain('83');
    expect(Object.keys(riskPoints).sort()).toEqual([...riskFlagCodes].sort());
  });

  it('counts age in whole years on the day', () => {
    expect(ageOn('1946-03-10', '2026-03-09')).toBe(79);
    expect(ageOn('1946-03-10', '2026-03-10')).toBe(80);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn(null, '2026-01-01')).toBeNull();
  });
});
