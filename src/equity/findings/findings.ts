/**
 * Plain-English findings from a disclosed equity audit: where a gap between groups is
 * statistically clear, where it is not (said plainly), and where the data themselves are a problem
 * (unknown or not-stated values, people with no area, figures withheld for disclosure control).
 *
 * Pure: a `DisclosedAudit` in, findings out; nothing here sees a raw count. How a gap is decided
 * (see compare.ts and docs/equity-audit-outputs.md):
 * - referral rates, most versus least deprived: the audit's rate ratio and its interval; a gap
 *   when the interval excludes 1;
 * - access relative to need (observed / expected after age): a gap when the interval excludes 1;
 * - areas: exact Poisson funnel limits around the rate of all areas; a gap beyond 99.8%;
 * - median waits: a gap only when the two groups' intervals do not overlap;
 * - shares (waiting over 18 weeks, did not attend, improved) and mean changes: the MOVER
 *   (Newcombe) interval of the difference; a gap when it excludes 0.
 * Ordered dimensions compare the most with the least deprived group; other dimensions compare
 * every group with the largest group. A figure that is suppressed, withheld or missing an
 * interval is never compared: the finding says it was left out.
 */
import type { DimensionKey, DisclosedAudit, DisclosedDimension, DisclosedGroup, Estimate, Finding, PromSummary } from '../audit/audit.model.ts';
import { differenceOf, hasInterval, intervalsOverlap, positionOf, type Difference } from './compare.ts';
import {
  formatConfidence,
  formatCount,
  formatPercent,
  formatPoints,
  formatRate,
  formatRatio,
  formatWeeks,
  listOf,
  sentence,
} from './format.ts';
import { funnelPosition } from './funnel.ts';

export type FindingMetric =
  | 'referral-rate'
  | 'access-ratio'
  | 'area-rate'
  | 'wait'
  | 'did-not-attend'
  | 'outcome'
  | 'no-clear-gap'
  | 'recording'
  | 'no-area'
  | 'withheld';

/** A finding with what it is about, so pages can group and tests can check it. */
export interface AuditFinding extends Finding {
  metric: FindingMetric;
  /** Group codes the finding is about (first the group of interest, then its comparator). */
  groups: string[];
}

export interface FindingOptions {
  /** Dimensions compared group by group on waits, missed appointments and outcomes. */
  compare?: readonly DimensionKey[];
  /** A dimension's unknown / not-stated share at or above this is flagged (default 5%). */
  unknownShareThreshold?: number;
}

export const defaultComparedDimensions: readonly DimensionKey[] = ['imd_quintile', 'ethnic_group', 'age_band', 'sex', 'disability', 'interpreter'];

/** Dimensions whose recording (unknown / not stated share) is checked, in order. */
const recordedDimensions: readonly DimensionKey[] = ['ethnic_group', 'age_band', 'sex', 'disability', 'interpreter', 'language'];

type AuditInput = Omit<DisclosedAudit, 'findings'>;

// ---------------------------------------------------------------------------------------------
// Words for groups and dimensions

const ethnicShort: Record<string, string> = { white: 'White', mixed: 'Mixed', asian: 'Asian', black: 'Black', other: 'other' };

const byDimension: Partial<Record<DimensionKey, string>> = {
  imd_quintile: 'by deprivation',
  imd_decile: 'by deprivation',
  local_quintile: 'by local deprivation',
  ethnic_group: 'by ethnic group',
  ethnicity: 'by ethnic category',
  age_band: 'by age',
  sex: 'by sex',
  disability: 'by disability',
  interpreter: 'by interpreter need',
  language: 'by main language',
  local_authority: 'by local authority',
  icb: 'by integrated care board',
};

const recordedAs: Partial<Record<DimensionKey, string>> = {
  ethnic_group: 'Ethnicity',
  ethnicity: 'Ethnic category',
  age_band: 'Age',
  sex: 'Sex',
  disability: 'Disability',
  interpreter: 'Whether an interpreter is needed',
  language: 'Main language',
};

const areaNoun: Partial<Record<DimensionKey, { part: string; areas: string }>> = {
  imd_quintile: { part: 'fifth', areas: 'areas' },
  imd_decile: { part: 'tenth', areas: 'areas' },
  local_quintile: { part: 'fifth', areas: "the service's areas" },
};

