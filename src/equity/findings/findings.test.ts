import { describe, expect, it } from 'vitest';
import type { DisclosedAudit, DisclosedDimension, DisclosedGroup, Estimate } from '../audit/audit.model.ts';
import { auditFixture } from '../../../test/support/audit.fixture.ts';
import { findingsOf, type AuditFinding } from './findings.ts';
import { formatPercent, formatRatio, formatWeeks } from './format.ts';

const dimension = (audit: DisclosedAudit, key: string): DisclosedDimension => audit.dimensions.find((d) => d.dimension === key)!;
const group = (audit: DisclosedAudit, key: string, code: string): DisclosedGroup => dimension(audit, key).groups.find((g) => g.group === code)!;
const about = (findings: AuditFinding[], key: string, metric: string) => findings.filter((f) => f.dimension === key && f.metric === metric);

describe('findings from the fixture audit', () => {
  const audit = auditFixture();
  const findings = findingsOf(audit);

  it('reports the planted deprivation gap in referral rates with its ratio and interval', () => {
    const ratio = dimension(audit, 'imd_quintile').inequality!.rateRatio!;
    const [finding, ...others] = about(findings, 'imd_quintile', 'referral-rate');
    expect(others).toEqual([]);
    expect(finding!.kind).toBe('gap');
    expect(finding!.text).toContain(
      `People in the most deprived fifth of areas were referred at ${formatRatio(ratio.value)} times the rate of the least deprived (95% CI ${formatRatio(ratio.lower!)} to ${formatRatio(ratio.upper!)})`,
    );
    expect(formatRatio(ratio.value)).toBe('0.6');
  });

  it('reports longer waits for Black ethnic groups, naming both medians and intervals', () => {
    const black = group(audit, 'ethnic_group', 'black').waits.medianWeeks!;
    const white = group(audit, 'ethnic_group', 'white').waits.medianWeeks!;
    const waits = about(findings, 'ethnic_group', 'wait');
    const finding = waits.find((f) => f.groups[0] === 'black');
    expect(finding?.kind).toBe('gap');
    expect(finding!.groups).toEqual(['black', 'white']);
    expect(finding!.text).toContain(`People from Black ethnic groups waited a median of ${formatWeeks(black.value)} weeks`);
    expect(finding!.text).toContain(`against ${formatWeeks(white.value)} weeks (95% CI ${formatWeeks(white.lower!)} to ${formatWeeks(white.upper!)}) for people from White ethnic groups`);
    expect(finding!.text).toContain('do not overlap');
  });

  it('claims no wait gap where the intervals overlap (Asian and Mixed groups, deprivation)', () => {
    const asian = group(audit, 'ethnic_group', 'asian').waits.medianWeeks!;
    const white = group(audit, 'ethnic_group', 'white').waits.medianWeeks!;
    expect(asian.lower!).toBeLessThanOrEqual(white.upper!);
    const waits = about(findings, 'ethnic_group', 'wait');
    expect(waits.map((f) => f.groups[0])).toEqual(['black']);
    expect(about(findings, 'imd_quintile', 'wait')).toEqual([]);
    const clear = about(findings, 'imd_quintile', 'no-clear-gap')[0]!;
    expect(clear.kind).toBe('no-gap');
    expect(clear.text).toContain('no clear gap between the most and least deprived fifths of areas in waits');
  });

  it('reports missed appointments and outcome gaps by deprivation in the direction of the data', () => {
    const most = group(audit, 'imd_quintile', '1');
    const least = group(audit, 'imd_quintile', '5');
    const dna = about(findings, 'imd_quintile', 'did-not-attend')[0]!;
    expect(dna.kind).toBe('gap');
    expect(dna.text).toContain(`missed ${formatPercent(most.didNotAttendRate!.value)} of their appointments`);
    expect(dna.text).toContain(`against ${formatPercent(least.didNotAttendRate!.value)}`);
    const outcome = about(findings, 'imd_quintile', 'outcome')[0]!;
    expect(most.proms[0]!.improvedShare!.value).toBeLessThan(least.proms[0]!.improvedShare!.value);
    expect(outcome.text).toMatch(/^Fewer people in the most deprived fifth of areas improved on SWEMWBS/);
    // Difference intervals are written as the size of the gap, never as negative numbers.
    expect(outcome.text).not.toMatch(/CI -/);
  });

  it('flags ethnicity recording, but not age (under 5% unknown) or sex (share suppressed)', () => {
    const recording = findings.filter((f) => f.metric === 'recording');
    const ethnicity = recording.find((f) => f.dimension === 'ethnic_group')!;
    expect(ethnicity.kind).toBe('data');
    expect(ethnicity.text).toContain(`Ethnicity is not known or not stated for ${formatPercent(dimension(audit, 'ethnic_group').unknownShare!)} of referrals`);
    expect(formatPercent(dimension(audit, 'ethnic_group').unknownShare!)).toBe('18%');
    expect(recording.some((f) => f.dimension === 'age_band')).toBe(false);
    expect(dimension(audit, 'sex').unknownShare).toBeNull();
    expect(recording.some((f) => f.dimension === 'sex')).toBe(false);
  });

  it('never compares a suppressed group, and says it was left out', () => {
    expect(findings.some((f) => f.kind === 'gap' && f.groups.includes('9'))).toBe(false);
    const withheld = about(findings, 'sex', 'withheld')[0]!;
    expect(withheld.kind).toBe('data');
    expect(withheld.text).toContain('people recorded as indeterminate');
    const other = about(findings, 'ethnic_group', 'withheld')[0]!;
    expect(other.text).toContain('for people from other ethnic groups');
  });

  it('marks the area beyond the 99.8% funnel limit, and not the one outside 95% only', () => {
    const areas = about(findings, 'local_authority', 'area-rate');
    expect(areas.map((f) => f.groups[0])).toEqual(['LA002']);
    expect(areas[0]!.text).toContain('People living in Eastfield were referred less often');
    expect(findings.some((f) => f.text.includes('Riverside'))).toBe(false);
  });

  it('counts people with no fixed address and orders gaps, then no clear gap, then data', () => {
    expect(findings.some((f) => f.metric === 'no-area' && f.text.startsWith(`${group(audit, 'imd_quintile', 'no_area').counts.referrals} referrals`))).toBe(true);
    const order = findings.map((f) => ({ gap: 0, 'no-gap': 1, data: 2 })[f.kind]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const finding of findings) expect(finding.text).not.toMatch(/NaN|undefined|null|Infinity/);
  });

  it('is what the fixture stores as its findings', () => {
    expect(audit.findings).toEqual(findings);
  });
});

