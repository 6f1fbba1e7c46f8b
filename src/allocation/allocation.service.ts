import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayAllocate } from '../access/policies.ts';
import { requireServiceAccess, resolveServiceFor } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { CompetencyLevel, Priority } from '../domain/codes.ts';
import { RootsError, type Problem } from '../errors/roots-error.ts';
import type { ScopedService } from '../organisations/commissioning.repository.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import * as repository from './allocation.repository.ts';
import { suggestAllocation, type AllocationSuggestions, type Therapist } from './competency-match.ts';

/**
 * Allocation by competency: the team lead's worklist of waiting episodes not yet allocated, the
 * ranked shortlist for one episode (competency-match.ts over what the store holds), the
 * confirmation (optimistic concurrency on the episode's version, the episode row locked, so of
 * two team leads confirming at once exactly one wins), and the competency matrix the team lead
 * keeps. Team leads of the service's organisation only (`mayAllocate`); every view and every
 * change is written to the audit trail, and every refusal too.
 */

type Db = Kysely<Schema>;

/** How many are shown on the shortlist; anyone eligible beyond it may still be chosen. */
export const SHORTLIST_SIZE = 5;
export const PAGE_SIZE = 50;

/**
 * Hours a week an episode adds to a therapist's caseload weight, by priority (a Roots default:
 * more urgent work is seen more often at first). The confirmation records the hours it used.
 */
export const weeklyHoursFor: Readonly<Record<Priority, number>> = { P1: 3, P2: 2, P3: 1.5, P4: 1 };

// ---------------------------------------------------------------------------------------------
// Access

async function requireAllocator(db: Db, actor: Actor, serviceId: number, today: IsoDate, subjectKind: string): Promise<ScopedService> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind });
  if (mayAllocate(actor, service)) return service;
  await recordAuditTrail(db, { actor, action: 'denied', subjectKind, subjectId: serviceId, organisationId: service.organisationId, detail: { wanted: 'allocate' } });
  throw new RootsError('FORBIDDEN', { detail: 'Only a team lead of this service allocates its work and keeps its competencies.' });
}

/** The service named in an address (code, or ORGANISATION~code), for its team leads. */
export async function allocatingService(db: Db, actor: Actor, name: { serviceCode: string; organisationCode?: string | undefined }, today: IsoDate, subjectKind = 'allocation'): Promise<ScopedService> {
  const known = await resolveServiceFor(db, actor, name, { on: today, subjectKind });
  return requireAllocator(db, actor, known.serviceId, today, subjectKind);
}

/** An episode, for a team lead of its service; anyone else of its organisation is forbidden, the rest told there is no such episode. */
async function requireEpisode(db: Db, actor: Actor, episodeId: number, wanted: string): Promise<repository.EpisodeScope> {
  const episode = await repository.findEpisode(db, episodeId);
  if (episode && mayAllocate(actor, episode)) return episode;
  if (episode) await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'episode', subjectId: episodeId, organisationId: episode.organisationId, detail: { wanted } });
  const own = episode && actor.kind === 'staff' && actor.organisationId === episode.organisationId;
  throw new RootsError(own ? 'FORBIDDEN' : 'NOT_FOUND', { detail: own ? 'Only a team lead of this service allocates its work.' : 'There is no such episode.' });
}

// ---------------------------------------------------------------------------------------------
// The worklist

export interface Worklist {
  service: ScopedService;
  rows: repository.WorklistRow[];
  total: number;
  page: number;
  pages: number;
}