const instrumentName: Record<string, string> = {
  SWEMWBS: 'SWEMWBS',
  GAS: 'Goal Attainment Scaling',
  FFT: 'the Friends and Family Test',
  COPM_PERFORMANCE: 'COPM performance',
  COPM_SATISFACTION: 'COPM satisfaction',
  TOMS: 'Therapy Outcome Measures',
  MOHOST: 'MOHOST',
};

function extremes(dimension: DisclosedDimension): { most: DisclosedGroup; least: DisclosedGroup } | null {
  const ordered = dimension.groups.filter((g) => g.kind === 'category' && g.order !== null);
  if (ordered.length < 2) return null;
  const sorted = [...ordered].sort((a, b) => a.order! - b.order!);
  return { most: sorted[0]!, least: sorted[sorted.length - 1]! };
}

/** "people in the most deprived fifth of areas", "people from Black ethnic groups", ... */
export function peopleIn(dimension: DisclosedDimension, group: DisclosedGroup): string {
  const noun = areaNoun[dimension.dimension];
  if (noun && group.order !== null) {
    const ends = extremes(dimension);
    if (ends?.most.group === group.group) return `people in the most deprived ${noun.part} of ${noun.areas}`;
    if (ends?.least.group === group.group) return `people in the least deprived ${noun.part} of ${noun.areas}`;
    return `people in deprivation ${noun.part === 'fifth' ? 'quintile' : 'decile'} ${group.order}`;
  }
  switch (dimension.dimension) {
    case 'ethnic_group': {
      const short = ethnicShort[group.group];
      return short ? `people from ${short} ethnic groups` : `people in the group "${group.label}"`;
    }
    case 'age_band':
      return `people ${group.label.charAt(0).toLowerCase()}${group.label.slice(1)}`;
    case 'sex':
      return `people recorded as ${group.label.toLowerCase()}`;
    case 'disability':
      return group.group === 'yes' ? 'disabled people' : group.group === 'no' ? 'people who are not disabled' : `people whose disability is "${group.label}"`;
    case 'interpreter':
      return group.group === 'yes' ? 'people who need an interpreter' : group.group === 'no' ? 'people who do not need an interpreter' : `people whose interpreter need is "${group.label}"`;
    case 'local_authority':
    case 'icb':
      return `people living in ${group.label}`;
    default:
      return `people in the group "${group.label}" (${dimension.label.toLowerCase()})`;
  }
}

const ci = (confidence: number, lower: string, upper: string) => `${formatConfidence(confidence)} CI ${lower} to ${upper}`;
const percentCi = (confidence: number, e: Estimate & { lower: number; upper: number }) =>
  ci(confidence, formatPercent(e.lower), formatPercent(e.upper));
/**
 * A difference's interval in percentage points, in the direction the sentence states it (the
 * size of the gap), so a "difference of 12 points" reads "95% CI 2 to 22", never "-22 to -2".
 * A limit that would round to 0 keeps one decimal place, so an interval that excludes 0 never
 * appears to touch it.
 */
const sized = (d: Difference): [number, number] => (d.value < 0 ? [-d.upper, -d.lower] : [d.lower, d.upper]);
const pointsCi = (confidence: number, d: Difference) => {
  const [lower, upper] = sized(d);
  const point = (x: number) => (Math.round(x * 100) === 0 && x !== 0 ? (x * 100).toFixed(1) : String(Math.round(x * 100)));
  return `${formatConfidence(confidence)} CI ${point(lower)} to ${point(upper)}`;
};

// ---------------------------------------------------------------------------------------------
// Comparisons

interface Pair {
  dimension: DisclosedDimension;
  group: DisclosedGroup;
  reference: DisclosedGroup;
}

/** The pairs compared in a dimension: most vs least deprived, or each group vs the largest. */
function pairsOf(dimension: DisclosedDimension): Pair[] {
  const shown = dimension.groups.filter((g) => g.kind === 'category' && g.counts.referrals !== null);
  if (dimension.ordered) {
    const ends = extremes(dimension);
    if (!ends || ends.most.counts.referrals === null || ends.least.counts.referrals === null) return [];
    return [{ dimension, group: ends.most, reference: ends.least }];
  }
  if (shown.length < 2) return [];
  const reference = shown.reduce((largest, g) => (g.counts.referrals! > largest.counts.referrals! ? g : largest));
  return shown.filter((g) => g !== reference).map((group) => ({ dimension, group, reference }));
}

