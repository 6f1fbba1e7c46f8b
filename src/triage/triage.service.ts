import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { mayTriage, triagesAnywhere } from '../access/policies.ts';
import { resolveServiceFor } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import type { ReferralStatus } from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import * as referrals from '../referrals/referral.repository.ts';
import { mayTriage as stateMayTriage, stateAfterTriage, statusAfterTriage } from '../referrals/referral.state.ts';
import type { Schema } from '../store/schema.ts';
import { recordClockEvents } from '../waiting-list/clock-event.writer.ts';
import { targetDate } from './priority.ts';
import { ageOn, riskFlags, riskFlagCodes, type RiskAssessment, type RiskFlagCode } from './risk-flags.ts';
import * as repository from './triage.repository.ts';

/**
 * Triage in Roots: the one writer of triage decisions (triage_decision, append-only, versioned)
 * and of the current-state cache `triage` the equity audit's facts read, so the audit counts
 * exactly the decisions made here (docs/adr/0010). Every function checks access first (refusals
 * go to the audit trail) and records every read of a referral.
 *
 * From the first decision Roots owns the referral's journey: a re-import updates only what the
 * source owns (docs/adr/0008).
 */

// ---------------------------------------------------------------------------------------------
// Recording a decision

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .default(null)
    .transform((value) => (value === '' ? null : value));

export const triageDecisionSchema = z
  .object({
    triagedOn: z.iso.date({ error: 'must be a real date written YYYY-MM-DD' }),
    pathway: z.enum(codes.pathway.values),
    priority: z.enum(codes.priority.values).nullable(),
    outcome: z.enum(codes.triageOutcome.values),
    /** Why the referral goes back to the referrer (required for return_to_referrer). */
    reason: optionalText(2000),
    /** The service or pathway a redirected referral goes to. */
    redirectTo: optionalText(200),
    notes: optionalText(4000),
    /** The referral's version the decision was made against: a stale one is refused (CONFLICT). */
    expectedVersion: z.number().int().positive().optional(),
  })
  .refine((decision) => decision.outcome !== 'accept' || decision.priority !== null, { path: ['priority'], message: 'is required when the referral is accepted to the waiting list' })
  .refine((decision) => decision.outcome !== 'return_to_referrer' || decision.reason !== null, { path: ['reason'], message: 'is required when the referral is returned to the referrer' });
export type TriageDecision = z.input<typeof triageDecisionSchema>;

export interface RecordedTriage {
  referralId: number;
  status: ReferralStatus;
  /** The decision's number among the referral's decisions (1 for the first). */
  decisionVersion: number;
  /** The referral's version after the decision. */
  referralVersion: number;
}

/**
 * Records a triage decision. It opens its own transaction, after the access check: a refusal is
 * written to the audit trail and must not be rolled back with the write it refused. With
 * `expectedVersion`, a referral changed since (another decision, an import) is refused with
 * CONFLICT and nothing is written: of two people triaging at once, only the first wins.
 */
export async function recordTriage(db: Kysely<Schema>, actor: Actor, referralId: number, input: TriageDecision): Promise<RecordedTriage> {
  await requireReferralAccess(db, actor, referralId, 'update');
  const parsed = triageDecisionSchema.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', {
      detail: 'The triage cannot be recorded with these values.',
      problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    });
  }
  const decision = parsed.data;
  const userId = actor.kind === 'staff' ? actor.userId : null;
  return db.transaction().execute(async (trx) => {
    // Locks the referral row: an import or another decision on it waits, or is waited for.
    const referral = (await referrals.lockReferral(trx, referralId))!;
    if (decision.expectedVersion !== undefined && decision.expectedVersion !== referral.version) {
      throw new RootsError('CONFLICT', { detail: 'Someone else changed this referral while you were triaging it: check the current decision and triage again if needed.' });
    }
    if (!stateMayTriage(referral.status)) {
      throw new RootsError('CONFLICT', { detail: `This referral is ${codes.referralStatus.labels[referral.status].toLowerCase()}: it cannot be triaged again.` });
    }
    if (stateAfterTriage(decision.outcome, referral.status) === null) {
      throw new RootsError('VALIDATION_FAILED', { detail: 'The triage cannot be recorded with these values.', problems: [{ field: 'outcome', reason: `cannot be chosen for a referral that is ${referral.status}` }] });
    }
    if (decision.triagedOn < referral.receivedOn) {
      throw new RootsError('VALIDATION_FAILED', { detail: 'The triage cannot be recorded with these values.', problems: [{ field: 'triagedOn', reason: 'is before the referral was received' }] });
    }
    const summary = (await repository.findReferralSummary(trx, referralId))!;
    const risk = assess(summary);
    const flagCodes = risk.flags.map((flag) => flag.code);
    const decisionVersion = await repository.insertDecision(trx, {
      referralId,
      referralVersion: referral.version,
      triagedOn: decision.triagedOn,
      pathway: decision.pathway,
      priority: decision.priority,
      outcome: decision.outcome,
      reason: decision.reason,
      redirectTo: decision.redirectTo,
      notes: decision.notes,
      riskFlags: flagCodes,
      riskScore: risk.score,
      decidedBy: userId,
    });
    await repository.writeCurrentTriage(trx, {
      referralId,
      triagedOn: decision.triagedOn,
      pathway: decision.pathway,
      priority: decision.priority,
      outcome: decision.outcome,
      triagedBy: userId,
      notes: decision.notes,
      riskFlags: flagCodes,
    });
    if (decision.outcome === 'accept') {
      const priority = decision.priority!;
      if (referral.episodeId === null) {
        const episodeId = await referrals.insertStaffEpisode(trx, { referralId, serviceId: referral.serviceId, pathway: decision.pathway, priority, clockStartedOn: referral.receivedOn });
        await recordClockEvents(trx, episodeId, [{ occurredOn: referral.receivedOn, kind: 'start', reason: 'referral_received' }]);
      } else {
        await referrals.updateEpisodeTriage(trx, referral.episodeId, { pathway: decision.pathway, priority });
      }
    }
    const status = statusAfterTriage(decision.outcome, referral.status);
    const referralVersion = await referrals.updateReferralStatus(trx, referralId, status);
    await recordAuditTrail(trx, {
      actor,
      action: 'update',
      subjectKind: 'referral',
      subjectId: referralId,
      organisationId: referral.organisationId,
      detail: { change: 'triage', outcome: decision.outcome, decision: decisionVersion },
    });
    return { referralId, status, decisionVersion, referralVersion };
  });
}

