import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayViewCommissioning } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { listCommissionedServices, organisationName, type CommissionedService } from './commissioning.repository.ts';

const organisationOf = (actor: Actor): number | null => (actor.kind === 'staff' ? actor.organisationId : null);

/**
 * What a commissioner commissions on `on`: the services only (names, providers, dates), never
 * anything about a person; their audits are the disclosure-controlled ones. Access first: anyone
 * but a commissioner is refused, and the refusal recorded.
 */
export async function commissionedServicesFor(db: Kysely<Schema>, actor: Actor, on: IsoDate): Promise<{ organisationName: string; services: CommissionedService[] }> {
  if (!mayViewCommissioning(actor)) {
    await recordAuditTrail(db, { actor: actor as Actor, action: 'denied', subjectKind: 'commissioning', organisationId: organisationOf(actor as Actor) });
    throw new RootsError('FORBIDDEN', { detail: 'Only commissioners can see the services their organisation commissions.' });
  }
  const [name, services] = await Promise.all([organisationName(db, actor.organisationId), listCommissionedServices(db, actor.organisationId, on)]);
  return { organisationName: name ?? '', services };
}
