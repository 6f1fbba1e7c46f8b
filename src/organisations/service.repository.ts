import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import * as codes from '../domain/codes.ts';
import type { Actor } from '../access/actor.ts';
import { mayManageServices } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';

export interface ServiceSummary {
  id: number;
  code: string;
  name: string;
  organisationId: number;
  organisationName: string;
}

/** The service a page or command acts on: by code, or the first service when none is named. */
export async function findService(db: Kysely<Schema>, code?: string): Promise<ServiceSummary | undefined> {
  let query = db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select([
      'service.id as id',
      'service.code as code',
      'service.name as name',
      'organisation.id as organisationId',
      'organisation.name as organisationName',
    ])
    .orderBy('service.id')
    .limit(1);
  if (code) query = query.where('service.code', '=', code);
  return query.executeTakeFirst();
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
