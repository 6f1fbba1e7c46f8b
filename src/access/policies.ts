import type { StaffRole } from '../domain/codes.ts';
import type { Actor } from './actor.ts';

/**
 * Access rules as small pure functions, one line each, checked server-side by every service
 * function (and, through `config.access`, every route) before it touches data.
 *
 * - therapist, team lead, administrator: identifiable data and aggregates of their own
 *   organisation's services only;
 * - analyst: aggregates and imports of their own organisation's services, nothing identifiable;
 * - commissioner: aggregates only, of their own organisation's services and of every service
 *   their organisation commissions (which may belong to other organisations); never
 *   identifiable data, not even of a service they commission;
 * - the system (a documented CLI or first-run actor): everything.
 */
export interface ServiceScope {
  /** The provider organisation that runs the service and holds its records. */
  organisationId: number;
  /** Organisations commissioning the service on the day of the check (commissioning table). */
  commissionerOrganisationIds?: readonly number[];
}

type Staff = Extract<Actor, { kind: 'staff' }>;

const identifiableRoles: ReadonlySet<StaffRole> = new Set(['therapist', 'team_lead', 'administrator']);
const triageRoles: ReadonlySet<StaffRole> = new Set(['therapist', 'team_lead']);
const importingRoles: ReadonlySet<StaffRole> = new Set(['therapist', 'team_lead', 'administrator', 'analyst']);

const isSystem = (actor: Actor): boolean => actor.kind === 'system';
const staffIn = (actor: Actor, roles: ReadonlySet<StaffRole>): actor is Staff => actor.kind === 'staff' && roles.has(actor.role);
const ownOrganisation = (actor: Actor, service: ServiceScope): boolean => actor.kind === 'staff' && actor.organisationId === service.organisationId;
const commissions = (actor: Actor, service: ServiceScope): boolean =>
  actor.kind === 'staff' && actor.role === 'commissioner' && (service.commissionerOrganisationIds ?? []).includes(actor.organisationId);

/** Read a person's identifiable record (referrals, triage, contacts, outcomes of one person). */
export const mayReadIdentifiable = (actor: Actor, service: ServiceScope): boolean =>
  isSystem(actor) || (ownOrganisation(actor, service) && staffIn(actor, identifiableRoles));

/** Triage a referral and see the triage queue (therapists and team leads of the organisation). */
export const mayTriage = (actor: Actor, service: ServiceScope): boolean => ownOrganisation(actor, service) && staffIn(actor, triageRoles);

/** Whether the actor triages at all (the header's Triage link, the list of services to triage). */
export const triagesAnywhere = (actor: Actor | null): boolean => actor !== null && staffIn(actor, triageRoles);

/** Whether the actor reads any service's identifiable records (the header's Waiting lists link, the list of waiting lists). */
export const readsIdentifiableAnywhere = (actor: Actor | null): boolean => actor !== null && staffIn(actor, identifiableRoles);

/** Create or update referrals (a professional referral, a system sending ServiceRequests, an analyst's import). */
export const mayWriteReferrals = (actor: Actor, service: ServiceScope): boolean =>
  isSystem(actor) || (ownOrganisation(actor, service) && staffIn(actor, importingRoles));

/** Import a file of referrals into the service (the same rule as writing them one at a time). */
export const mayImport = (actor: Actor, service: ServiceScope): boolean => mayWriteReferrals(actor, service);

/** Read disclosure-controlled aggregates: every role of the organisation, and commissioners of the service. */
export const mayReadAggregates = (actor: Actor, service: ServiceScope): boolean =>
  isSystem(actor) || ownOrganisation(actor, service) || commissions(actor, service);

/** Whether the actor may know the service exists: a refusal of anything else is then 403, not 404. */
export const mayKnowService = (actor: Actor, service: ServiceScope): boolean => mayReadAggregates(actor, service);

/** Create or change services of an organisation (its administrators; a new organisation: the system only). */
export const mayManageServices = (actor: Actor, organisationId: number | null): boolean =>
  isSystem(actor) || (organisationId !== null && actor.kind === 'staff' && actor.role === 'administrator' && actor.organisationId === organisationId);

/** Pages and routes declared `access: 'administrator'`. */
export const isAdministrator = (actor: Actor | null): boolean => actor !== null && (isSystem(actor) || (actor.kind === 'staff' && actor.role === 'administrator'));

/** The commissioning view (aggregates of every commissioned service). */
export const mayViewCommissioning = (actor: Actor | null): actor is Staff => actor !== null && actor.kind === 'staff' && actor.role === 'commissioner';

/** The public self-referral (actor `system:public-self-referral`) writes only to a service that takes self-referrals. */
export const mayAcceptSelfReferral = (service: { acceptsSelfReferral: boolean }): boolean => service.acceptsSelfReferral;

/** Decide a service's waiting-list equity weights: its team leads (a recorded, audited decision). */
export const mayDecideEquityWeights = (actor: Actor, service: ServiceScope): boolean =>
  isSystem(actor) || (ownOrganisation(actor, service) && actor.kind === 'staff' && actor.role === 'team_lead');

/** The evidence register: administrators (and the system) add and edit figures. */
export const mayEditEvidence = (actor: Actor | null): boolean => isAdministrator(actor);

/** An untraced or non-commercial figure is let into headlines by an administrator or a team lead, with a reason. */
export const mayAcceptEvidence = (actor: Actor | null): boolean => actor !== null && (isAdministrator(actor) || (actor.kind === 'staff' && actor.role === 'team_lead'));

/** The register itself holds public figures only: every signed-in member of staff (and the system) may read it. */
export const mayReadEvidence = (actor: Actor | null): boolean => actor !== null;

/** Allocate waiting episodes to therapists and set therapists' competencies and capacity: the service's team leads. */
export const mayAllocate = (actor: Actor, service: ServiceScope): boolean =>
  isSystem(actor) || (ownOrganisation(actor, service) && actor.kind === 'staff' && actor.role === 'team_lead');

/** Whether the actor allocates at all (the header's Allocation link). */
export const allocatesAnywhere = (actor: Actor | null): boolean => actor !== null && actor.kind === 'staff' && actor.role === 'team_lead';
/** Record outcomes, discharges and work reports for a service's episodes: its therapists and team leads (clinical records). */
export const mayRecordCare = (actor: Actor, service: ServiceScope): boolean => ownOrganisation(actor, service) && staffIn(actor, triageRoles);