/** Waiting episodes of the service not yet allocated, most urgent first, then longest wait. Audited. */
export async function allocationWorklist(db: Db, actor: Actor, name: { serviceCode: string; organisationCode?: string | undefined }, page: number, today: IsoDate): Promise<Worklist> {
  const service = await allocatingService(db, actor, name, today, 'allocation_worklist');
  const { rows, total } = await repository.worklist(db, service.serviceId, today, page, PAGE_SIZE);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'allocation_worklist',
    subjectId: service.serviceId,
    organisationId: service.organisationId,
    detail: { page, rows: rows.length, episodes: rows.map((row) => row.episodeId).join(' ') },
  });
  return { service, rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

// ---------------------------------------------------------------------------------------------
// The shortlist

export interface Shortlist {
  catalogue: repository.CatalogueTask[];
  required: repository.CatalogueTask[];
  /** No tasks were set for the episode: the required ones are the catalogue's for its pathway. */
  requiredFromPathway: boolean;
  hoursNeeded: number;
  previousTherapistIds: number[];
  suggestions: AllocationSuggestions;
  /** Everyone eligible, ranked (the shortlist is the first SHORTLIST_SIZE). */
  eligible: AllocationSuggestions['shortlist'];
}

const toTherapist = (member: repository.PoolMember): Therapist => ({
  id: member.id,
  name: member.name,
  competencies: member.competencies,
  supervisors: member.supervisors,
  capacityHours: member.capacityHours,
  caseloadHours: member.caseloadHours,
  caseloadCount: member.caseloadCount,
  areas: member.areas,
});

/** The shortlist for an episode from what the store holds now (no access check: callers have made it). */
export async function computeShortlist(db: Db | Transaction<Schema>, episode: repository.EpisodeScope): Promise<Shortlist> {
  const catalogue = await repository.catalogue(db, episode.serviceId);
  const ids = await repository.requiredTaskIds(db, episode.episodeId);
  const requiredFromPathway = ids.length === 0;
  const required = requiredFromPathway ? catalogue.filter((task) => task.pathways.includes(episode.pathway)) : catalogue.filter((task) => ids.includes(task.id));
  const team = (await repository.pool(db, episode.serviceId)).map(toTherapist);
  const previousTherapistIds = await repository.previousTherapists(db, episode.personId, episode.episodeId);
  const hoursNeeded = weeklyHoursFor[episode.priority];
  const all = suggestAllocation(
    {
      tasks: required.map((task) => ({ code: task.code, complexity: task.level })),
      hoursNeeded,
      area: episode.areaCode,
      areas: episode.localAuthorityCode ? [episode.localAuthorityCode] : [],
      previousTherapistIds,
    },
    team,
    Number.MAX_SAFE_INTEGER,
  );
  return {
    catalogue,
    required,
    requiredFromPathway,
    hoursNeeded,
    previousTherapistIds,
    suggestions: { shortlist: all.shortlist.slice(0, SHORTLIST_SIZE), excluded: all.excluded },
    eligible: all.shortlist,
  };
}

export interface AllocationView extends Shortlist {
  episode: repository.EpisodeScope;
}

/** One episode's allocation page: the episode, its required tasks and the ranked shortlist with reasons. Audited. */
export async function viewAllocation(db: Db, actor: Actor, episodeId: number, _today: IsoDate): Promise<AllocationView> {
  const episode = await requireEpisode(db, actor, episodeId, 'allocation_read');
  const shortlist = await computeShortlist(db, episode);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'episode',
    subjectId: episodeId,
    organisationId: episode.organisationId,
    detail: { view: 'allocation', shortlist: shortlist.suggestions.shortlist.map((s) => s.therapistId).join(' ') },
  });
  return { episode, ...shortlist };
}

// ---------------------------------------------------------------------------------------------
// Confirming

export interface Confirmation {
  staffUserId: number;
  /** The episode's version the team lead saw: a stale one is refused (CONFLICT) and nothing written. */
  expectedVersion: number;
  /** The team lead's own words, added to the suggestion's reasons. */
  note?: string | null;
}

