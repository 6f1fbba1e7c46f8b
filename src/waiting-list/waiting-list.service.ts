import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { actorLabel, type Actor } from '../access/actor.ts';
import { mayDecideEquityWeights, readsIdentifiableAnywhere } from '../access/policies.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import { toCsvText, type CsvCell } from '../reports/csv.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { priorityTargetDays } from '../triage/priority.ts';
import { INCLUSION_HEALTH_GROUPS, priorityScore, type EquityWeights, type PriorityScore } from './priority-score.ts';
import * as repository from './waiting-list.repository.ts';

/** The list's filters and order, as the page and the CSV export take them. */
export const waitingListFilters = z.object({
  sort: z.enum(['score', 'wait', 'received', 'target']).default('score'),
  pathway: z.enum(codes.pathway.values).optional(),
  priority: z.enum(codes.priority.values).optional(),
  breach: z.enum(['breached', 'at_risk', 'within']).optional(),
  flag: z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.enum(repository.waitingFlags)).max(repository.waitingFlags.length)).default([]),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type WaitingListFilters = z.infer<typeof waitingListFilters>;

export const PAGE_SIZE = 50;

export interface WaitingListEntry extends repository.WaitingRow {
  scoreParts: PriorityScore['parts'];
}

export interface WaitingListView {
  rows: WaitingListEntry[];
  total: number;
  page: number;
  pages: number;
  weights: EquityWeights & { decisionId: number | null };
  mayDecideWeights: boolean;
}

function scoreOf(row: repository.WaitingRow, weights: EquityWeights): PriorityScore {
  return priorityScore(
    {
      priority: row.priority,
      targetDays: row.targetDays,
      waitDays: row.waitDays,
      deprivationQuintile: row.deprivationQuintile,
      inclusionHealthGroup: row.inclusionGroups.some((group) => (INCLUSION_HEALTH_GROUPS as readonly string[]).includes(group)),
      interpreterNeeded: row.interpreterNeeded,
      disability: row.disability,
    },
    {
      mostDeprivedQuintile: weights.mostDeprivedQuintile,
      inclusionHealthGroup: weights.inclusionHealthGroup,
      interpreterNeeded: weights.interpreterNeeded,
      disability: weights.disability,
    },
  );
}

/**
 * One page of a service's waiting list for staff who may see identifiable data, each person's
 * priority score with its parts. The read is written to the audit trail.
 */
export async function viewWaitingList(db: Kysely<Schema>, actor: Actor, serviceId: number, filters: WaitingListFilters, today: IsoDate): Promise<WaitingListView> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'waiting_list' });
  const weights = await repository.currentWeights(db, serviceId);
  const { rows, total } = await repository.listWaiting(db, {
    serviceId,
    asOf: today,
    targetDays: priorityTargetDays,
    weights,
    sort: filters.sort,
    pathway: filters.pathway,
    priority: filters.priority,
    breach: filters.breach,
    flags: filters.flag,
    page: filters.page,
    pageSize: PAGE_SIZE,
  });
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'waiting_list',
    subjectId: serviceId,
    organisationId: service.organisationId,
    detail: { page: filters.page, rows: rows.length, episodes: rows.map((row) => row.episodeId).join(' ') },
  });
  return {
    rows: rows.map((row) => ({ ...row, scoreParts: scoreOf(row, weights).parts })),
    total,
    page: filters.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    weights,
    mayDecideWeights: mayDecideEquityWeights(actor, service),
  };
}

/** The whole filtered list as CSV for staff, through the one CSV writer (formulas neutralised); the export is audited. */
export async function exportWaitingList(db: Kysely<Schema>, actor: Actor, serviceId: number, filters: WaitingListFilters, today: IsoDate): Promise<string> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'waiting_list' });
  const weights = await repository.currentWeights(db, serviceId);
  const header = ['episode', 'nhs_number', 'given_name', 'family_name', 'received_on', 'pathway', 'priority', 'clock_started_on', 'paused_days', 'wait_days', 'target_days', 'target_date', 'breach', 'score', 'score_parts'];
  const lines: CsvCell[][] = [];
  const chunk = 5_000;
  for (let page = 1; ; page++) {
    const { rows } = await repository.listWaiting(db, { serviceId, asOf: today, targetDays: priorityTargetDays, weights, sort: filters.sort, pathway: filters.pathway, priority: filters.priority, breach: filters.breach, flags: filters.flag, page, pageSize: chunk });
    for (const row of rows) {
      const parts = scoreOf(row, weights).parts.map((part) => `${part.part} ${part.points}`).join('; ');
      lines.push([row.episodeId, row.nhsNumber, row.givenName, row.familyName, row.receivedOn, row.pathway, row.priority, row.clockStartedOn, row.pausedDays, row.waitDays, row.targetDays, row.targetDate, row.breach, row.score, parts]);
    }
    if (rows.length < chunk) break;
  }
  await recordAuditTrail(db, { actor, action: 'export', subjectKind: 'waiting_list', subjectId: serviceId, organisationId: service.organisationId, detail: { rows: lines.length } });
  return toCsvText([header, ...lines], { bom: true });
}

