import { describe, expect, it } from 'vitest';
import { nhsDisclosureRule } from '../../src/disclosure/disclosure.ts';
import type { DisclosedCount } from '../../src/equity/audit/audit.model.ts';
import { auditFixture } from './audit.fixture.ts';

function counts(value: unknown): DisclosedCount[] {
  if (value === null || typeof value === 'number') return [value as DisclosedCount];
  if (typeof value === 'object') return Object.values(value as object).flatMap(counts);
  return [];
}

describe('the fixture audit', () => {
  const audit = auditFixture();
  it('holds only disclosed counts: zero, null, or a multiple of 5 above the suppression threshold', () => {
    const all = [audit.total, ...audit.dimensions.flatMap((d) => d.groups)].flatMap((g) => counts(g.counts));
    expect(all.length).toBeGreaterThan(500);
    for (const count of all) {
      if (count === null || count === 0) continue;
      expect(count % nhsDisclosureRule.roundTo).toBe(0);
      expect(count).toBeGreaterThan(nhsDisclosureRule.suppressUpTo);
    }
    expect(all).toContain(null);
  });
  it('computes rates from the disclosed counts', () => {
    for (const group of audit.dimensions.find((d) => d.dimension === 'imd_quintile')!.groups) {
      if (!group.ratePer1000) continue;
      expect(group.ratePer1000.value).toBeCloseTo((group.counts.referralsInCatchment! / group.population!) * 1000, 10);
    }
  });
  it('builds a fresh copy on every call', () => {
    const other = auditFixture();
    other.total.counts.referrals = 1;
    expect(audit.total.counts.referrals).not.toBe(1);
  });
});