type Outcome = { kind: 'gap'; finding: AuditFinding } | { kind: 'no-gap'; metric: string } | { kind: 'not-compared'; metric: string };

function waitOutcome(pair: Pair, confidence: number): Outcome {
  const a = pair.group.waits;
  const b = pair.reference.waits;
  const overlap = intervalsOverlap(a.medianWeeks, b.medianWeeks);
  const over18 = differenceOf(a.over18Weeks, b.over18Weeks);
  const over18Gap = over18 !== null && positionOf(over18, 0) !== 'includes';
  if (overlap === null && over18 === null) return { kind: 'not-compared', metric: 'waits' };
  if (overlap !== false && !over18Gap) return { kind: 'no-gap', metric: 'waits' };
  const who = peopleIn(pair.dimension, pair.group);
  const than = peopleIn(pair.dimension, pair.reference);
  const parts: string[] = [];
  if (overlap === false) {
    const m = a.medianWeeks as Estimate & { lower: number; upper: number };
    const r = b.medianWeeks as Estimate & { lower: number; upper: number };
    parts.push(
      `${sentence(who)} waited a median of ${formatWeeks(m.value)} weeks for a first contact (${ci(confidence, formatWeeks(m.lower), formatWeeks(m.upper))}), against ${formatWeeks(r.value)} weeks (${ci(confidence, formatWeeks(r.lower), formatWeeks(r.upper))}) for ${than}; the two intervals do not overlap.`,
    );
  }
  if (over18Gap) {
    const s = a.over18Weeks as Estimate & { lower: number; upper: number };
    const r = b.over18Weeks as Estimate & { lower: number; upper: number };
    const more = over18.value > 0 ? 'more' : 'fewer';
    const lead = overlap === false ? `${sentence(more)} of them waited over 18 weeks` : `${sentence(more)} ${who} waited over 18 weeks`;
    parts.push(
      `${lead}: ${formatPercent(s.value)} (${percentCi(confidence, s)}) against ${formatPercent(r.value)} (${percentCi(confidence, r)}) for ${than}, a difference of ${formatPoints(over18.value)} percentage points (${pointsCi(confidence, over18)}).`,
    );
  }
  return { kind: 'gap', finding: { dimension: pair.dimension.dimension, kind: 'gap', metric: 'wait', groups: [pair.group.group, pair.reference.group], text: parts.join(' ') } };
}

function didNotAttendOutcome(pair: Pair, confidence: number): Outcome {
  const a = pair.group.didNotAttendRate;
  const b = pair.reference.didNotAttendRate;
  const difference = differenceOf(a, b);
  if (difference === null) return { kind: 'not-compared', metric: 'missed appointments' };
  if (positionOf(difference, 0) === 'includes') return { kind: 'no-gap', metric: 'missed appointments' };
  const s = a as Estimate & { lower: number; upper: number };
  const r = b as Estimate & { lower: number; upper: number };
  const text = `${sentence(peopleIn(pair.dimension, pair.group))} missed ${formatPercent(s.value)} of their appointments (${percentCi(confidence, s)}), against ${formatPercent(r.value)} (${percentCi(confidence, r)}) for ${peopleIn(pair.dimension, pair.reference)}: a difference of ${formatPoints(difference.value)} percentage points (${pointsCi(confidence, difference)}).`;
  return { kind: 'gap', finding: { dimension: pair.dimension.dimension, kind: 'gap', metric: 'did-not-attend', groups: [pair.group.group, pair.reference.group], text } };
}