// ---------------------------------------------------------------------------------------------
// Access

/**
 * Checks that the actor may triage this referral (therapists and team leads of its
 * organisation). A refusal is written to the audit trail; another organisation's referral (or
 * none) is reported like one that does not exist.
 */
async function requireReferralAccess(db: Kysely<Schema>, actor: Actor, referralId: number, wanted: 'read' | 'update'): Promise<{ organisationId: number }> {
  const scope = await referrals.findReferralScope(db, referralId);
  if (scope && mayTriage(actor, scope)) return scope;
  if (scope) await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'referral', subjectId: referralId, organisationId: scope.organisationId, detail: { wanted: `triage_${wanted}` } });
  const own = scope && actor.kind === 'staff' && actor.organisationId === scope.organisationId;
  throw new RootsError(own ? 'FORBIDDEN' : 'NOT_FOUND', { detail: own ? 'Your role does not allow triage.' : 'There is no such referral.' });
}

/** Refuses (and audits) an actor who does not triage at all. */
async function requireTriageRole(db: Kysely<Schema>, actor: Actor, subjectKind: string, subjectId: string | number): Promise<void> {
  if (triagesAnywhere(actor)) return;
  const organisationId = actor.kind === 'staff' ? actor.organisationId : null;
  await recordAuditTrail(db, { actor, action: 'denied', subjectKind, subjectId, organisationId, detail: { wanted: 'triage' } });
  throw new RootsError('FORBIDDEN', { detail: 'Only therapists and team leads triage referrals.' });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Risk flags of a referral from what it records (risk-flags.ts, pure). */
export function assess(row: repository.QueueRow): RiskAssessment {
  return riskFlags({
    livesAlone: row.livesAlone,
    carer: row.inclusionGroups.includes('carer'),
    noFixedAddress: row.postcodeStatus === 'no_fixed_address',
    interpreterNeeded: row.interpreterNeeded,
    deprivationDecile: row.decile,
    urgent: row.urgentRisk,
    age: ageOn(row.dateOfBirth, row.receivedOn),
  });
}

/** The services the actor may triage, with how many referrals await triage in each. */
export async function servicesToTriage(db: Kysely<Schema>, actor: Actor): Promise<repository.TriageServiceRow[]> {
  await requireTriageRole(db, actor, 'triage', 'services');
  return repository.listServicesToTriage(db, (actor as { organisationId: number }).organisationId);
}

export const queuePageSize = 25;

export const queueFiltersSchema = z.object({
  show: z.enum(['untriaged', 'triaged', 'all']).default('untriaged'),
  pathway: z.enum(codes.pathway.values).optional(),
  priority: z.enum(codes.priority.values).optional(),
  flags: z.array(z.enum(riskFlagCodes)).default([]),
  unknownArea: z.boolean().default(false),
  page: z.number().int().min(1).max(10_000).default(1),
});
export type QueueFilters = z.input<typeof queueFiltersSchema>;

export interface QueueEntry {
  referralId: number;
  reference: string;
  receivedOn: string;
  status: ReferralStatus;
  age: number | null;
  areaKnown: boolean;
  pathway: codes.Pathway | null;
  priority: codes.Priority | null;
  outcome: codes.TriageOutcome | null;
  risk: RiskAssessment;
}

export interface TriageQueue {
  service: { id: number; code: string; name: string; organisationCode: string };
  filters: z.output<typeof queueFiltersSchema>;
  entries: QueueEntry[];
  total: number;
  page: number;
  pages: number;
}

/**
 * The queue of one service: referrals ordered by risk score (highest first), then received date
 * (oldest first), then reference; filtered by pathway, priority, flags (all of those chosen) and
 * unknown area; one page of them. The read is audited (who looked at which page of the queue).
 */
export async function triageQueue(
  db: Kysely<Schema>,
  actor: Actor,
  name: { serviceCode: string; organisationCode?: string | undefined },
  input: QueueFilters,
  today: string,
): Promise<TriageQueue> {
  const service = await resolveServiceFor(db, actor, name, { on: today, subjectKind: 'triage_queue' });
  if (!mayTriage(actor, service)) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'triage_queue', subjectId: service.serviceId, organisationId: service.organisationId, detail: { wanted: 'triage' } });
    throw new RootsError('FORBIDDEN', { detail: 'Only therapists and team leads of the service triage its referrals.' });
  }
  const filters = queueFiltersSchema.parse(input);
  const rows = await repository.queueRows(db, service.serviceId, { show: filters.show, pathway: filters.pathway, priority: filters.priority, unknownArea: filters.unknownArea });
  const wanted = new Set<RiskFlagCode>(filters.flags);
  const entries = rows
    .map((row): QueueEntry => ({
      referralId: row.referralId,
      reference: row.reference,
      receivedOn: row.receivedOn,
      status: row.status,
      age: ageOn(row.dateOfBirth, row.receivedOn),
      areaKnown: row.areaCode !== null,
      pathway: row.pathway,
      priority: row.priority,
      outcome: row.outcome,
      risk: assess(row),
    }))
    .filter((entry) => [...wanted].every((code) => entry.risk.flags.some((flag) => flag.code === code)))
    .sort((a, b) => b.risk.score - a.risk.score || a.receivedOn.localeCompare(b.receivedOn) || a.reference.localeCompare(b.reference));
  const pages = Math.max(1, Math.ceil(entries.length / queuePageSize));
  const page = Math.min(filters.page, pages);
  const shown = entries.slice((page - 1) * queuePageSize, page * queuePageSize);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'triage_queue',
    subjectId: service.serviceId,
    organisationId: service.organisationId,
    detail: { page, shown: shown.length, referrals: shown.map((entry) => entry.referralId).join(' ') },
  });
  return {
    service: { id: service.serviceId, code: service.serviceCode, name: service.serviceName, organisationCode: service.organisationCode },
    filters: { ...filters, page },
    entries: shown,
    total: entries.length,
    page,
    pages,
  };
}

