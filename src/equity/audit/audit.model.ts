/**
 * The equity audit's data model (PRODUCT.md §2.2), in two stages:
 *
 * 1. `AuditAggregates`: raw counts straight from SQL (audit.engine.ts). Never leaves the equity
 *    module: it holds small counts that would identify people.
 * 2. `DisclosedAudit`: the same after disclosure control (../disclosure/audit.disclosure.ts), the
 *    one choke point. Counts are rounded or suppressed (null), statistics are computed from the
 *    disclosed counts, and statistics of groups too small to show are withheld. Every output
 *    (JSON, CSV, XLSX, HTML, API, the /equity page) accepts only this type.
 */
import { dischargeOutcome, type DischargeOutcome, type OutcomeInstrument } from '../../domain/codes.ts';
import type { DisclosureRule } from '../../disclosure/disclosure.ts';

export interface AuditRequest {
  serviceId: number;
  /** Referrals received from `from` to `to` inclusive ('YYYY-MM-DD'). */
  from: string;
  to: string;
  /** Waits of people still waiting are censored at this date (default `to`). */
  asOf?: string;
  /** Confidence level of every interval (default 0.95). */
  confidence?: number;
}

export const dimensionKeys = [
  'imd_quintile',
  'imd_decile',
  'local_quintile',
  'age_band',
  'sex',
  'ethnic_group',
  'ethnicity',
  'disability',
  'inclusion_group',
  'interpreter',
  'language',
  'pathway',
  'referral_source',
  'icb',
  'local_authority',
] as const;
export type DimensionKey = (typeof dimensionKeys)[number];

/** Whether a group is a real category, unknown / not stated, or people with no area (e.g. homeless). */
export type GroupKind = 'category' | 'unknown' | 'no_area';

// ---------------------------------------------------------------------------------------------
// Stage 1: raw aggregates

/** Every count the audit keeps per group. */
export interface GroupCounts {
  referrals: number;
  /** Referrals of residents of the service's catchment: the numerator of population rates. */
  referralsInCatchment: number;
  triaged: number;
  priority: { P1: number; P2: number; P3: number; P4: number };
  triageOutcome: { accept: number; advice_discharge: number; redirect: number; return_to_referrer: number };
  /** Accepted to the waiting list (an episode with a started clock). */
  episodes: number;
  seen: number;
  stillWaiting: number;
  contactsAttended: number;
  contactsDidNotAttend: number;
  discharged: number;
  dischargeOutcomes: Record<DischargeOutcome, number>;
}

/** A group with nothing counted yet. */
export const zeroCounts = (): GroupCounts => ({
  referrals: 0,
  referralsInCatchment: 0,
  triaged: 0,
  priority: { P1: 0, P2: 0, P3: 0, P4: 0 },
  triageOutcome: { accept: 0, advice_discharge: 0, redirect: 0, return_to_referrer: 0 },
  episodes: 0,
  seen: 0,
  stillWaiting: 0,
  contactsAttended: 0,
  contactsDidNotAttend: 0,
  discharged: 0,
  dischargeOutcomes: Object.fromEntries(dischargeOutcome.values.map((code) => [code, 0])) as Record<DischargeOutcome, number>,
});

/** Waits to first contact by whole days: `seen` events and `censored` (still waiting, or left unseen). */
export interface WaitCount {
  days: number;
  seen: number;
  censored: number;
}

export interface PromSums {
  instrument: OutcomeInstrument;
  pairs: number;
  sumChange: number;
  sumSquaredChange: number;
  improved: number;
  /** The change counted as improvement, and its source. */
  meaningfulChange: number;
}

export interface AggregateGroup {
  group: string;
  label: string;
  kind: GroupKind;
  /** 1 = most deprived (ordered dimensions only). */
  order: number | null;
  counts: GroupCounts;
  /** Catchment population of the group, where the reference data gives one. */
  population: number | null;
  /** Catchment population by audit age band, where available (for standardisation). */
  populationByAge: Record<string, number> | null;
  /** Referrals of catchment residents by audit age band (for standardisation). */
  referralsByAge: Record<string, number> | null;
  waits: WaitCount[];
  proms: PromSums[];
}

export interface AggregateDimension {
  dimension: DimensionKey;
  label: string;
  ordered: boolean;
  /** Whether the groups partition the referrals (false for inclusion groups: a person may be in several). */
  additive: boolean;
  groups: AggregateGroup[];
  notes: string[];
}