function outcomeOutcomes(pair: Pair, confidence: number): Outcome[] {
  const results: Outcome[] = [];
  for (const reference of pair.reference.proms) {
    const own: PromSummary | undefined = pair.group.proms.find((p) => p.instrument === reference.instrument);
    const name = instrumentName[reference.instrument] ?? reference.instrument;
    const metric = `improvement on ${name}`;
    if (!own) {
      results.push({ kind: 'not-compared', metric });
      continue;
    }
    const improved = differenceOf(own.improvedShare, reference.improvedShare);
    if (improved !== null) {
      if (positionOf(improved, 0) === 'includes') {
        results.push({ kind: 'no-gap', metric });
        continue;
      }
      const s = own.improvedShare as Estimate & { lower: number; upper: number };
      const r = reference.improvedShare as Estimate & { lower: number; upper: number };
      const text = `${improved.value < 0 ? 'Fewer' : 'More'} ${peopleIn(pair.dimension, pair.group)} improved on ${name} (by ${formatRatio(reference.meaningfulChange)} points or more): ${formatPercent(s.value)} (${percentCi(confidence, s)}) against ${formatPercent(r.value)} (${percentCi(confidence, r)}) for ${peopleIn(pair.dimension, pair.reference)}, a difference of ${formatPoints(improved.value)} percentage points (${pointsCi(confidence, improved)}).`;
      results.push({ kind: 'gap', finding: { dimension: pair.dimension.dimension, kind: 'gap', metric: 'outcome', groups: [pair.group.group, pair.reference.group], text } });
      continue;
    }
    const change = differenceOf(own.meanChange, reference.meanChange);
    if (change === null) {
      results.push({ kind: 'not-compared', metric });
      continue;
    }
    if (positionOf(change, 0) === 'includes') {
      results.push({ kind: 'no-gap', metric: `change on ${name}` });
      continue;
    }
    const s = own.meanChange as Estimate & { lower: number; upper: number };
    const r = reference.meanChange as Estimate & { lower: number; upper: number };
    const text = `${sentence(peopleIn(pair.dimension, pair.group))} changed by a mean of ${formatRatio(s.value)} points on ${name} (${ci(confidence, formatRatio(s.lower), formatRatio(s.upper))}), against ${formatRatio(r.value)} points (${ci(confidence, formatRatio(r.lower), formatRatio(r.upper))}) for ${peopleIn(pair.dimension, pair.reference)}: a difference of ${formatRatio(Math.abs(change.value))} points (${ci(confidence, ...sized(change).map(formatRatio) as [string, string])}).`;
    results.push({ kind: 'gap', finding: { dimension: pair.dimension.dimension, kind: 'gap', metric: 'outcome', groups: [pair.group.group, pair.reference.group], text } });
  }
  return results;
}

/** Waits, missed appointments and outcomes for one dimension: gaps, one "no clear gap", and what was left out. */
function comparisonFindings(dimension: DisclosedDimension, confidence: number): AuditFinding[] {
  const pairs = pairsOf(dimension);
  if (pairs.length === 0) return [];
  const gaps: AuditFinding[] = [];
  const noGap = new Set<string>();
  const gapMetrics = new Set<string>();
  const leftOut: string[] = [];
  for (const pair of pairs) {
    const outcomes = [waitOutcome(pair, confidence), didNotAttendOutcome(pair, confidence), ...outcomeOutcomes(pair, confidence)];
    const missing: string[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'gap') {
        gaps.push(outcome.finding);
        gapMetrics.add(outcome.finding.metric);
      } else if (outcome.kind === 'no-gap') noGap.add(outcome.metric);
      else missing.push(outcome.metric);
    }
    if (missing.length > 0) {
      // Only the group whose own figures are missing is named; the reference is checked once below.
      const own = missing.filter((metric) => metricShown(pair.reference, metric));
      if (own.length > 0) leftOut.push(`${listOf(own)} for ${peopleIn(dimension, pair.group)}`);
    }
  }
  const findings = [...gaps];
  // Metrics without any gap in this dimension are said plainly, once.
  const clear = [...noGap].filter((metric) => !gapMetrics.has(metricKind(metric)));
  if (clear.length > 0) {
    const noun = areaNoun[dimension.dimension];
    const scope = dimension.ordered
      ? noun
        ? `between the most and least deprived ${noun.part}s of ${noun.areas}`
        : `between ${peopleIn(dimension, pairs[0]!.group)} and ${peopleIn(dimension, pairs[0]!.reference)}`
      : `${byDimension[dimension.dimension] ?? `by ${dimension.label.toLowerCase()}`} (each group compared with ${peopleIn(dimension, pairs[0]!.reference)}, the largest group)`;
    findings.push({
      dimension: dimension.dimension,
      kind: 'no-gap',
      metric: 'no-clear-gap',
      groups: pairs.flatMap((p) => [p.group.group, p.reference.group]).filter((g, i, all) => all.indexOf(g) === i),
      text: `There was no clear gap ${scope} in ${listOf(clear, 'or')}: the ${formatConfidence(confidence)} intervals are consistent with no difference.`,
    });
  }
  const suppressed = dimension.groups.filter((g) => g.kind === 'category' && g.counts.referrals === null);
  const withheld = [...suppressed.map((g) => `any figures for ${peopleIn(dimension, g)}`), ...leftOut];
  if (withheld.length > 0) {
    findings.push({
      dimension: dimension.dimension,
      kind: 'data',
      metric: 'withheld',
      groups: suppressed.map((g) => g.group),
      text: `Some figures ${byDimension[dimension.dimension] ?? `by ${dimension.label.toLowerCase()}`} are not shown because the numbers are too small, so no gap is claimed from them: ${withheld.join('; ')}.`,
    });
  }
  return findings;
}

