/**
 * The one choke point between the audit's raw counts and anything shown outside the care team:
 * `discloseAudit` turns `AuditAggregates` into a `DisclosedAudit`, the only type the outputs accept.
 *
 * 1. Every count becomes 0, a rounded number, or null (hidden): primary suppression of small
 *    numbers, then secondary suppression so that no hidden count can be worked out from the
 *    families of counts that add up (audit.cells.ts lists them; suppression.ts hides).
 * 2. Statistics are computed from the counts as disclosed, and withheld when a count they depend
 *    on is hidden (audit.statistics.ts).
 * 2a. A breakdown whose shown groups are all 0 beside a hidden group is hidden whole
 *    (`pointsAtHiddenPart`): the zeros would say everyone is in the hidden group.
 * 3. Ordered (deprivation) dimensions get the most / least deprived rate ratio and PHE's SII and
 *    RII of the rate per 1,000.
 *
 * The rule defaults to the NHS rule (1-7 hidden, the rest rounded to 5). `nationalDisclosureRule`
 * turns control off, and only when passed explicitly.
 */
import { dischargeOutcome, type DischargeOutcome } from '../../domain/codes.ts';
import type {
  AggregateDimension,
  AggregateGroup,
  AuditAggregates,
  DisclosedAudit,
  DisclosedCount,
  DisclosedCounts,
  DisclosedDimension,
  DisclosedGroup,
  InequalitySummary,
} from './audit.model.ts';
import { auditCells, type AuditCells, type CountField, type RowAddress } from './audit.cells.ts';
import {
  accessRatio,
  didNotAttendRate,
  inequalityIndices,
  promSummary,
  ratePer1000,
  rateRatio,
  standardisedRatePer1000,
  waitSummary,
  type OrderedGroupRate,
} from './audit.statistics.ts';
import { checkDisclosureRule, describeDisclosureRule, discloseCount, nhsDisclosureRule, type DisclosureRule } from '../../disclosure/disclosure.ts';
import { pointsAtHiddenPart, suppressCells } from '../../disclosure/suppression.ts';

export function discloseAudit(aggregates: AuditAggregates, rule: DisclosureRule = nhsDisclosureRule): DisclosedAudit {
  checkDisclosureRule(rule);
  const confidence = aggregates.confidence;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`The confidence level must lie between 0 and 1, not ${confidence}`);
  const cells = auditCells(aggregates);
  const { hidden } = suppressCells(cells.values, cells.families, rule);
  const shown = (cell: number): DisclosedCount => (hidden[cell] ? null : discloseCount(cells.values[cell]!, rule).value);

  const totalAddress: RowAddress = { dimension: null };
  const totalInCatchment = shown(cells.count(totalAddress, 'referralsInCatchment'));
  const totalByAge = totalInCatchment === null ? null : byAgeOf(cells, totalAddress, shown);
  const reference = { counts: totalByAge, populations: aggregates.total.populationByAge };

  const total = discloseGroup(aggregates.total, totalAddress, cells, shown, reference, confidence, rule);
  const dimensions = aggregates.dimensions.map((dimension, d) => {
    // Zeros beside a hidden group would point at it: such a breakdown is hidden whole.
    const referrals = dimension.groups.map((_, g) => shown(cells.count({ dimension: d, group: g }, 'referrals')));
    // (The count of unknowns is hidden too when the breakdown has unknown groups; without them it is 0 by definition.)
    const unknownCell = cells.unknownReferrals(d);
    const hasUnknownGroups = dimension.groups.some((g) => g.kind === 'unknown' || g.kind === 'no_area');
    const inDimension: Shown = pointsAtHiddenPart(referrals) ? (cell) => (cell === unknownCell && !hasUnknownGroups ? shown(cell) : null) : shown;
    return discloseDimension(dimension, d, cells, inDimension, reference, confidence, total.counts.referrals, rule);
  });

  return {
    service: { ...aggregates.service },
    period: { ...aggregates.period },
    confidence,
    generatedAt: aggregates.generatedAt,
    sources: [...aggregates.sources],
    disclosure: { suppressUpTo: rule.suppressUpTo, roundTo: rule.roundTo, applied: true, description: describeDisclosureRule(rule) },
    total,
    dimensions,
    findings: [],
  };
}

type Shown = (cell: number) => DisclosedCount;
interface Reference {
  counts: DisclosedCount[] | null;
  populations: Record<string, number> | null;
}

function byAgeOf(cells: AuditCells, row: RowAddress, shown: Shown): DisclosedCount[] | null {
  return cells.byAge(row)?.map(shown) ?? null;
}