export const equityWeightsForm = z.object({
  mostDeprivedQuintile: z.coerce.number({ error: 'weight' }).min(0, { error: 'weight' }).max(10, { error: 'weight' }),
  inclusionHealthGroup: z.coerce.number({ error: 'weight' }).min(0, { error: 'weight' }).max(10, { error: 'weight' }),
  interpreterNeeded: z.coerce.number({ error: 'weight' }).min(0, { error: 'weight' }).max(10, { error: 'weight' }),
  disability: z.coerce.number({ error: 'weight' }).min(0, { error: 'weight' }).max(10, { error: 'weight' }),
  reason: z.string().trim().min(1, { error: 'reason' }).max(2000, { error: 'reason' }),
});
export type EquityWeightsInput = z.input<typeof equityWeightsForm>;

/** The service's weights and every decision on them, for the team lead's page. */
export async function equityWeightHistory(db: Kysely<Schema>, actor: Actor, serviceId: number, today: IsoDate) {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'equity_weights' });
  return { current: await repository.currentWeights(db, serviceId), history: await repository.weightHistory(db, serviceId), mayDecide: mayDecideEquityWeights(actor, service) };
}

/**
 * A team lead decides the service's equity weights: a new decision row with the reason, and an
 * audit trail entry, in one transaction. Anyone else is refused, and the refusal recorded.
 */
export async function decideEquityWeights(db: Kysely<Schema>, actor: Actor, serviceId: number, input: EquityWeightsInput, today: IsoDate): Promise<number> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'equity_weights' });
  if (!mayDecideEquityWeights(actor, service)) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'equity_weights', subjectId: serviceId, organisationId: service.organisationId });
    throw new RootsError('FORBIDDEN', { detail: 'Only a team lead of this service can change its equity weights.' });
  }
  const parsed = equityWeightsForm.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', {
      detail: 'The equity weights cannot be saved with these values.',
      problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    });
  }
  const { reason, ...weights } = parsed.data;
  return db.transaction().execute(async (trx) => {
    const id = await repository.insertWeightDecision(trx, {
      serviceId,
      ...weights,
      reason,
      decidedBy: actor.kind === 'staff' ? actor.userId : null,
      decidedByLabel: actorLabel(actor),
    });
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'equity_weights', subjectId: id, organisationId: service.organisationId, detail: { service: serviceId, ...weights } });
    return id;
  });
}

export interface WaitingListService {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationCode: string;
  waiting: number;
}

/**
 * The services whose waiting lists the actor may see (their own organisation's, for therapists,
 * team leads and administrators), with how many people wait in each. Others are refused, audited.
 */
export async function servicesWithWaitingLists(db: Kysely<Schema>, actor: Actor): Promise<WaitingListService[]> {
  if (!readsIdentifiableAnywhere(actor) || actor.kind !== 'staff') {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'waiting_list', subjectId: 'services', organisationId: actor.kind === 'staff' ? actor.organisationId : null });
    throw new RootsError('FORBIDDEN', { detail: 'Your role does not show waiting lists.' });
  }
  const { rows } = await sql<WaitingListService>`
    select s.id as "serviceId", s.code as "serviceCode", s.name as "serviceName", o.code as "organisationCode",
      (select count(*)::int from episode e where e.service_id = s.id and e.clock_stopped_on is null and e.first_contact_on is null) as waiting
    from service s join organisation o on o.id = s.organisation_id
    where s.organisation_id = ${actor.organisationId} order by s.name, s.code`.execute(db);
  return rows;
}
