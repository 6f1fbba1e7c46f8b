import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { requireServiceAccess, resolveServiceFor } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { summariseWaits, type WaitSummary } from './clock-recompute.ts';
import type { ClockRuleSet } from './clock-rules.ts';

export interface ClockRuleComparison {
  asOf: IsoDate;
  a: { rules: ClockRuleSet; summary: WaitSummary };
  b: { rules: ClockRuleSet; summary: WaitSummary };
}

/**
 * What a change of access policy would do to a service's waits: the same clock events
 * recomputed under rule set A and rule set B as of one day, each summarised in SQL (people
 * waiting, median and 92nd percentile wait in days, how many wait more than 18 weeks, clocks
 * stopped). Nothing is written but the audit entry. Aggregates only, so every role of the
 * service's organisation and its commissioners may see it (the `read_aggregates` rule).
 */
export async function compareClockRules(db: Kysely<Schema>, actor: Actor, serviceId: number, rulesA: ClockRuleSet, rulesB: ClockRuleSet, asOf: IsoDate): Promise<ClockRuleComparison> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_aggregates', { on: asOf, subjectKind: 'clock_rules' });
  const a = await summariseWaits(db, { serviceId }, rulesA, asOf);
  const b = await summariseWaits(db, { serviceId }, rulesB, asOf);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'clock_rules',
    subjectId: serviceId,
    organisationId: service.organisationId,
    detail: { asOf, rulesA: ruleCode(rulesA), rulesB: ruleCode(rulesB), waitingA: a.waiting, waitingB: b.waiting },
  });
  return { asOf, a: { rules: rulesA, summary: a }, b: { rules: rulesB, summary: b } };
}

/** The same, for a service named by code (`ORG~code`, or a code and its organisation), as the page names it. */
export async function compareClockRulesByCode(
  db: Kysely<Schema>,
  actor: Actor,
  name: { serviceCode: string; organisationCode?: string | undefined },
  rulesA: ClockRuleSet,
  rulesB: ClockRuleSet,
  asOf: IsoDate,
): Promise<ClockRuleComparison & { serviceName: string; serviceRef: string }> {
  const service = await resolveServiceFor(db, actor, name, { on: asOf, subjectKind: 'clock_rules' });
  const comparison = await compareClockRules(db, actor, service.serviceId, rulesA, rulesB, asOf);
  return { ...comparison, serviceName: service.serviceName, serviceRef: `${service.organisationCode}~${service.serviceCode}` };
}

/** A rule set as a short code for the audit trail: `dna:restart cancelled:pause unavailable:ignore`. */
function ruleCode(rules: ClockRuleSet): string {
  return `dna:${rules.didNotAttend} cancelled:${rules.patientCancelled} unavailable:${rules.patientUnavailable}`;
}