export interface Confirmed {
  allocationId: number;
  version: number;
  rank: number | null;
  reason: string;
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && ((error as { code?: unknown }).code === '23505' || /allocation_open|duplicate key/.test(String((error as { message?: unknown }).message)));

/**
 * The team lead confirms an allocation. In one transaction, the episode row locked: a version
 * other than the one the team lead saw, or an open allocation already there, is refused with
 * CONFLICT and nothing is written; the therapist must be eligible on the shortlist computed now
 * (competency, named supervision for amber, capacity). The row records the reasons, the rank,
 * the weekly hours, the supervisor and who confirmed; the episode's version moves on.
 */
export async function confirmAllocation(db: Db, actor: Actor, episodeId: number, input: Confirmation, today: IsoDate): Promise<Confirmed> {
  await requireEpisode(db, actor, episodeId, 'allocate');
  const note = input.note?.trim() || null;
  if (note !== null && note.length > 1000) throw new RootsError('VALIDATION_FAILED', { detail: 'The allocation cannot be confirmed with these values.', problems: [{ field: 'note', reason: 'is too long' }] });
  try {
    return await db.transaction().execute(async (trx) => {
      const episode = (await repository.findEpisode(trx, episodeId, { lock: true }))!;
      if (episode.version !== input.expectedVersion) {
        throw new RootsError('CONFLICT', { detail: 'This episode changed since you opened it (another team lead may have allocated it): check it and allocate again if needed.' });
      }
      if (episode.openAllocation) throw new RootsError('CONFLICT', { detail: `This episode is already allocated to ${episode.openAllocation.name}.` });
      if (episode.clockStopped || episode.firstContactOn !== null) throw new RootsError('CONFLICT', { detail: 'This episode is no longer waiting to be allocated.' });
      const shortlist = await computeShortlist(trx, episode);
      const chosen = shortlist.eligible.find((s) => s.therapistId === input.staffUserId);
      if (!chosen) {
        const excluded = shortlist.suggestions.excluded.find((e) => e.therapistId === input.staffUserId);
        throw new RootsError('VALIDATION_FAILED', {
          detail: 'This therapist cannot be allocated this episode.',
          problems: [{ field: 'therapist', reason: excluded ? excluded.reasons.join('; ') : 'is not in the service\'s team' }],
        });
      }
      const rank = chosen.rank <= SHORTLIST_SIZE ? chosen.rank : null;
      const reason = [...chosen.reasons, ...(note ? [`team lead: ${note}`] : [])].join('; ').slice(0, 2000);
      const { allocationId, version } = await repository.insertAllocation(trx, {
        episodeId,
        staffUserId: chosen.therapistId,
        allocatedOn: today,
        weeklyHours: shortlist.hoursNeeded,
        episodeVersion: episode.version,
        shortlistRank: rank,
        supervisorId: chosen.supervision[0]?.supervisorId ?? null,
        reason,
        confirmedBy: actor.kind === 'staff' ? actor.userId : null,
      });
      await recordAuditTrail(trx, {
        actor,
        action: 'create',
        subjectKind: 'allocation',
        subjectId: allocationId,
        organisationId: episode.organisationId,
        detail: { episode: episodeId, therapist: chosen.therapistId, rank, version },
      });
      return { allocationId, version, rank, reason };
    });
  } catch (error) {
    // The partial unique index is the last guard: a second open allocation is a conflict too.
    if (isUniqueViolation(error)) throw new RootsError('CONFLICT', { detail: 'This episode was allocated by someone else at the same moment.' });
    throw error;
  }
}

/**
 * The team lead sets the catalogue tasks an episode needs (an empty set: the pathway's default).
 * Version-checked like a confirmation; the episode's version moves on so a shortlist shown before
 * cannot be confirmed after. Audited.
 */
export async function setRequiredTasks(db: Db, actor: Actor, episodeId: number, input: { taskIds: readonly number[]; expectedVersion: number }): Promise<number> {
  const scope = await requireEpisode(db, actor, episodeId, 'allocation_requirements');
  const catalogue = await repository.catalogue(db, scope.serviceId);
  const unknown = input.taskIds.filter((id) => !catalogue.some((task) => task.id === id));
  if (unknown.length > 0) throw new RootsError('VALIDATION_FAILED', { detail: 'These tasks are not in the service\'s catalogue.', problems: [{ field: 'tasks', reason: 'is not in the catalogue' }] });
  return db.transaction().execute(async (trx) => {
    const episode = (await repository.findEpisode(trx, episodeId, { lock: true }))!;
    if (episode.version !== input.expectedVersion) throw new RootsError('CONFLICT', { detail: 'This episode changed since you opened it: check it and try again.' });
    const ids = [...new Set(input.taskIds)].sort((a, b) => a - b);
    await repository.replaceRequiredTasks(trx, episodeId, ids);
    const version = await repository.bumpEpisodeVersion(trx, episodeId);
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'episode', subjectId: episodeId, organisationId: episode.organisationId, detail: { change: 'required_tasks', tasks: catalogue.filter((t) => ids.includes(t.id)).map((t) => t.code).join(' '), version } });
    return version;
  });
}

// ---------------------------------------------------------------------------------------------
// The competency matrix

export interface CompetencyMatrix {
  service: ScopedService;
  catalogue: repository.CatalogueTask[];
  members: repository.PoolMember[];
}

/** The service's task catalogue and every team member's levels, capacity, caseload weight and travel areas. Audited. */
export async function competencyMatrix(db: Db, actor: Actor, name: { serviceCode: string; organisationCode?: string | undefined }, today: IsoDate): Promise<CompetencyMatrix> {
  const service = await allocatingService(db, actor, name, today, 'competency_matrix');
  const catalogue = await repository.catalogue(db, service.serviceId);
  const members = await repository.pool(db, service.serviceId);
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'competency_matrix', subjectId: service.serviceId, organisationId: service.organisationId, detail: { members: members.length } });
  return { service, catalogue, members };
}

