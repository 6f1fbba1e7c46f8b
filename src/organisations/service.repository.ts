import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import * as codes from '../domain/codes.ts';
import type { Actor } from '../access/actor.ts';
import { mayManageServices } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface ServiceRow {
  id: number;
  code: string;
  name: string;
  setting: codes.ServiceSetting;
  organisationId: number;
  organisationCode: string;
  organisationName: string;
}

/** A service as people name it: ORGANISATION/code (ORGANISATION~code in a web address), or a bare code. */
export interface ServiceReference {
  organisationCode: string | undefined;
  serviceCode: string | undefined;
}

/**
 * Reads `ORG/code`, `ORG~code` or a bare `code` (nothing: no service named). The organisation
 * code is upper-cased as organisation codes are; the service code is kept as written.
 */
export function parseServiceReference(text: string | undefined): ServiceReference {
  const trimmed = text?.trim();
  if (!trimmed) return { organisationCode: undefined, serviceCode: undefined };
  const separator = trimmed.search(/[/~]/);
  if (separator < 0) return { organisationCode: undefined, serviceCode: trimmed };
  return { organisationCode: trimmed.slice(0, separator).toUpperCase(), serviceCode: trimmed.slice(separator + 1) };
}

/** `ORG/code`: how Roots names a service in summaries and messages. */
export const serviceLabel = (service: Pick<ServiceRow, 'organisationCode' | 'code'>): string => `${service.organisationCode}/${service.code}`;

/** Services matching an organisation code and a service code (either may be left out), oldest first. */
export async function findServices(db: Db, organisationCode: string | undefined, serviceCode: string | undefined, limit = 50): Promise<ServiceRow[]> {
  let query = db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select([
      'service.id as id',
      'service.code as code',
      'service.name as name',
      'service.setting as setting',
      'organisation.id as organisationId',
      'organisation.code as organisationCode',
      'organisation.name as organisationName',
    ])
    .orderBy('service.id')
    .limit(limit);
  if (serviceCode !== undefined) query = query.where('service.code', '=', serviceCode);
  if (organisationCode !== undefined) query = query.where('organisation.code', '=', organisationCode);
  return query.execute();
}

export interface FindServiceOptions {
  /**
   * When a bare code names services of several organisations, take the one of this
   * organisation (a member of staff's own) if it has one.
   */
  preferOrganisationId?: number | undefined;
}

/**
 * The one way to find a service by its codes. Service codes are unique only within an
 * organisation: with the organisation code the answer is one service or none; with a bare code
 * it must be unique (or, with `preferOrganisationId`, unique in that organisation), else the
 * error names the choices; with neither, there must be exactly one service.
 * Throws NOT_FOUND or BAD_REQUEST (ambiguous) with a message a person can act on.
 */
export async function findService(
  db: Db,
  organisationCode: string | undefined,
  serviceCode: string | undefined,
  options: FindServiceOptions = {},
): Promise<ServiceRow> {
  const named = organisationCode !== undefined ? `${organisationCode}/${serviceCode ?? ''}` : serviceCode;
  if (organisationCode !== undefined && serviceCode === undefined) {
    throw new RootsError('BAD_REQUEST', { detail: `"${named}" names an organisation but no service: write ORGANISATION/service.` });
  }
  const found = await findServices(db, organisationCode, serviceCode);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new RootsError('NOT_FOUND', {
      detail: named ? `There is no service "${named}".` : 'There is no service yet: create the organisation and its service first (roots service create).',
    });
  }
  const own = options.preferOrganisationId === undefined ? [] : found.filter((service) => service.organisationId === options.preferOrganisationId);
  if (own.length === 1) return own[0]!;
  const choices = `${found.slice(0, 10).map(serviceLabel).join(', ')}${found.length > 10 ? ', ...' : ''}`;
  throw new RootsError('BAD_REQUEST', {
    detail: named
      ? `More than one organisation has a service "${named}": name it with its organisation as ORGANISATION/service (ORGANISATION~service in a web address): ${choices}.`
      : `There is more than one service: choose one with --service ORGANISATION/service (${choices}).`,
  });
}

/** The service named by `ORG/code`, `ORG~code` or a unique bare code (see findService). */
export async function findServiceByReference(db: Db, reference: string | undefined, options: FindServiceOptions = {}): Promise<ServiceRow> {
  const { organisationCode, serviceCode } = parseServiceReference(reference);
  return findService(db, organisationCode, serviceCode, options);
}

/** The service public pages show when none is named: the first one created (the demo's), if any. */
export async function defaultService(db: Db): Promise<ServiceRow | undefined> {
  return (await findServices(db, undefined, undefined, 1))[0];
}

export interface ServiceTotals {
  referrals: number;
  accepted: number;
  waiting: number;
  seen: number;
  discharged: number;
  /** Median weeks from clock start to first contact, among those seen; null when nobody was seen. */
  medianWaitWeeks: number | null;
}

