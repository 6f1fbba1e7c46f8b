import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { mayRecordCare } from '../access/policies.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { endOpenAllocation } from '../allocation/allocation.repository.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import type { OutcomeInstrument, OutcomeTimepoint } from '../domain/codes.ts';
import { RootsError, type Problem } from '../errors/roots-error.ts';
import * as referrals from '../referrals/referral.repository.ts';
import { nextState, type ReferralState } from '../referrals/referral.state.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { recordClockEvents } from '../waiting-list/clock-event.writer.ts';
import { goalAttainmentTScore } from './goal-attainment.ts';
import { changeScore, instrumentRules, isValidScore, normaliseHcpcNumber, type ChangeScore } from './instruments.ts';
import * as repository from './outcomes.repository.ts';
import { swemwbsMetricScore, swemwbsRawScore } from './swemwbs.ts';

/**
 * Outcomes of an episode in Roots: outcome responses (SWEMWBS from its seven item answers, GAS
 * from goal levels and weights, FFT, and the licensed instruments as scores only), the
 * discharge, and the AHP Health and Work Report. Every function checks access first: staff of the
 * service who may see identifiable records read (therapists, team leads, administrators);
 * therapists and team leads record. Every read and every change is written to the audit trail.
 */

type Db = Kysely<Schema>;

const invalid = (problems: Problem[], detail = 'These values cannot be recorded.') => new RootsError('VALIDATION_FAILED', { detail, problems });

// ---------------------------------------------------------------------------------------------
// Access

async function requireEpisodeAccess(db: Db, actor: Actor, episodeId: number, wanted: 'read' | 'record', today: IsoDate) {
  const serviceId = await repository.findEpisodeService(db, episodeId);
  if (serviceId === undefined) throw new RootsError('NOT_FOUND', { detail: 'There is no such episode.' });
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'episode' });
  if (wanted === 'record' && !mayRecordCare(actor, service)) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'episode', subjectId: episodeId, organisationId: service.organisationId, detail: { wanted: 'record_outcomes' } });
    throw new RootsError('FORBIDDEN', { detail: 'Only therapists and team leads of the service record outcomes, discharges and work reports.' });
  }
  return service;
}

/**
 * Refuses (and audits) an actor who may not record for this episode, before a form is even
 * validated: a refused person learns nothing from the form's errors.
 */
export async function requireMayRecord(db: Db, actor: Actor, episodeId: number, today: IsoDate): Promise<void> {
  await requireEpisodeAccess(db, actor, episodeId, 'record', today);
}

/** Whether the actor may record for this episode's service (the pages show or hide their forms). */
async function mayRecordFor(db: Db, actor: Actor, serviceId: number, today: IsoDate): Promise<boolean> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'episode' });
  return mayRecordCare(actor, service);
}

function checkDate(field: string, value: IsoDate, episode: repository.EpisodeSummary, today: IsoDate): Problem | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return { field, reason: 'must be a real date' };
  if (value > today) return { field, reason: 'must be today or in the past' };
  if (value < episode.receivedOn) return { field, reason: 'is before the referral was received' };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface InstrumentSummary {
  instrument: OutcomeInstrument;
  responses: (repository.OutcomeResponseRow & { change: ChangeScore | null })[];
}

export interface EpisodeOutcomes {
  episode: repository.EpisodeSummary;
  /** Instruments with at least one response, each response with its change from the baseline. */
  instruments: InstrumentSummary[];
  discharge: repository.DischargeRow | null;
  workReport: repository.WorkReportRow | null;
  /** The referral's state allows a discharge, and none is recorded yet. */
  mayDischarge: boolean;
  /** The actor may record (therapists and team leads of the service). */
  mayRecord: boolean;
}

/**
 * Everything recorded about an episode's outcomes: responses grouped by instrument with the
 * change from the baseline at each later timepoint (against the instrument's named threshold),
 * the discharge and the current work report. The read is audited, naming the page.
 */
