import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { priorityTargetDays } from '../triage/priority.ts';
import { EQUITY_WEIGHTS_OFF, type EquityWeights } from './priority-score.ts';
import { weightHistory, type EquityWeightDecision } from './waiting-list.repository.ts';
import { seenPerWeek, waitsByGroup, type ImpactRow } from './weights-impact.repository.ts';

export interface WeightsImpact {
  /** The decision compared with the one before it (null: no decision yet, both orders are all-off). */
  decision: EquityWeightDecision | null;
  before: EquityWeights;
  after: EquityWeights;
  rows: ImpactRow[];
  /** First contacts per week over the last 26 weeks (null when none): turns a place on the list into weeks. */
  seenPerWeek: number | null;
}

const weightsOf = (decision: EquityWeightDecision | undefined): EquityWeights =>
  decision
    ? { mostDeprivedQuintile: decision.mostDeprivedQuintile, inclusionHealthGroup: decision.inclusionHealthGroup, interpreterNeeded: decision.interpreterNeeded, disability: decision.disability }
    : EQUITY_WEIGHTS_OFF;

/**
 * Waits by group before and after one equity weight decision (the latest when none is named):
 * today's list ordered under the weights before the decision and under the decision's weights.
 * For staff who may read the service's records; the read is audited.
 */
export async function equityWeightsImpact(db: Kysely<Schema>, actor: Actor, serviceId: number, decisionId: number | undefined, today: IsoDate): Promise<WeightsImpact> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'equity_weights' });
  const history = await weightHistory(db, serviceId, 1_000);
  const index = decisionId === undefined ? 0 : history.findIndex((decision) => decision.id === decisionId);
  const decision = index >= 0 ? (history[index] ?? null) : null;
  const before = decision ? weightsOf(history[index + 1]) : EQUITY_WEIGHTS_OFF;
  const after = decision ? weightsOf(decision) : EQUITY_WEIGHTS_OFF;
  const rows = await waitsByGroup(db, { serviceId, asOf: today, targetDays: priorityTargetDays, before, after });
  const pace = await seenPerWeek(db, serviceId, today);
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'equity_weights', subjectId: serviceId, organisationId: service.organisationId, detail: { impactOf: decision?.id ?? null } });
  return { decision, before, after, rows, seenPerWeek: pace > 0 ? pace : null };
}
