import type { Actor } from '../access/actor.ts';
import { mayReadIdentifiable, type ServiceScope } from '../access/policies.ts';

/**
 * Who may see and change an episode's contacts, goals and notes (pure, one line each).
 *
 * - read: therapists, team leads and administrators of the organisation that runs the service
 *   (the identifiable-record rule: a therapist covering a colleague can see the episode);
 *   analysts and commissioners never;
 * - write (book, record attendance and interventions, goals, notes): the therapist the episode
 *   is allocated to, and the service's team leads and administrators; other therapists read only.
 */
export const mayReadCaseload = (actor: Actor, service: ServiceScope): boolean => mayReadIdentifiable(actor, service);

export const mayWriteCaseload = (actor: Actor, service: ServiceScope & { allocatedTo: number | null }): boolean =>
  actor.kind === 'system' ||
  (mayReadIdentifiable(actor, service) &&
    actor.kind === 'staff' &&
    (actor.role === 'team_lead' || actor.role === 'administrator' || (actor.role === 'therapist' && service.allocatedTo === actor.userId)));

/** Whether the actor has a caseload page at all (therapists and team leads; the header's Caseload link). */
export const hasCaseload = (actor: Actor | null): boolean => actor !== null && actor.kind === 'staff' && (actor.role === 'therapist' || actor.role === 'team_lead');