/**
 * Headline activity for referrals received in [from, to], counted in one SQL pass.
 * Raw counts: callers showing them outside the care team pass them through disclosure control.
 */
export async function serviceTotals(db: Kysely<Schema>, serviceId: number, from: string, to: string): Promise<ServiceTotals> {
  const { rows } = await sql<ServiceTotals>`
    select
      count(*)::integer as referrals,
      count(e.id)::integer as accepted,
      count(*) filter (where e.id is not null and e.first_contact_on is null and e.clock_stopped_on is null)::integer as waiting,
      count(*) filter (where e.first_contact_on is not null)::integer as seen,
      count(d.referral_id)::integer as discharged,
      (percentile_cont(0.5) within group (order by (e.first_contact_on - e.clock_started_on - e.paused_days))
        filter (where e.first_contact_on is not null)) / 7.0 as "medianWaitWeeks"
    from referral r
    left join episode e on e.referral_id = r.id
    left join discharge d on d.referral_id = r.id
    where r.service_id = ${serviceId} and r.received_on between ${from} and ${to}`.execute(db);
  const row = rows[0]!;
  return { ...row, medianWaitWeeks: row.medianWaitWeeks === null ? null : Number(row.medianWaitWeeks) };
}

export const newServiceSchema = z.object({
  organisationCode: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'is 2 to 20 capital letters, digits or hyphens'),
  organisationName: z.string().trim().min(1).max(200).optional(),
  code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'is 2 to 40 small letters, digits or hyphens'),
  name: z.string().trim().min(1).max(200),
  setting: z.enum(codes.serviceSetting.values),
  nation: z.enum(codes.nation.values).default('E'),
  icbCode: z.string().regex(/^[A-Z]\d{8}$/, 'is a nine-character GSS code').optional(),
  localAuthorityCode: z.string().regex(/^[A-Z]\d{8}$/, 'is a nine-character GSS code').optional(),
  pathways: z.array(z.enum(codes.pathway.values)).min(1).default([...codes.pathway.values]),
});
export type NewService = z.input<typeof newServiceSchema>;

/**
 * Creates a service (with its pathways) in an organisation, creating the organisation too when
 * it does not exist yet and a name for it is given. One transaction: all or nothing. Access is
 * checked first: an administrator of the organisation, or the system (which alone creates
 * organisations); a refusal is recorded.
 */
export async function createService(db: Kysely<Schema>, input: NewService, actor: Actor): Promise<{ id: number; organisationId: number; organisationCreated: boolean }> {
  const parsed = newServiceSchema.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', {
      detail: 'The service cannot be created with these values.',
      problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    });
  }
  const service = parsed.data;
  const target = await db.selectFrom('organisation').select('id').where('code', '=', service.organisationCode).executeTakeFirst();
  if (!mayManageServices(actor, target?.id ?? null)) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'service', organisationId: target?.id ?? null, detail: { wanted: 'create' } });
    throw new RootsError('FORBIDDEN', { detail: 'Only an administrator of the organisation can create its services.' });
  }
  return db.transaction().execute(async (trx) => {
    let organisation = await trx.selectFrom('organisation').select('id').where('code', '=', service.organisationCode).executeTakeFirst();
    const organisationCreated = !organisation;
    if (!organisation) {
      if (!service.organisationName) {
        throw new RootsError('NOT_FOUND', { detail: `There is no organisation ${service.organisationCode}: give its name to create it.` });
      }
      organisation = await trx.insertInto('organisation').values({ code: service.organisationCode, name: service.organisationName }).returning('id').executeTakeFirstOrThrow();
    }
    const existing = await trx.selectFrom('service').select('id').where('organisation_id', '=', organisation.id).where('code', '=', service.code).executeTakeFirst();
    if (existing) {
      throw new RootsError('ALREADY_EXISTS', { detail: `Organisation ${service.organisationCode} already has a service ${service.code}.` });
    }
    const catchment = [['icbCode', 'icb', service.icbCode], ['localAuthorityCode', 'local_authority', service.localAuthorityCode]] as const;
    for (const [field, kind, code] of catchment) {
      if (code === undefined) continue;
      const known = await trx.selectFrom('ref_geography').select('code').where('code', '=', code).where('kind', '=', kind).executeTakeFirst();
      if (!known) {
        throw new RootsError('VALIDATION_FAILED', {
          detail: 'The service cannot be created with these values.',
          problems: [{ field, value: code, reason: `is not ${kind === 'icb' ? 'an ICB' : 'a local authority'} in the reference data (import it first, or check the code)` }],
        });
      }
    }
    const created = await trx
      .insertInto('service')
      .values({
        organisation_id: organisation.id,
        code: service.code,
        name: service.name,
        setting: service.setting,
        nation: service.nation,
        icb_code: service.icbCode ?? null,
        local_authority_code: service.localAuthorityCode ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('service_pathway').values([...new Set(service.pathways)].map((pathway_code) => ({ service_id: created.id, pathway_code }))).execute();
    return { id: created.id, organisationId: organisation.id, organisationCreated };
  });
}