describe('findings that must not be made', () => {
  it('says plainly there is no gap when the rate ratio interval includes 1', () => {
    const audit = auditFixture();
    dimension(audit, 'imd_quintile').inequality!.rateRatio = { value: 0.95, lower: 0.85, upper: 1.06, method: 'test' };
    const [finding] = about(findingsOf(audit), 'imd_quintile', 'referral-rate');
    expect(finding!.kind).toBe('no-gap');
    expect(finding!.text).toContain('did not differ clearly');
    expect(finding!.text).toContain('0.95 (95% CI 0.85 to 1.1)');
  });

  it('makes no rate finding when the most deprived group is suppressed or the ratio has no interval', () => {
    const suppressed = auditFixture();
    group(suppressed, 'imd_quintile', '1').counts.referralsInCatchment = null;
    expect(about(findingsOf(suppressed), 'imd_quintile', 'referral-rate')).toEqual([]);
    const noInterval = auditFixture();
    dimension(noInterval, 'imd_quintile').inequality!.rateRatio!.upper = null;
    expect(about(findingsOf(noInterval), 'imd_quintile', 'referral-rate')).toEqual([]);
  });

  it('claims a wait gap only once the intervals stop overlapping', () => {
    const audit = auditFixture();
    const white = group(audit, 'ethnic_group', 'white').waits.medianWeeks!;
    const asian = group(audit, 'ethnic_group', 'asian').waits;
    asian.over18Weeks = null;
    asian.medianWeeks = { ...asian.medianWeeks!, lower: white.upper! };
    expect(about(findingsOf(audit), 'ethnic_group', 'wait').some((f) => f.groups[0] === 'asian')).toBe(false);
    asian.medianWeeks = { ...asian.medianWeeks, lower: white.upper! + 0.05 };
    expect(about(findingsOf(audit), 'ethnic_group', 'wait').some((f) => f.groups[0] === 'asian')).toBe(true);
  });

  it('makes no wait gap from a median without an interval, however far apart', () => {
    const audit = auditFixture();
    const black = group(audit, 'ethnic_group', 'black').waits;
    black.medianWeeks = { value: 30, lower: null, upper: null, method: 'test' } satisfies Estimate;
    black.over18Weeks = null;
    expect(about(findingsOf(audit), 'ethnic_group', 'wait')).toEqual([]);
  });

  it('makes no gap for a group whose counts are suppressed, even if estimates slipped through', () => {
    const audit = auditFixture();
    group(audit, 'ethnic_group', 'black').counts.referrals = null;
    const findings = findingsOf(audit);
    expect(findings.some((f) => f.kind === 'gap' && f.groups.includes('black'))).toBe(false);
    expect(about(findings, 'ethnic_group', 'withheld')[0]!.text).toContain('any figures for people from Black ethnic groups');
  });

  it('makes no missed-appointment gap when the difference interval includes 0', () => {
    const audit = auditFixture();
    const least = group(audit, 'imd_quintile', '5');
    least.didNotAttendRate = { ...group(audit, 'imd_quintile', '1').didNotAttendRate! };
    const findings = findingsOf(audit);
    expect(about(findings, 'imd_quintile', 'did-not-attend')).toEqual([]);
    expect(about(findings, 'imd_quintile', 'no-clear-gap')[0]!.text).toContain('missed appointments');
  });

  it('reports no area beyond the limits when every area sits near the overall rate', () => {
    const audit = auditFixture();
    for (const area of dimension(audit, 'local_authority').groups) {
      if (area.kind !== 'category') continue;
      area.counts.referralsInCatchment = Math.round((area.population! * 4.625) / 1000 / 5) * 5;
    }
    const areas = about(findingsOf(audit), 'local_authority', 'area-rate');
    expect(areas).toHaveLength(1);
    expect(areas[0]!.kind).toBe('no-gap');
    expect(areas[0]!.text).toMatch(/^No local authority's referral rate was beyond the 99.8% control limits/);
  });

  it('raises the recording threshold on request, and drops the no-area finding when that count is hidden', () => {
    const audit = auditFixture();
    group(audit, 'imd_quintile', 'no_area').counts.referrals = null;
    for (const d of audit.dimensions) for (const g of d.groups) if (g.kind === 'no_area') g.counts.referrals = null;
    const findings = findingsOf(audit, { unknownShareThreshold: 0.2 });
    expect(findings.some((f) => f.metric === 'recording')).toBe(false);
    expect(findings.some((f) => f.metric === 'no-area')).toBe(false);
  });
});