export async function viewEpisodeOutcomes(db: Db, actor: Actor, episodeId: number, today: IsoDate, view: 'outcomes' | 'discharge' | 'work_report' | 'work_report_print'): Promise<EpisodeOutcomes> {
  const service = await requireEpisodeAccess(db, actor, episodeId, 'read', today);
  const episode = (await repository.findEpisode(db, episodeId))!;
  const responses = await repository.listResponses(db, episodeId);
  const instruments: InstrumentSummary[] = [];
  for (const instrument of codes.outcomeInstrument.values) {
    const own = responses.filter((response) => response.instrument === instrument);
    if (own.length === 0) continue;
    const baseline = own.find((response) => response.timepoint === 'baseline');
    instruments.push({
      instrument,
      responses: own.map((response) => ({ ...response, change: baseline && response !== baseline ? changeScore(instrument, baseline.score, response.score) : null })),
    });
  }
  const discharge = (await repository.findDischarge(db, episode.referralId)) ?? null;
  const workReport = (await repository.currentWorkReport(db, episodeId)) ?? null;
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'episode', subjectId: episodeId, organisationId: service.organisationId, detail: { view } });
  return {
    episode,
    instruments,
    discharge,
    workReport,
    mayDischarge: discharge === null && nextState(episode.status as ReferralState, 'discharge') !== null,
    mayRecord: await mayRecordFor(db, actor, episode.serviceId, today),
  };
}

// ---------------------------------------------------------------------------------------------
// Recording an outcome

const timepoint = z.enum(codes.outcomeTimepoint.values);
const isoDate = z.string();

export const outcomeInputSchema = z.discriminatedUnion('instrument', [
  z.object({ instrument: z.literal('SWEMWBS'), timepoint, recordedOn: isoDate, items: z.array(z.number()) }),
  z.object({ instrument: z.literal('GAS'), timepoint, recordedOn: isoDate, goals: z.array(z.object({ attainment: z.number(), weight: z.number().optional() })) }),
  z.object({ instrument: z.literal('FFT'), timepoint, recordedOn: isoDate, answer: z.number() }),
  z.object({ instrument: z.enum(['COPM_PERFORMANCE', 'COPM_SATISFACTION', 'TOMS', 'MOHOST']), timepoint, recordedOn: isoDate, score: z.number() }),
]);
export type OutcomeInput = z.input<typeof outcomeInputSchema>;

/** The score an input gives, with what is kept beside it (item answers, goals), or the problems. */
export function scoreOf(input: OutcomeInput): { score: number; itemScores: unknown } | { problems: Problem[] } {
  switch (input.instrument) {
    case 'SWEMWBS': {
      const problems: Problem[] = [];
      input.items.forEach((item, index) => {
        if (!Number.isInteger(item) || item < 1 || item > 5) problems.push({ field: `items.${index}`, reason: 'is a whole number from 1 to 5' });
      });
      if (input.items.length !== 7) problems.push({ field: 'items', reason: 'needs all 7 answers' });
      if (problems.length > 0) return { problems };
      const raw = swemwbsRawScore(input.items);
      return { score: swemwbsMetricScore(raw), itemScores: { items: input.items, raw } };
    }
    case 'GAS': {
      if (input.goals.length === 0 || input.goals.length > 10) return { problems: [{ field: 'goals', reason: 'needs from 1 to 10 goals' }] };
      const problems: Problem[] = [];
      input.goals.forEach((goal, index) => {
        if (!Number.isInteger(goal.attainment) || goal.attainment < -2 || goal.attainment > 2) problems.push({ field: `goals.${index}.attainment`, reason: 'is a whole number from -2 to 2' });
        if (goal.weight !== undefined && (!Number.isInteger(goal.weight) || goal.weight < 1 || goal.weight > 9)) problems.push({ field: `goals.${index}.weight`, reason: 'is a whole number from 1 to 9' });
      });
      if (problems.length > 0) return { problems };
      const goals = input.goals.map((goal) => ({ attainment: goal.attainment, weight: goal.weight ?? 1 }));
      return { score: Math.round(goalAttainmentTScore(goals) * 100) / 100, itemScores: { goals, rho: 0.3 } };
    }
    case 'FFT':
      return isValidScore('FFT', input.answer) ? { score: input.answer, itemScores: null } : { problems: [{ field: 'answer', reason: 'is one of the six answers' }] };
    default: {
      const rule = instrumentRules[input.instrument];
      return isValidScore(input.instrument, input.score)
        ? { score: input.score, itemScores: null }
        : { problems: [{ field: 'score', reason: `is a score from ${rule.min} to ${rule.max} in steps of ${rule.step}` }] };
    }
  }
}

/**
 * Records one outcome response against the episode (recorded_in 'roots', so the equity audit
 * counts it). One response per instrument and timepoint: a second is refused (ALREADY_EXISTS).
 */
