import type { Kysely, Transaction } from 'kysely';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import { loadServiceScope, loadServiceScopesByCode, type ScopedService } from '../organisations/commissioning.repository.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { mayImport, mayKnowService, mayReadAggregates, mayReadIdentifiable, mayWriteReferrals, type ServiceScope } from './policies.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/** What a service function is about to do to one service's data. */
export type ServiceAction = 'read_aggregates' | 'read_identifiable' | 'write_referrals' | 'import';

const policyFor: Record<ServiceAction, (actor: Actor, service: ServiceScope) => boolean> = {
  read_aggregates: mayReadAggregates,
  read_identifiable: mayReadIdentifiable,
  write_referrals: mayWriteReferrals,
  import: mayImport,
};

/** The one answer for a service that does not exist or that the actor may not know exists. */
const noSuchService = () => new RootsError('NOT_FOUND', { detail: 'There is no such service.' });

/**
 * The first call of every service function acting on one service: loads the service's scope (its
 * provider and, on `on`, its commissioners), checks the policy for `action`, and records a refusal
 * in the audit trail. A refused actor who may not even know the service exists gets NOT_FOUND,
 * exactly as for a service that does not exist; one who may know it (staff of its organisation, a
 * commissioner of it) gets FORBIDDEN. Call it outside any transaction that a refusal rolls back,
 * so the refusal stays recorded.
 */
export async function requireServiceAccess(
  db: Db,
  actor: Actor,
  serviceId: number,
  action: ServiceAction,
  options: { on: IsoDate; subjectKind?: string },
): Promise<ScopedService> {
  const service = await loadServiceScope(db, serviceId, options.on);
  if (!service) throw noSuchService();
  if (policyFor[action](actor, service)) return service;
  await recordRefusal(db, actor, service, action, options.subjectKind ?? 'service');
  throw mayKnowService(actor, service)
    ? new RootsError('FORBIDDEN', { detail: 'Your role does not allow this for this service.' })
    : noSuchService();
}

/**
 * The service a request or command names by code (and, when given, its organisation's code),
 * among those the actor may know: its own organisation's first, then those it commissions. A
 * service the actor may not know is refused (and the refusal recorded) exactly like one that does
 * not exist; several that it may know need the organisation named.
 */
export async function resolveServiceFor(
  db: Db,
  actor: Actor,
  name: { serviceCode: string; organisationCode?: string | undefined },
  options: { on: IsoDate; subjectKind?: string },
): Promise<ScopedService> {
  const candidates = await loadServiceScopesByCode(db, name.serviceCode, options.on, name.organisationCode);
  const known = candidates.filter((service) => mayKnowService(actor, service));
  if (known.length === 0) {
    for (const service of candidates) await recordRefusal(db, actor, service, 'read_aggregates', options.subjectKind ?? 'service');
    throw noSuchService();
  }
  const own = known.filter((service) => actor.kind === 'staff' && service.organisationId === actor.organisationId);
  if (own.length === 1) return own[0]!;
  if (known.length === 1) return known[0]!;
  throw new RootsError('BAD_REQUEST', {
    detail: `Several services you can see have the code ${name.serviceCode} (${known.map((s) => `${s.organisationCode}/${s.serviceCode}`).join(', ')}): name the organisation too.`,
  });
}

async function recordRefusal(db: Db, actor: Actor, service: ScopedService, action: ServiceAction, subjectKind: string): Promise<void> {
  await recordAuditTrail(db, {
    actor,
    action: 'denied',
    subjectKind,
    subjectId: service.serviceId,
    organisationId: service.organisationId,
    detail: { wanted: action },
  });
}
