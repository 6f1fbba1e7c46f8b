import { sql, type Kysely } from 'kysely';
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
