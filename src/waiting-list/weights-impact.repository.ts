import { sql, type Kysely, type Transaction } from 'kysely';
import type { Priority } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import type { EquityWeights } from './priority-score.ts';
import { scoreTerms } from './waiting-list.repository.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

export type ImpactDimension = 'deprivation' | 'inclusion_health' | 'interpreter' | 'disability';

export interface ImpactRow {
  dimension: ImpactDimension;
  /** '1'..'5' or 'unknown' for deprivation; 'yes' or 'no' for the others. */
  group: string;
  people: number;
  medianWaitDays: number;
  /** Mean place on the list (1 = first seen) in score order under each set of weights. */
  meanPlaceBefore: number;
  meanPlaceAfter: number;
}

/**
 * Waits by group on a service's list as it stands on `asOf`, ordered by score under two sets of
 * weights (before and after a decision), all in SQL: for each group, the people in it, their
 * median wait so far, and their mean place on the list under each order. The wait so far is the
 * same under both (weights change order, not days already waited); what changes is where each
 * group sits, and so how soon it would be reached if people are seen in score order.
 */
export async function waitsByGroup(
  db: Db,
  query: { serviceId: number; asOf: IsoDate; targetDays: Readonly<Record<Priority, number>>; before: EquityWeights; after: EquityWeights },
): Promise<ImpactRow[]> {
  const asOf = sql`${query.asOf}::date`;
  const before = scoreTerms(query.asOf, query.targetDays, query.before);
  const after = scoreTerms(query.asOf, query.targetDays, query.after);
  const { rows } = await sql<Record<string, unknown>>`
    with waiting as (
      select e.id, ${before.waitDays} as wait_days, d.quintile, coalesce(p.inclusion_groups && ${before.inclusionHealth}, false) as inclusion,
        coalesce(p.interpreter_needed, false) as interpreter, coalesce(p.disability, false) as disability,
        ${before.score} as score_before, ${after.score} as score_after
      from episode e
      join referral r on r.id = e.referral_id
      join person p on p.id = r.person_id
      left join area_deprivation d on d.area_code = r.area_code
      where e.service_id = ${query.serviceId} and e.clock_stopped_on is null and e.first_contact_on is null and e.clock_started_on <= ${asOf}
    ), ranked as (
      select *, row_number() over (order by score_before desc, wait_days desc, id) as place_before,
        row_number() over (order by score_after desc, wait_days desc, id) as place_after
      from waiting
    ), grouped as (
      select 'deprivation' as dimension, coalesce(quintile::text, 'unknown') as grp, wait_days, place_before, place_after from ranked
      union all select 'inclusion_health', case when inclusion then 'yes' else 'no' end, wait_days, place_before, place_after from ranked
      union all select 'interpreter', case when interpreter then 'yes' else 'no' end, wait_days, place_before, place_after from ranked
      union all select 'disability', case when disability then 'yes' else 'no' end, wait_days, place_before, place_after from ranked
    )
    select dimension, grp, count(*) as people, percentile_cont(0.5) within group (order by wait_days) as median_wait,
      avg(place_before) as mean_before, avg(place_after) as mean_after
    from grouped
    group by dimension, grp
    order by dimension, grp`.execute(db);
  const order: ImpactDimension[] = ['deprivation', 'inclusion_health', 'interpreter', 'disability'];
  return rows
    .map((row) => ({
      dimension: row.dimension as ImpactDimension,
      group: String(row.grp),
      people: Number(row.people),
      medianWaitDays: Number(row.median_wait),
      meanPlaceBefore: Number(row.mean_before),
      meanPlaceAfter: Number(row.mean_after),
    }))
    .sort((a, b) => order.indexOf(a.dimension) - order.indexOf(b.dimension) || (a.group === 'unknown' ? 1 : 0) - (b.group === 'unknown' ? 1 : 0) || (a.group === 'yes' ? -1 : 0) - (b.group === 'yes' ? -1 : 0) || a.group.localeCompare(b.group));
}

/** First contacts per week in the service over the last `weeks` weeks: the pace the list is worked at. */
export async function seenPerWeek(db: Db, serviceId: number, asOf: IsoDate, weeks = 26): Promise<number> {
  const { rows } = await sql<{ seen: string | number }>`
    select count(*) as seen from episode e
    where e.service_id = ${serviceId} and e.first_contact_on > ${asOf}::date - ${weeks * 7}::int and e.first_contact_on <= ${asOf}::date`.execute(db);
  return Number(rows[0]?.seen ?? 0) / weeks;
}
