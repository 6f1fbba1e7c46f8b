import type { StaffRole } from '../domain/codes.ts';
import type { Actor } from './actor.ts';

/**
 * Access rules as small pure functions, one line each where possible, checked server-side by
 * every route and command before it touches data. Organisation scoping: staff act only on
 * services of their own organisation. Commissioners never see patient-identifiable data.
 */
export interface ServiceScope {
  organisationId: number;
}

const identifiableRoles: ReadonlySet<StaffRole> = new Set(['therapist', 'team_lead', 'administrator']);
const importingRoles: ReadonlySet<StaffRole> = new Set(['therapist', 'team_lead', 'administrator', 'analyst']);

const sameOrganisation = (actor: Actor, service: ServiceScope) =>
  actor.kind === 'system' || actor.organisationId === service.organisationId;

/** Create or update referrals (a professional referral, a system sending ServiceRequests, an analyst's import). */
export const mayWriteReferrals = (actor: Actor, service: ServiceScope): boolean =>
  sameOrganisation(actor, service) && (actor.kind === 'system' || importingRoles.has(actor.role));

/** Read a person's identifiable record. */
export const mayReadIdentifiable = (actor: Actor, service: ServiceScope): boolean =>
  sameOrganisation(actor, service) && (actor.kind === 'system' || identifiableRoles.has(actor.role));

/** Read disclosure-controlled aggregates (every role of the organisation, commissioners included). */
export const mayReadAggregates = (actor: Actor, service: ServiceScope): boolean => sameOrganisation(actor, service);