function discloseCounts(cells: AuditCells, row: RowAddress, shown: Shown): DisclosedCounts {
  const c = (field: CountField) => shown(cells.count(row, field));
  return {
    referrals: c('referrals'),
    referralsInCatchment: c('referralsInCatchment'),
    triaged: c('triaged'),
    priority: { P1: c('priority.P1'), P2: c('priority.P2'), P3: c('priority.P3'), P4: c('priority.P4') },
    triageOutcome: {
      accept: c('triageOutcome.accept'),
      advice_discharge: c('triageOutcome.advice_discharge'),
      redirect: c('triageOutcome.redirect'),
      return_to_referrer: c('triageOutcome.return_to_referrer'),
    },
    episodes: c('episodes'),
    seen: c('seen'),
    stillWaiting: c('stillWaiting'),
    contactsAttended: c('contactsAttended'),
    contactsDidNotAttend: c('contactsDidNotAttend'),
    discharged: c('discharged'),
    dischargeOutcomes: Object.fromEntries(dischargeOutcome.values.map((code) => [code, c(`dischargeOutcomes.${code}`)])) as Record<DischargeOutcome, DisclosedCount>,
  };
}

function discloseGroup(group: AggregateGroup, row: RowAddress, cells: AuditCells, shown: Shown, reference: Reference, confidence: number, rule: DisclosureRule): DisclosedGroup {
  const counts = discloseCounts(cells, row, shown);
  // Standardised figures rest on the group's referrals of catchment residents as well as on its
  // age-band counts (which they reveal): with that count hidden they are withheld, or the band
  // counts would add back up to it.
  const byAge = counts.referralsInCatchment === null ? null : byAgeOf(cells, row, shown);
  return {
    group: group.group,
    label: group.label,
    kind: group.kind,
    order: group.order,
    counts,
    population: group.population,
    ratePer1000: ratePer1000(counts.referralsInCatchment, group.population, confidence),
    standardisedRatePer1000: standardisedRatePer1000(byAge, group.populationByAge, confidence),
    accessRatio: accessRatio(byAge, group.populationByAge, reference.counts, reference.populations, confidence),
    didNotAttendRate: didNotAttendRate(counts.contactsDidNotAttend, counts.contactsAttended, confidence),
    waits: waitSummary(group.waits, counts.episodes, counts.seen, confidence, rule),
    proms: cells.instruments.map((instrument) => {
      const raw = group.proms.find((p) => p.instrument === instrument) ?? null;
      const promCells = cells.prom(row, instrument);
      return promSummary(instrument, shown(promCells.pairs), shown(promCells.improved), raw, raw?.meaningfulChange ?? meaningfulChangeOf(cells, instrument), confidence);
    }),
  };
}

/** The meaningful change of an instrument a group has no pairs for (taken from any group that has). */
function meaningfulChangeOf(cells: AuditCells, instrument: string): number {
  return cells.meaningfulChange.get(instrument) ?? 0;
}

function discloseDimension(
  dimension: AggregateDimension,
  d: number,
  cells: AuditCells,
  shown: Shown,
  reference: Reference,
  confidence: number,
  totalReferrals: DisclosedCount,
  rule: DisclosureRule,
): DisclosedDimension {
  const groups = dimension.groups.map((group, g) => discloseGroup(group, { dimension: d, group: g }, cells, shown, reference, confidence, rule));
  const unknownReferrals = shown(cells.unknownReferrals(d));
  const unknownShare = unknownReferrals !== null && totalReferrals !== null && totalReferrals > 0 ? unknownReferrals / totalReferrals : null;
  return {
    dimension: dimension.dimension,
    label: dimension.label,
    ordered: dimension.ordered,
    additive: dimension.additive,
    groups,
    unknownReferrals,
    unknownShare,
    inequality: dimension.ordered ? inequalityOf(groups, confidence) : null,
    notes: [...dimension.notes],
  };
}

/** Most / least deprived rate ratio, SII and RII across the ordered categories (unknown groups left out). */
function inequalityOf(groups: readonly DisclosedGroup[], confidence: number): InequalitySummary {
  const ordered: OrderedGroupRate[] = groups
    .filter((g) => g.kind === 'category' && g.order !== null)
    .map((g) => ({ group: g.group, order: g.order as number, count: g.counts.referralsInCatchment, population: g.population }))
    .sort((a, b) => a.order - b.order);
  if (ordered.length < 2) return { rateRatio: null, sii: null, rii: null };
  const { sii, rii } = inequalityIndices(ordered, confidence);
  return { rateRatio: rateRatio(ordered[0]!, ordered[ordered.length - 1]!, confidence), sii, rii };
}
