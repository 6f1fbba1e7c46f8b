import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorLabel, type Actor } from '../access/actor.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import { updateReferralStatus } from '../referrals/referral.repository.ts';
import { nextState, type ReferralState } from '../referrals/referral.state.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { recordClockEvents } from './clock-event.writer.ts';
import * as repository from './validation.repository.ts';

export const VALIDATION_PAGE_SIZE = 50;

/** The worklist's filters. */
export const validationFilters = z.object({
  milestone: z.enum(['12', '26', '52']).transform((value) => Number(value) as repository.Milestone).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type ValidationFilters = z.infer<typeof validationFilters>;

/** One validation answer as the form sends it. */
export const validationForm = z.object({
  milestone: z.enum(['12', '26', '52'], { error: 'milestone' }).transform((value) => Number(value) as repository.Milestone),
  outcome: z.enum(codes.validationOutcome.values, { error: 'outcome' }),
  note: z.string().trim().max(2000, { error: 'note' }).default(''),
});
/** What a form sends: strings, checked by `validationForm`. */
export interface ValidationInput {
  milestone: string;
  outcome: string;
  note?: string;
}

/**
 * The validation worklist of a service: who is due at 12, 26 or 52 weeks and not yet validated
 * for it, for staff who may read the service's identifiable records. The read is audited.
 */
export async function validationWorklist(db: Kysely<Schema>, actor: Actor, serviceId: number, filters: ValidationFilters, today: IsoDate) {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'waiting_list_validation' });
  const { rows, total } = await repository.listDue(db, { serviceId, asOf: today, milestone: filters.milestone, page: filters.page, pageSize: VALIDATION_PAGE_SIZE });
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'waiting_list_validation',
    subjectId: serviceId,
    organisationId: service.organisationId,
    detail: { page: filters.page, rows: rows.length, episodes: rows.map((row) => row.episodeId).join(' ') },
  });
  return { rows, total, page: filters.page, pages: Math.max(1, Math.ceil(total / VALIDATION_PAGE_SIZE)) };
}

/** One waiting person's validation page: who, how long, the milestone now due, earlier answers. Audited. */
export async function viewForValidation(db: Kysely<Schema>, actor: Actor, serviceId: number, episodeId: number, today: IsoDate) {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'waiting_list_validation' });
  const episode = await repository.findEpisode(db, serviceId, episodeId, today);
  if (!episode) throw new RootsError('NOT_FOUND', { detail: 'There is no such episode in this service.' });
  const history = await repository.validationsOf(db, episodeId);
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'episode', subjectId: episodeId, organisationId: service.organisationId, detail: { view: 'validation' } });
  return { episode, history, due: episode.waiting ? repository.milestoneReached(episode.waitDays) : null };
}

/**
 * Records one validation answer: an append-only row, `episode.last_validated_on`, and for "no
 * longer needed" the clock stopped through the one writer (`stop` / `validation_removed`) and the
 * referral discharged (referral.state.ts), all in one transaction with its audit entry. The
 * milestone must have been reached and the person must still be waiting.
 */
export async function recordValidation(db: Kysely<Schema>, actor: Actor, serviceId: number, episodeId: number, input: ValidationInput, today: IsoDate): Promise<number> {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'waiting_list_validation' });
  const parsed = validationForm.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', {
      detail: 'The validation cannot be recorded with these values.',
      problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    });
  }
  const { milestone, outcome, note } = parsed.data;
  return db.transaction().execute(async (trx) => {
    const episode = await repository.findEpisode(trx, serviceId, episodeId, today);
    if (!episode) throw new RootsError('NOT_FOUND', { detail: 'There is no such episode in this service.' });
    if (!episode.waiting) throw new RootsError('CONFLICT', { detail: 'This person is no longer on the waiting list.' });
    if (episode.waitDays < milestone * 7) {
      throw new RootsError('VALIDATION_FAILED', { detail: 'The validation cannot be recorded with these values.', problems: [{ field: 'milestone', reason: 'not reached yet' }] });
    }
    if (outcome === 'no_longer_needed') {
      await recordClockEvents(trx, episodeId, [{ occurredOn: today, kind: 'stop', reason: 'validation_removed' }]);
      const discharged = nextState(episode.referralStatus as ReferralState, 'discharge');
      if (discharged) await updateReferralStatus(trx, episode.referralId, discharged as codes.ReferralStatus);
    }
    const id = await repository.insertValidation(trx, {
      episodeId,
      milestone,
      outcome,
      note: note === '' ? null : note,
      validatedOn: today,
      recordedBy: actor.kind === 'staff' ? actor.userId : null,
      recordedByLabel: actorLabel(actor),
    });
    await recordAuditTrail(trx, {
      actor,
      action: 'create',
      subjectKind: 'waiting_list_validation',
      subjectId: id,
      organisationId: service.organisationId,
      detail: { episode: episodeId, milestone, outcome },
    });
    return id;
  });
}