export interface TherapistEdit {
  service: ScopedService;
  catalogue: repository.CatalogueTask[];
  member: repository.PoolMember;
  /** Per task code, who may supervise amber work on it: team members holding it at green or red, not this therapist. */
  supervisors: Record<string, { id: number; name: string }[]>;
}

/** One team member's competencies, capacity and travel areas, for the team lead to edit. */
export async function therapistForEdit(db: Db, actor: Actor, name: { serviceCode: string; organisationCode?: string | undefined }, staffUserId: number, today: IsoDate): Promise<TherapistEdit> {
  const service = await allocatingService(db, actor, name, today, 'competency_matrix');
  const catalogue = await repository.catalogue(db, service.serviceId);
  const members = await repository.pool(db, service.serviceId);
  const member = members.find((m) => m.id === staffUserId);
  if (!member) throw new RootsError('NOT_FOUND', { detail: 'There is no such member of this service\'s team.' });
  const supervisors: TherapistEdit['supervisors'] = {};
  for (const task of catalogue) {
    supervisors[task.code] = members.filter((m) => m.id !== staffUserId && (m.competencies[task.code] === 'green' || m.competencies[task.code] === 'red')).map((m) => ({ id: m.id, name: m.name }));
  }
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'staff_competency', subjectId: staffUserId, organisationId: service.organisationId, detail: { service: service.serviceId } });
  return { service, catalogue, member, supervisors };
}

export interface TherapistInput {
  capacityHours: number;
  areas: readonly string[];
  /** Per task code: the level held (null: not held) and, for amber, the named supervisor. */
  levels: Readonly<Record<string, { level: CompetencyLevel | null; supervisorId: number | null }>>;
}

/**
 * The team lead changes one team member's capacity, travel areas and competencies. Amber needs a
 * named supervisor who holds the task at green or red (never the therapist themselves). Problems
 * come back by field (`capacity`, `areas`, `level-<code>`, `supervisor-<code>`); the change is
 * one transaction, audited with what changed.
 */
export async function updateTherapistCompetencies(db: Db, actor: Actor, name: { serviceCode: string; organisationCode?: string | undefined }, staffUserId: number, input: TherapistInput, today: IsoDate): Promise<void> {
  const edit = await therapistForEdit(db, actor, name, staffUserId, today);
  const problems: Problem[] = [];
  if (!Number.isFinite(input.capacityHours) || input.capacityHours < 0 || input.capacityHours > 60) problems.push({ field: 'capacity', reason: 'must be a number of hours from 0 to 60' });
  if (input.areas.some((area) => !/^[A-Za-z0-9]{2,12}$/.test(area)) || input.areas.length > 50) problems.push({ field: 'areas', reason: 'must be area codes of letters and digits' });
  const competencies: repository.TherapistChange['competencies'][number][] = [];
  for (const task of edit.catalogue) {
    const wanted = input.levels[task.code] ?? { level: null, supervisorId: null };
    if (wanted.level === 'amber' && !edit.supervisors[task.code]!.some((s) => s.id === wanted.supervisorId)) {
      problems.push({ field: `supervisor-${task.code}`, reason: 'amber needs a named supervisor who holds this task at green or red' });
    }
    competencies.push({ competencyId: task.id, level: wanted.level, supervisorId: wanted.level === 'amber' ? wanted.supervisorId : null });
  }
  if (problems.length > 0) throw new RootsError('VALIDATION_FAILED', { detail: 'The competencies cannot be saved with these values.', problems });
  const areas = [...new Set(input.areas.map((area) => area.toUpperCase()))];
  await db.transaction().execute(async (trx) => {
    await repository.updateTherapist(trx, { staffUserId, capacityHours: input.capacityHours, areas, competencies });
    await recordAuditTrail(trx, {
      actor,
      action: 'update',
      subjectKind: 'staff_competency',
      subjectId: staffUserId,
      organisationId: edit.service.organisationId,
      detail: {
        service: edit.service.serviceId,
        capacity: input.capacityHours,
        areas: areas.join(' '),
        levels: competencies.filter((c) => c.level !== null).map((c) => `${edit.catalogue.find((t) => t.id === c.competencyId)!.code}:${c.level}${c.supervisorId ? `/${c.supervisorId}` : ''}`).join(' '),
      },
    });
  });
}