export async function recordOutcome(db: Db, actor: Actor, episodeId: number, input: OutcomeInput, today: IsoDate): Promise<{ responseId: number; score: number }> {
  const service = await requireEpisodeAccess(db, actor, episodeId, 'record', today);
  const parsed = outcomeInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })));
  const episode = (await repository.findEpisode(db, episodeId))!;
  const scored = scoreOf(parsed.data);
  const problems = 'problems' in scored ? [...scored.problems] : [];
  const dateProblem = checkDate('recordedOn', parsed.data.recordedOn, episode, today);
  if (dateProblem) problems.push(dateProblem);
  if (problems.length > 0 || 'problems' in scored) throw invalid(problems);
  return db.transaction().execute(async (trx) => {
    const responseId = await repository.insertResponse(trx, {
      episodeId,
      instrument: parsed.data.instrument,
      timepoint: parsed.data.timepoint as OutcomeTimepoint,
      recordedOn: parsed.data.recordedOn,
      score: scored.score,
      itemScores: scored.itemScores,
      recordedBy: actor.kind === 'staff' ? actor.userId : null,
    });
    if (responseId === null) {
      throw new RootsError('ALREADY_EXISTS', { detail: `${codes.outcomeInstrument.labels[parsed.data.instrument]} is already recorded at ${codes.outcomeTimepoint.labels[parsed.data.timepoint].toLowerCase()} for this episode.`, problems: [{ field: 'timepoint', reason: 'already recorded' }] });
    }
    await recordAuditTrail(trx, {
      actor,
      action: 'create',
      subjectKind: 'outcome_response',
      subjectId: responseId,
      organisationId: service.organisationId,
      detail: { episode: episodeId, instrument: parsed.data.instrument, timepoint: parsed.data.timepoint },
    });
    return { responseId, score: scored.score };
  });
}

// ---------------------------------------------------------------------------------------------
// Discharge

export const dischargeInputSchema = z.object({
  dischargedOn: z.string(),
  reason: z.enum(codes.dischargeReason.values),
  outcomes: z.array(z.enum(codes.dischargeOutcome.values)).max(codes.dischargeOutcome.values.length).default([]),
});
export type DischargeInput = z.input<typeof dischargeInputSchema>;

/**
 * Discharges the episode's referral, once: the discharge row (with the report's outcome codes),
 * the referral's state through the transition table (referral.state.ts), the clock stopped
 * through its one writer when the person is still waiting, and any open allocation ended, all in
 * one transaction. A second discharge is refused (ALREADY_EXISTS).
 */
export async function dischargeEpisode(db: Db, actor: Actor, episodeId: number, input: DischargeInput, today: IsoDate): Promise<{ referralId: number; clockStopped: boolean; allocationsEnded: number }> {
  const service = await requireEpisodeAccess(db, actor, episodeId, 'record', today);
  const parsed = dischargeInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'reason'), reason: issue.message })));
  const episode = (await repository.findEpisode(db, episodeId))!;
  const dateProblem = checkDate('dischargedOn', parsed.data.dischargedOn, episode, today);
  if (dateProblem) throw invalid([dateProblem]);
  // Stored in the code list's order, each once, whatever order the form sent them in.
  const outcomes = codes.dischargeOutcome.values.filter((code) => parsed.data.outcomes.includes(code));
  return db.transaction().execute(async (trx) => {
    const referral = (await referrals.lockReferral(trx, episode.referralId))!;
    if (await repository.findDischarge(trx, referral.id)) {
      throw new RootsError('ALREADY_EXISTS', { detail: 'This person has already been discharged: a referral is discharged once.' });
    }
    const after = nextState(referral.status as ReferralState, 'discharge');
    if (after === null) {
      throw new RootsError('CONFLICT', { detail: `This referral is ${codes.referralStatus.labels[referral.status].toLowerCase()}: it cannot be discharged.` });
    }
    if (!(await repository.insertDischarge(trx, { referralId: referral.id, dischargedOn: parsed.data.dischargedOn, reason: parsed.data.reason, outcomes, recordedBy: actor.kind === 'staff' ? actor.userId : null }))) {
      throw new RootsError('ALREADY_EXISTS', { detail: 'This person has already been discharged: a referral is discharged once.' });
    }
    const current = (await repository.findEpisode(trx, episodeId))!;
    let clockStopped = false;
    if (current.clockStoppedOn === null) {
      if (parsed.data.dischargedOn < current.clockStartedOn) throw invalid([{ field: 'dischargedOn', reason: 'is before the waiting-list clock started' }]);
      // Still waiting: the clock stops on the day of discharge, through the one writer of clock events.
      await recordClockEvents(trx, episodeId, [{ occurredOn: parsed.data.dischargedOn, kind: 'stop', reason: 'discharged' }]);
      clockStopped = true;
    }
    const allocationsEnded = await endOpenAllocation(trx, episodeId, parsed.data.dischargedOn);
    await referrals.updateReferralStatus(trx, referral.id, after as codes.ReferralStatus);
    await recordAuditTrail(trx, {
      actor,
      action: 'update',
      subjectKind: 'referral',
      subjectId: referral.id,
      organisationId: service.organisationId,
      detail: { change: 'discharge', episode: episodeId, reason: parsed.data.reason, outcomes: outcomes.join(' '), clockStopped, allocationsEnded },
    });
    return { referralId: referral.id, clockStopped, allocationsEnded };
  });
}