export interface AuditContext {
  service: { id: number; code: string; name: string; organisationName: string; catchment: string };
  period: { from: string; to: string; asOf: string };
  confidence: number;
  generatedAt: string;
  /** Sources used (deprivation index, population) with their attribution. */
  sources: string[];
}

export interface AuditAggregates extends AuditContext {
  total: AggregateGroup;
  dimensions: AggregateDimension[];
}

// ---------------------------------------------------------------------------------------------
// Stage 2: disclosed audit

/** A count after disclosure control: a rounded number, or null when suppressed. */
export type DisclosedCount = number | null;

/** A statistic with its interval and the method that produced it. */
export interface Estimate {
  value: number;
  lower: number | null;
  upper: number | null;
  method: string;
}

export interface DisclosedCounts {
  referrals: DisclosedCount;
  referralsInCatchment: DisclosedCount;
  triaged: DisclosedCount;
  priority: { P1: DisclosedCount; P2: DisclosedCount; P3: DisclosedCount; P4: DisclosedCount };
  triageOutcome: { accept: DisclosedCount; advice_discharge: DisclosedCount; redirect: DisclosedCount; return_to_referrer: DisclosedCount };
  episodes: DisclosedCount;
  seen: DisclosedCount;
  stillWaiting: DisclosedCount;
  contactsAttended: DisclosedCount;
  contactsDidNotAttend: DisclosedCount;
  discharged: DisclosedCount;
  dischargeOutcomes: Record<DischargeOutcome, DisclosedCount>;
}

export interface WaitSummary {
  /** Kaplan-Meier median and 90th centile of the wait to first contact, in weeks. */
  medianWeeks: Estimate | null;
  p90Weeks: Estimate | null;
  /** Share (0-1) waiting more than 6, 18 and 52 weeks, people still waiting included (Kaplan-Meier). */
  over6Weeks: Estimate | null;
  over18Weeks: Estimate | null;
  over52Weeks: Estimate | null;
}

export interface PromSummary {
  instrument: OutcomeInstrument;
  pairs: DisclosedCount;
  meanChange: Estimate | null;
  improved: DisclosedCount;
  improvedShare: Estimate | null;
  meaningfulChange: number;
}

export interface DisclosedGroup {
  group: string;
  label: string;
  kind: GroupKind;
  order: number | null;
  counts: DisclosedCounts;
  /** Population is public reference data: shown as published. */
  population: number | null;
  /** Referrals per 1,000 population (crude), Byar / exact Poisson interval, from the disclosed count. */
  ratePer1000: Estimate | null;
  /** Directly age-standardised referrals per 1,000 (ESP 2013 collapsed to the audit's age bands). */
  standardisedRatePer1000: Estimate | null;
  /** Access relative to need: observed / expected referrals (indirect standardisation on age). */
  accessRatio: (Estimate & { observed: number; expected: number }) | null;
  /** Did-not-attend share of attended + did-not-attend contacts (Wilson). */
  didNotAttendRate: Estimate | null;
  waits: WaitSummary;
  proms: PromSummary[];
}

export interface InequalitySummary {
  /** Rate ratio of the most to the least deprived group. */
  rateRatio: Estimate | null;
  /** PHE slope index of inequality of the rate per 1,000 across the ordered groups. */
  sii: Estimate | null;
  /** PHE relative index of inequality (PHE's definition, labelled so). */
  rii: Estimate | null;
}

export interface DisclosedDimension {
  dimension: DimensionKey;
  label: string;
  ordered: boolean;
  additive: boolean;
  groups: DisclosedGroup[];
  /** Referrals in unknown / not stated / no-area groups (disclosed) and their share of all referrals. */
  unknownReferrals: DisclosedCount;
  unknownShare: number | null;
  inequality: InequalitySummary | null;
  notes: string[];
}

export interface Finding {
  dimension: DimensionKey | 'total';
  /** 'gap': the interval excludes no difference; 'no-gap': it does not; 'data': data quality. */
  kind: 'gap' | 'no-gap' | 'data';
  text: string;
}

export interface DisclosedAudit extends AuditContext {
  readonly disclosure: DisclosureRule & { applied: true; description: string };
  total: DisclosedGroup;
  dimensions: DisclosedDimension[];
  findings: Finding[];
}