export interface HistoryEntry {
  version: number | null;
  triagedOn: string;
  pathway: codes.Pathway;
  priority: codes.Priority | null;
  targetDate: string | null;
  outcome: codes.TriageOutcome;
  reason: string | null;
  redirectTo: string | null;
  notes: string | null;
  riskScore: number | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Sent by the source system (an import) rather than decided in Roots. */
  fromSource: boolean;
}

export interface TriageView {
  referral: repository.ReferralSummary;
  age: number | null;
  risk: RiskAssessment;
  /** Newest first; the first is the current decision. */
  history: HistoryEntry[];
  /** Whether a (new) decision may be recorded in the referral's state. */
  mayDecide: boolean;
}

/** One referral for the triage page: summary, risk flags with their reasons' facts, history. The read is audited. */
export async function viewForTriage(db: Kysely<Schema>, actor: Actor, referralId: number): Promise<TriageView> {
  const scope = await requireReferralAccess(db, actor, referralId, 'read');
  const referral = (await repository.findReferralSummary(db, referralId))!;
  const decisions = await repository.listDecisions(db, referralId);
  const history: HistoryEntry[] = decisions.map((d) => ({
    version: d.version,
    triagedOn: d.triagedOn,
    pathway: d.pathway,
    priority: d.priority,
    targetDate: d.priority ? targetDate(d.priority, d.triagedOn) : null,
    outcome: d.outcome,
    reason: d.reason,
    redirectTo: d.redirectTo,
    notes: d.notes,
    riskScore: d.riskScore,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    fromSource: false,
  }));
  const source = await repository.findSourceTriage(db, referralId);
  if (source) {
    history.push({ version: null, ...source, targetDate: source.priority ? targetDate(source.priority, source.triagedOn) : null, reason: null, redirectTo: null, notes: null, riskScore: null, decidedBy: null, decidedAt: null, fromSource: true });
  }
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'referral', subjectId: referralId, organisationId: scope.organisationId, detail: { view: 'triage' } });
  return { referral, age: ageOn(referral.dateOfBirth, referral.receivedOn), risk: assess(referral), history, mayDecide: stateMayTriage(referral.status) };
}