// ---------------------------------------------------------------------------------------------
// AHP Health and Work Report

const text = (max: number) => z.string().trim().max(max);

export const workReportInputSchema = z.object({
  fitness: z.enum(['fit', 'may_be_fit']),
  phasedReturn: z.boolean().default(false),
  amendedDuties: z.boolean().default(false),
  alteredHours: z.boolean().default(false),
  workplaceAdaptations: z.boolean().default(false),
  difficulties: text(4000).min(1),
  recommendations: text(4000).default(''),
  practitionerName: text(200).min(1),
  hcpcNumber: z.string().max(40),
  assessedOn: z.string(),
  adviceUntil: z.string().nullable().default(null),
  reviewOn: z.string().nullable().default(null),
  /** The version the form showed (0 when there was none): a stale one is refused (CONFLICT). */
  expectedVersion: z.number().int().min(0),
});
export type WorkReportInput = z.input<typeof workReportInputSchema>;

/**
 * Saves the episode's AHP Health and Work Report as a new version (append-only). Someone who
 * saved since the form was opened wins: the stale save is refused with CONFLICT.
 */
export async function saveWorkReport(db: Db, actor: Actor, episodeId: number, input: WorkReportInput, today: IsoDate): Promise<{ version: number }> {
  const service = await requireEpisodeAccess(db, actor, episodeId, 'record', today);
  const parsed = workReportInputSchema.safeParse(input);
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'fitness'), reason: issue.message }));
  if (!parsed.success) throw invalid(problems);
  const report = parsed.data;
  const episode = (await repository.findEpisode(db, episodeId))!;
  const hcpc = normaliseHcpcNumber(report.hcpcNumber);
  if (!hcpc) problems.push({ field: 'hcpcNumber', reason: 'is an HCPC registration number: two letters for the profession, then 5 or 6 digits, like OT12345' });
  const adjustments = report.phasedReturn || report.amendedDuties || report.alteredHours || report.workplaceAdaptations;
  if (report.fitness === 'fit' && adjustments) problems.push({ field: 'adjustments', reason: 'are advice for someone who may be fit for work with it, not for someone fit for work' });
  if (report.fitness === 'may_be_fit' && report.recommendations === '') problems.push({ field: 'recommendations', reason: 'is required when the person may be fit for work with advice' });
  const assessed = checkDate('assessedOn', report.assessedOn, episode, today);
  if (assessed) problems.push(assessed);
  for (const field of ['adviceUntil', 'reviewOn'] as const) {
    const value = report[field];
    if (value === null) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) problems.push({ field, reason: 'must be a real date' });
    else if (!assessed && value < report.assessedOn) problems.push({ field, reason: 'is before the assessment' });
  }
  if (problems.length > 0) throw invalid(problems);
  return db.transaction().execute(async (trx) => {
    const current = await repository.currentWorkReport(trx, episodeId);
    const version = report.expectedVersion + 1;
    const stale = (current?.version ?? 0) !== report.expectedVersion;
    if (stale || !(await repository.insertWorkReport(trx, {
      episodeId,
      version,
      fitness: report.fitness,
      phasedReturn: report.phasedReturn,
      amendedDuties: report.amendedDuties,
      alteredHours: report.alteredHours,
      workplaceAdaptations: report.workplaceAdaptations,
      difficulties: report.difficulties,
      recommendations: report.recommendations === '' ? null : report.recommendations,
      practitionerName: report.practitionerName,
      hcpcNumber: hcpc!.number,
      assessedOn: report.assessedOn,
      adviceUntil: report.adviceUntil,
      reviewOn: report.reviewOn,
      recordedBy: actor.kind === 'staff' ? actor.userId : null,
    }))) {
      throw new RootsError('CONFLICT', { detail: 'Someone else saved this work report while you were editing it: check the current report and save again if needed.' });
    }
    await recordAuditTrail(trx, { actor, action: current ? 'update' : 'create', subjectKind: 'work_report', subjectId: episodeId, organisationId: service.organisationId, detail: { episode: episodeId, version } });
    return { version };
  });
}