function metricKind(metric: string): FindingMetric {
  if (metric.includes('wait')) return 'wait';
  if (metric.includes('missed')) return 'did-not-attend';
  return 'outcome';
}

function metricShown(group: DisclosedGroup, metric: string): boolean {
  if (metric === 'waits') return hasInterval(group.waits.medianWeeks) || hasInterval(group.waits.over18Weeks);
  if (metric === 'missed appointments') return hasInterval(group.didNotAttendRate);
  return group.proms.some((p) => metric.endsWith(instrumentName[p.instrument] ?? p.instrument) && (hasInterval(p.improvedShare) || hasInterval(p.meanChange)));
}

// ---------------------------------------------------------------------------------------------
// Referral rates

function deprivationFindings(dimension: DisclosedDimension, confidence: number): AuditFinding[] {
  const ends = extremes(dimension);
  const noun = areaNoun[dimension.dimension];
  if (!ends || !noun) return [];
  const { most, least } = ends;
  const findings: AuditFinding[] = [];
  const ratio = dimension.inequality?.rateRatio ?? null;
  const usable =
    hasInterval(ratio) && most.counts.referralsInCatchment !== null && least.counts.referralsInCatchment !== null && most.ratePer1000 !== null && least.ratePer1000 !== null;
  if (usable) {
    const position = positionOf(ratio, 1);
    const rates = `${formatRate(most.ratePer1000!.value)} against ${formatRate(least.ratePer1000!.value)} referrals per 1,000 residents`;
    const interval = ci(confidence, formatRatio(ratio.lower), formatRatio(ratio.upper));
    if (position === 'includes') {
      findings.push({
        dimension: dimension.dimension,
        kind: 'no-gap',
        metric: 'referral-rate',
        groups: [most.group, least.group],
        text: `Referral rates did not differ clearly between the most and least deprived ${noun.part}s of ${noun.areas} (${rates}): the rate ratio was ${formatRatio(ratio.value)} (${interval}), and that interval includes 1, equal rates.`,
      });
    } else {
      findings.push({
        dimension: dimension.dimension,
        kind: 'gap',
        metric: 'referral-rate',
        groups: [most.group, least.group],
        text: `${sentence(peopleIn(dimension, most))} were referred at ${formatRatio(ratio.value)} times the rate of the least deprived (${interval}): ${rates}.`,
      });
    }
  }
  const access = most.accessRatio;
  if (hasInterval(access) && positionOf(access, 1) !== 'includes') {
    findings.push({
      dimension: dimension.dimension,
      kind: 'gap',
      metric: 'access-ratio',
      groups: [most.group],
      text: `After allowing for age, ${peopleIn(dimension, most)} were referred ${formatRatio(access.value)} times as often as the service's referral rates for each age would predict (${ci(confidence, formatRatio(access.lower), formatRatio(access.upper))}).`,
    });
  }
  return findings;
}

