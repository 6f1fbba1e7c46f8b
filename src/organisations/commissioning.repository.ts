import { sql, type Kysely, type Transaction } from 'kysely';
import type { ServiceScope } from '../access/policies.ts';
import type { IsoDate, Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A service with what the access policies need to decide about it. */
export interface ScopedService extends Required<ServiceScope> {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationCode: string;
  organisationName: string;
}

interface ScopeRow {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationId: number;
  organisationCode: string;
  organisationName: string;
  commissionerOrganisationIds: number[] | null;
}

/** Commissioners of the service on `on` (every commissioning whose period contains that day). */
function scopeQuery(db: Db, on: IsoDate) {
  return db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select([
      'service.id as serviceId',
      'service.code as serviceCode',
      'service.name as serviceName',
      'organisation.id as organisationId',
      'organisation.code as organisationCode',
      'organisation.name as organisationName',
      sql<number[] | null>`(
        select array_agg(c.commissioner_organisation_id order by c.commissioner_organisation_id)
        from commissioning c
        where c.service_id = service.id and c.commissioned_from <= ${on}::date and (c.commissioned_to is null or c.commissioned_to >= ${on}::date)
      )`.as('commissionerOrganisationIds'),
    ]);
}

const toScope = (row: ScopeRow): ScopedService => ({ ...row, commissionerOrganisationIds: (row.commissionerOrganisationIds ?? []).map(Number) });

/** One service's scope for the access policies: its provider and who commissions it on `on`. */
export async function loadServiceScope(db: Db, serviceId: number, on: IsoDate): Promise<ScopedService | undefined> {
  const row = await scopeQuery(db, on).where('service.id', '=', serviceId).executeTakeFirst();
  return row ? toScope(row) : undefined;
}

/**
 * Every service with this code (service codes are unique only within an organisation), or the
 * one of the given organisation, each with its scope; the caller picks the one its actor may see.
 */
export async function loadServiceScopesByCode(db: Db, serviceCode: string, on: IsoDate, organisationCode?: string): Promise<ScopedService[]> {
  let query = scopeQuery(db, on).where('service.code', '=', serviceCode).orderBy('service.id');
  if (organisationCode !== undefined) query = query.where('organisation.code', '=', organisationCode);
  return (await query.execute()).map(toScope);
}

export interface CommissionedService {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationCode: string;
  organisationName: string;
  commissionedFrom: IsoDate;
  commissionedTo: IsoDate | null;
}

/** The services an organisation commissions on `on`, by provider and service name. */
export async function listCommissionedServices(db: Db, commissionerOrganisationId: number, on: IsoDate): Promise<CommissionedService[]> {
  return db
    .selectFrom('commissioning')
    .innerJoin('service', 'service.id', 'commissioning.service_id')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select([
      'service.id as serviceId',
      'service.code as serviceCode',
      'service.name as serviceName',
      'organisation.code as organisationCode',
      'organisation.name as organisationName',
      'commissioning.commissioned_from as commissionedFrom',
      'commissioning.commissioned_to as commissionedTo',
    ])
    .where('commissioning.commissioner_organisation_id', '=', commissionerOrganisationId)
    .where('commissioning.commissioned_from', '<=', on)
    .where((eb) => eb.or([eb('commissioning.commissioned_to', 'is', null), eb('commissioning.commissioned_to', '>=', on)]))
    .orderBy('organisation.name')
    .orderBy('service.name')
    .execute();
}

/** Records that a commissioner organisation commissions a service from a date (to a date, or continuing). */
export async function addCommissioning(
  db: Db,
  input: { commissionerOrganisationId: number; serviceId: number; from: IsoDate; to?: IsoDate | null },
): Promise<{ id: number }> {
  return db
    .insertInto('commissioning')
    .values({ commissioner_organisation_id: input.commissionerOrganisationId, service_id: input.serviceId, commissioned_from: input.from, commissioned_to: input.to ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** An organisation's name, for headings. */
export async function organisationName(db: Db, organisationId: number): Promise<string | undefined> {
  return (await db.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirst())?.name;
}
