/**
 * The one way an output reads a disclosed audit. TypeScript's structural types let an object
 * with extra properties pass as a `DisclosedAudit` (say, a group that still carries its raw waits),
 * so every output first copies the audit field by field into a fresh object of exactly the
 * published shape, as Fastify's response schemas do for routes, and refuses anything that has not
 * been through disclosure control. Findings are worked out here when the audit has none yet.
 */
import type {
  DisclosedAudit,
  DisclosedCounts,
  DisclosedDimension,
  DisclosedGroup,
  Estimate,
  InequalitySummary,
  PromSummary,
  WaitSummary,
} from '../audit/audit.model.ts';
import { findingsOf } from '../findings/findings.ts';

export class NotDisclosedError extends Error {
  constructor() {
    super('Only an audit that has been through disclosure control can be output');
    this.name = 'NotDisclosedError';
  }
}

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function estimate<T extends Estimate | null | undefined>(e: T): Estimate | null {
  if (e == null || typeof e.value !== 'number' || !Number.isFinite(e.value)) return null;
  return { value: e.value, lower: count(e.lower), upper: count(e.upper), method: String(e.method) };
}

function counts(c: DisclosedCounts): DisclosedCounts {
  return {
    referrals: count(c.referrals),
    referralsInCatchment: count(c.referralsInCatchment),
    triaged: count(c.triaged),
    priority: { P1: count(c.priority.P1), P2: count(c.priority.P2), P3: count(c.priority.P3), P4: count(c.priority.P4) },
    triageOutcome: {
      accept: count(c.triageOutcome.accept),
      advice_discharge: count(c.triageOutcome.advice_discharge),
      redirect: count(c.triageOutcome.redirect),
      return_to_referrer: count(c.triageOutcome.return_to_referrer),
    },
    episodes: count(c.episodes),
    seen: count(c.seen),
    stillWaiting: count(c.stillWaiting),
    contactsAttended: count(c.contactsAttended),
    contactsDidNotAttend: count(c.contactsDidNotAttend),
    discharged: count(c.discharged),
    dischargeOutcomes: {
      gp_appointment_avoided: count(c.dischargeOutcomes.gp_appointment_avoided),
      cmh_referral_avoided: count(c.dischargeOutcomes.cmh_referral_avoided),
      self_management_plan: count(c.dischargeOutcomes.self_management_plan),
      returned_to_work: count(c.dischargeOutcomes.returned_to_work),
      stayed_in_work: count(c.dischargeOutcomes.stayed_in_work),
      stayed_in_education: count(c.dischargeOutcomes.stayed_in_education),
      admission_avoided: count(c.dischargeOutcomes.admission_avoided),
    },
  };
}

function waits(w: WaitSummary): WaitSummary {
  return {
    medianWeeks: estimate(w.medianWeeks),
    p90Weeks: estimate(w.p90Weeks),
    over6Weeks: estimate(w.over6Weeks),
    over18Weeks: estimate(w.over18Weeks),
    over52Weeks: estimate(w.over52Weeks),
  };
}

function prom(p: PromSummary): PromSummary {
  return {
    instrument: p.instrument,
    pairs: count(p.pairs),
    meanChange: estimate(p.meanChange),
    improved: count(p.improved),
    improvedShare: estimate(p.improvedShare),
    meaningfulChange: p.meaningfulChange,
  };
}

function group(g: DisclosedGroup): DisclosedGroup {
  const access = g.accessRatio ? estimate(g.accessRatio) : null;
  return {
    group: String(g.group),
    label: String(g.label),
    kind: g.kind,
    order: count(g.order),
    counts: counts(g.counts),
    population: count(g.population),
    ratePer1000: estimate(g.ratePer1000),
    standardisedRatePer1000: estimate(g.standardisedRatePer1000),
    accessRatio: access && g.accessRatio ? { ...access, observed: g.accessRatio.observed, expected: g.accessRatio.expected } : null,
    didNotAttendRate: estimate(g.didNotAttendRate),
    waits: waits(g.waits),
    proms: g.proms.map(prom),
  };
}

function inequality(i: InequalitySummary | null): InequalitySummary | null {
  return i ? { rateRatio: estimate(i.rateRatio), sii: estimate(i.sii), rii: estimate(i.rii) } : null;
}

function dimension(d: DisclosedDimension): DisclosedDimension {
  return {
    dimension: d.dimension,
    label: String(d.label),
    ordered: d.ordered === true,
    additive: d.additive === true,
    groups: d.groups.map(group),
    unknownReferrals: count(d.unknownReferrals),
    unknownShare: count(d.unknownShare),
    inequality: inequality(d.inequality),
    notes: d.notes.map(String),
  };
}

/** A fresh copy of exactly the published fields, with findings; throws unless disclosure control was applied. */
export function projectAudit(audit: DisclosedAudit): DisclosedAudit {
  if (audit?.disclosure?.applied !== true) throw new NotDisclosedError();
  const projected: DisclosedAudit = {
    service: {
      id: audit.service.id,
      code: String(audit.service.code),
      name: String(audit.service.name),
      organisationName: String(audit.service.organisationName),
      catchment: String(audit.service.catchment),
    },
    period: { from: audit.period.from, to: audit.period.to, asOf: audit.period.asOf },
    confidence: audit.confidence,
    generatedAt: audit.generatedAt,
    sources: audit.sources.map(String),
    disclosure: {
      suppressUpTo: audit.disclosure.suppressUpTo,
      roundTo: audit.disclosure.roundTo,
      applied: true,
      description: String(audit.disclosure.description),
    },
    total: group(audit.total),
    dimensions: audit.dimensions.map(dimension),
    findings: [],
  };
  projected.findings = (audit.findings.length > 0 ? audit.findings : findingsOf(projected)).map((f) => ({ dimension: f.dimension, kind: f.kind, text: String(f.text) }));
  return projected;
}