function areaFindings(dimension: DisclosedDimension): AuditFinding[] {
  const areas = dimension.groups.filter(
    (g) => g.kind === 'category' && g.population !== null && g.population > 0 && g.counts.referralsInCatchment !== null && g.ratePer1000 !== null,
  );
  if (areas.length < 3) return [];
  const events = areas.reduce((s, g) => s + g.counts.referralsInCatchment!, 0);
  const population = areas.reduce((s, g) => s + g.population!, 0);
  if (events === 0) return [];
  const target = events / population;
  const noun = dimension.dimension === 'icb' ? 'integrated care board' : 'local authority';
  const findings: AuditFinding[] = [];
  const within95Only: string[] = [];
  for (const area of areas) {
    const position = funnelPosition(area.counts.referralsInCatchment!, area.population!, target);
    if (position === 'above-95' || position === 'below-95') within95Only.push(area.label);
    if (position !== 'above-99.8' && position !== 'below-99.8') continue;
    const oftener = position === 'above-99.8' ? 'more' : 'less';
    findings.push({
      dimension: dimension.dimension,
      kind: 'gap',
      metric: 'area-rate',
      groups: [area.group],
      text: `${sentence(peopleIn(dimension, area))} were referred ${oftener} often than people across all ${areas.length} areas: ${formatRate(area.ratePer1000!.value)} against ${formatRate(target * 1000)} per 1,000 residents, beyond the 99.8% control limit of the funnel plot.`,
    });
  }
  if (findings.length === 0) {
    const alert =
      within95Only.length > 0
        ? ` ${listOf(within95Only)} ${within95Only.length === 1 ? 'was' : 'were'} outside the 95% limits only, which can happen by chance when ${areas.length} areas are compared.`
        : '';
    findings.push({
      dimension: dimension.dimension,
      kind: 'no-gap',
      metric: 'area-rate',
      groups: areas.map((a) => a.group),
      text: `No ${noun}'s referral rate was beyond the 99.8% control limits around the rate across all ${areas.length} areas (${formatRate(target * 1000)} per 1,000 residents).${alert}`,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Data quality

function recordingFindings(audit: AuditInput, threshold: number): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const seen = new Set<DimensionKey>();
  for (const key of recordedDimensions) {
    if (key === 'ethnicity' && seen.has('ethnic_group')) continue;
    const dimension = audit.dimensions.find((d) => d.dimension === key);
    if (!dimension || dimension.unknownShare === null || dimension.unknownReferrals === null) continue;
    seen.add(key);
    if (dimension.unknownShare < threshold) continue;
    const statedAndUnknown = dimension.groups.some((g) => g.group === 'not_stated') ? 'not known or not stated' : 'not known';
    findings.push({
      dimension: key,
      kind: 'data',
      metric: 'recording',
      groups: dimension.groups.filter((g) => g.kind !== 'category').map((g) => g.group),
      text: `${recordedAs[key] ?? dimension.label} is ${statedAndUnknown} for ${formatPercent(dimension.unknownShare)} of referrals (${formatCount(dimension.unknownReferrals)} of ${formatCount(audit.total.counts.referrals ?? 0)}), so gaps ${byDimension[key] ?? ''} may be larger or smaller than shown.`.replace(/ +,/g, ','),
    });
  }
  const area = audit.dimensions.find((d) => d.groups.some((g) => g.kind === 'no_area'));
  const noArea = area?.groups.find((g) => g.kind === 'no_area');
  if (area && noArea && noArea.counts.referrals !== null && noArea.counts.referrals > 0) {
    findings.push({
      dimension: area.dimension,
      kind: 'data',
      metric: 'no-area',
      groups: [noArea.group],
      text: `${formatCount(noArea.counts.referrals)} referrals were of people with no fixed address. They have no area, so no deprivation or population rate, and are shown as a group of their own rather than left out.`,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------

const kindOrder: Record<Finding['kind'], number> = { gap: 0, 'no-gap': 1, data: 2 };

/** Every finding of a disclosed audit: gaps first, then no clear gap, then data quality. */
export function findingsOf(audit: AuditInput, options: FindingOptions = {}): AuditFinding[] {
  const compare = options.compare ?? defaultComparedDimensions;
  const threshold = options.unknownShareThreshold ?? 0.05;
  const byKey = new Map(audit.dimensions.map((d) => [d.dimension, d]));
  const findings: AuditFinding[] = [];

  const deprivation = byKey.get('imd_quintile') ?? byKey.get('imd_decile');
  if (deprivation) findings.push(...deprivationFindings(deprivation, audit.confidence));
  const local = byKey.get('local_quintile');
  if (local) findings.push(...deprivationFindings(local, audit.confidence));
  const areas = byKey.get('local_authority') ?? byKey.get('icb');
  if (areas) findings.push(...areaFindings(areas));

  for (const key of compare) {
    const dimension = byKey.get(key) ?? (key === 'imd_quintile' ? byKey.get('imd_decile') : undefined);
    if (dimension) findings.push(...comparisonFindings(dimension, audit.confidence));
  }
  findings.push(...recordingFindings(audit, threshold));
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => kindOrder[a.finding.kind] - kindOrder[b.finding.kind] || a.index - b.index)
    .map(({ finding }) => finding);
}
