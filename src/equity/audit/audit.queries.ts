import { sql, type Kysely, type RawBuilder } from 'kysely';
import * as codes from '../../domain/codes.ts';
import type { Schema } from '../../store/schema.ts';
import { ageBands } from './audit.dimensions.ts';
import type { DimensionKey } from './audit.model.ts';

/**
 * The equity audit's SQL. Every aggregate is computed in the database, in as few passes over
 * the referrals as possible (GROUPING SETS: one scan feeds every breakdown), so Node receives a
 * few hundred rows whatever the number of referrals. Runs unchanged on PGlite and PostgreSQL.
 */

export interface AuditScope {
  serviceId: number;
  from: string;
  to: string;
  asOf: string;
}

/** The dimensions computed by the main grouping-sets pass (inclusion groups need their own). */
export const scalarDimensions = [
  'imd_quintile',
  'imd_decile',
  'local_quintile',
  'age_band',
  'sex',
  'ethnic_group',
  'ethnicity',
  'disability',
  'interpreter',
  'language',
  'pathway',
  'referral_source',
  'icb',
  'local_authority',
] as const satisfies readonly DimensionKey[];
type ScalarDimension = (typeof scalarDimensions)[number];

/** Geographic dimensions: their populations come from the catchment's areas. */
const areaDimensions = ['imd_quintile', 'imd_decile', 'local_quintile', 'icb', 'local_authority'] as const satisfies readonly ScalarDimension[];

/** Minimal important change used to count a person as improved, per instrument. */
export const meaningfulChange: Record<codes.OutcomeInstrument, { change: number; source: string }> = {
  // SWEMWBS: 3 metric points, the upper end of the 1-3 point range (Maheswaran et al. 2019,
  // Health Qual Life Outcomes 17:59; also Warwick Medical School guidance).
  SWEMWBS: { change: 3, source: 'Maheswaran et al. 2019' },
  // GAS T-scores: 10 points is one step on the five-point attainment scale (Kiresuk and Sherman 1968).
  GAS: { change: 10, source: 'Kiresuk and Sherman 1968' },
  FFT: { change: 1, source: 'one response category' },
  COPM_PERFORMANCE: { change: 2, source: 'Law et al. COPM manual (2 points clinically important)' },
  COPM_SATISFACTION: { change: 2, source: 'Law et al. COPM manual (2 points clinically important)' },
  TOMS: { change: 0.5, source: 'Enderby and John, half a point on the 0-5 scale' },
  MOHOST: { change: 1, source: 'one rating step' },
};

const ageBandCase = sql.raw(
  `case when p.date_of_birth is null then 'unknown' ${ageBands
    .map((band) => `when extract(year from age(r.received_on, p.date_of_birth)) <= ${band.to} then '${band.code}'`)
    .join(' ')} else 'unknown' end`,
);

const broadGroupCase = sql.raw(
  `case when p.ethnicity in ('A','B','C') then 'white' when p.ethnicity in ('D','E','F','G') then 'mixed'
        when p.ethnicity in ('H','J','K','L') then 'asian' when p.ethnicity in ('M','N','P') then 'black'
        when p.ethnicity in ('R','S') then 'other' when p.ethnicity = 'Z' then 'not_stated' else 'unknown' end`,
);

/** Area group when the person has no area: homeless people are a group of their own. */
const noArea = sql.raw(`case when p.postcode_status = 'no_fixed_address' then 'no_area' else 'unknown' end`);

/**
 * Common table expressions: the service, its catchment areas with populations, local quintiles,
 * and one row per referral in scope with every dimension and flag the audit needs.
 */
function baseCte(scope: AuditScope): RawBuilder<unknown> {
  return sql`
  svc as materialized (
    select id, nation, icb_code, local_authority_code from service where id = ${scope.serviceId}
  ),
  catchment as materialized (
    select a.area_code, coalesce(total.population, 0) as population
    from ref_area a
    cross join svc
    left join ref_population total on total.source = 'mid2019' and total.age_band = 'all' and total.area_code = a.area_code
    where a.area_kind in ('lsoa11', 'datazone11', 'soa01')
      and case
        when svc.local_authority_code is not null then a.local_authority_code = svc.local_authority_code
        when svc.icb_code is not null then a.icb_code = svc.icb_code
        else a.nation = svc.nation
      end
  ),
  local_quintile as materialized (
    -- Catchment areas ordered by national rank and cut into fifths of the catchment population
    -- (by each area's population mid-point), so each local fifth holds about a fifth of residents.
    select c.area_code,
      least(5, 1 + floor(5 * (sum(c.population) over (order by d.rank, c.area_code) - c.population / 2.0)
        / nullif(sum(c.population) over (), 0)))::integer as quintile
    from catchment c
    join ref_deprivation d on d.area_code = c.area_code
  ),
  base as (
    select
      r.id as referral_id,
      r.person_id,
      coalesce(dep.quintile::text, ${noArea}) as imd_quintile,
      coalesce(dep.decile::text, ${noArea}) as imd_decile,
      coalesce(lq.quintile::text, case when r.area_code is null then ${noArea} else 'outside_catchment' end) as local_quintile,
      ${ageBandCase} as age_band,
      coalesce(nullif(p.sex, 'X'), 'unknown') as sex,
      ${broadGroupCase} as ethnic_group,
      case when p.ethnicity is null or p.ethnicity = '99' then 'unknown' when p.ethnicity = 'Z' then 'not_stated' else p.ethnicity end as ethnicity,
      case p.disability when true then 'yes' when false then 'no' else 'unknown' end as disability,
      case p.interpreter_needed when true then 'yes' when false then 'no' else 'unknown' end as interpreter,
      coalesce(p.language, 'unknown') as language,
      coalesce(t.pathway_code, 'not_triaged') as pathway,
      r.source as referral_source,
      coalesce(a.icb_code, ${noArea}) as icb,
      coalesce(a.local_authority_code, ${noArea}) as local_authority,
      p.inclusion_groups,
      lq.area_code is not null as in_catchment,
      t.referral_id is not null as triaged,
      t.priority,
      t.outcome as triage_outcome,
      e.id is not null and e.clock_started_on <= ${scope.asOf}::date as accepted,
      e.first_contact_on is not null and e.first_contact_on <= ${scope.asOf}::date as seen,
      e.id is not null and e.clock_started_on <= ${scope.asOf}::date
        and (e.first_contact_on is null or e.first_contact_on > ${scope.asOf}::date)
        and (e.clock_stopped_on is null or e.clock_stopped_on > ${scope.asOf}::date) as still_waiting,
      -- Days waited to first contact, or to the as-of date (censored) for people still waiting,
      -- or to leaving the list unseen (censored), less the days the clock was paused.
      greatest(0, (least(coalesce(e.first_contact_on, e.clock_stopped_on, ${scope.asOf}::date), ${scope.asOf}::date)
        - e.clock_started_on) - e.paused_days) as wait_days,
      coalesce(e.contacts_attended, 0) as attended,
      coalesce(e.contacts_did_not_attend, 0) as did_not_attend,
      d.referral_id is not null and d.discharged_on <= ${scope.asOf}::date as discharged,
      coalesce(d.outcomes, '{}') as discharge_outcomes,
      e.id as episode_id
    from referral r
    join person p on p.id = r.person_id
    left join triage t on t.referral_id = r.id
    left join episode e on e.referral_id = r.id
    left join discharge d on d.referral_id = r.id
    left join ref_deprivation dep on dep.area_code = r.area_code
    left join ref_area a on a.area_code = r.area_code
    left join local_quintile lq on lq.area_code = r.area_code
    where r.service_id = ${scope.serviceId} and r.received_on between ${scope.from}::date and ${scope.to}::date
  )`;
}

const dischargeOutcomeSums = sql.raw(
  codes.dischargeOutcome.values.map((code) => `count(*) filter (where discharged and discharge_outcomes @> array['${code}']) as "out_${code}"`).join(',\n'),
);

const metrics = sql`
  count(*) as referrals,
  count(*) filter (where in_catchment) as referrals_in_catchment,
  count(*) filter (where triaged) as triaged,
  count(*) filter (where priority = 'P1') as p1,
  count(*) filter (where priority = 'P2') as p2,
  count(*) filter (where priority = 'P3') as p3,
  count(*) filter (where priority = 'P4') as p4,
  count(*) filter (where triage_outcome = 'accept') as accept,
  count(*) filter (where triage_outcome = 'advice_discharge') as advice_discharge,
  count(*) filter (where triage_outcome = 'redirect') as redirect,
  count(*) filter (where triage_outcome = 'return_to_referrer') as return_to_referrer,
  count(*) filter (where accepted) as episodes,
  count(*) filter (where seen) as seen,
  count(*) filter (where still_waiting) as still_waiting,
  coalesce(sum(attended), 0) as attended,
  coalesce(sum(did_not_attend), 0) as did_not_attend,
  count(*) filter (where discharged) as discharged,
  ${dischargeOutcomeSums}`;

export interface CountRow {
  dimension: DimensionKey | 'total';
  group: string;
  ageBand: string | null;
  inCatchmentByAge?: never;
  referrals: number;
  referrals_in_catchment: number;
  triaged: number;
  p1: number;
  p2: number;
  p3: number;
  p4: number;
  accept: number;
  advice_discharge: number;
  redirect: number;
  return_to_referrer: number;
  episodes: number;
  seen: number;
  still_waiting: number;
  attended: number;
  did_not_attend: number;
  discharged: number;
  [outcome: `out_${string}`]: number;
}

/**
 * GROUPING SETS for the breakdowns: the grand total, one set per scalar dimension, and (for
 * standardisation) each area dimension by age band. `extra` columns are added to every set.
 */
function groupingSets(extra: string[], withAgeBand: boolean): RawBuilder<unknown> {
  const sets = [
    [],
    ...scalarDimensions.map((d) => [d]),
    ...(withAgeBand ? areaDimensions.map((d) => [d, 'age_band']) : []),
  ].map((columns) => `(${[...columns, ...extra].join(', ')})`);
  return sql.raw(`grouping sets (${sets.join(', ')})`);
}

const scalarColumns = sql.raw(scalarDimensions.join(', '));
const gid = sql.raw(`grouping(${scalarDimensions.join(', ')})`);

/**
 * Which grouping set a row came from. grouping(c1..cn) sets bit (n - 1 - i) when column i is
 * aggregated away, so the columns still present name the breakdown.
 */
function decode(row: Record<string, unknown>): { dimension: DimensionKey | 'total'; group: string; ageBand: string | null } {
  const bits = Number(row.gid);
  const n = scalarDimensions.length;
  const present = scalarDimensions.filter((_, i) => (bits & (1 << (n - 1 - i))) === 0);
  if (present.length === 0) return { dimension: 'total', group: 'all', ageBand: null };
  if (present.length === 2) {
    const areaDimension = present.find((d) => d !== 'age_band')!;
    return { dimension: areaDimension, group: String(row[areaDimension]), ageBand: String(row.age_band) };
  }
  const dimension = present[0]!;
  return { dimension, group: String(row[dimension]), ageBand: null };
}

/** Counts per group of every scalar dimension, and per (area group x age band) for standardisation. */
export async function countsByGroup(db: Kysely<Schema>, scope: AuditScope): Promise<CountRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    with ${baseCte(scope)}
    select ${gid} as gid, ${scalarColumns}, ${metrics}
    from base
    group by ${groupingSets([], true)}`.execute(db);
  return rows.map((row) => ({ ...(row as unknown as CountRow), ...decode(row) }));
}

/** Counts per inclusion-health group (a person may be in several) and for people in none. */
export async function countsByInclusionGroup(db: Kysely<Schema>, scope: AuditScope): Promise<CountRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    with ${baseCte(scope)},
    membership as (
      select b.*, g.inclusion_group
      from base b
      cross join lateral unnest(case when cardinality(b.inclusion_groups) = 0 then array['none'] else b.inclusion_groups end) as g(inclusion_group)
    )
    select inclusion_group, ${metrics}
    from membership
    group by inclusion_group`.execute(db);
  return rows.map((row) => ({ ...(row as unknown as CountRow), dimension: 'inclusion_group', group: String(row.inclusion_group), ageBand: null }));
}

export interface WaitRow {
  dimension: DimensionKey | 'total';
  group: string;
  days: number;
  /** People seen after exactly `days` days (events). */
  seen: number;
  /** People still waiting, or who left unseen, after `days` days (censored). */
  censored: number;
}

/** The waiting-time distribution per group: counts by day waited, events and censored apart. */
export async function waitDistribution(db: Kysely<Schema>, scope: AuditScope): Promise<WaitRow[]> {
  const inclusion = await sql<Record<string, unknown>>`
    with ${baseCte(scope)}
    select g.inclusion_group, wait_days, count(*) filter (where seen) as seen, count(*) filter (where not seen) as censored
    from base b
    cross join lateral unnest(case when cardinality(b.inclusion_groups) = 0 then array['none'] else b.inclusion_groups end) as g(inclusion_group)
    where accepted
    group by g.inclusion_group, wait_days`.execute(db);
  const { rows } = await sql<Record<string, unknown>>`
    with ${baseCte(scope)}
    select ${gid} as gid, ${scalarColumns}, wait_days, count(*) filter (where seen) as seen, count(*) filter (where not seen) as censored
    from base
    where accepted
    group by ${groupingSets(['wait_days'], false)}`.execute(db);
  return [
    ...rows.map((row) => ({ ...decode(row), days: Number(row.wait_days), seen: Number(row.seen), censored: Number(row.censored) })),
    ...inclusion.rows.map((row) => ({
      dimension: 'inclusion_group' as const,
      group: String(row.inclusion_group),
      days: Number(row.wait_days),
      seen: Number(row.seen),
      censored: Number(row.censored),
    })),
  ].map(({ dimension, group, days, seen, censored }) => ({ dimension, group, days, seen, censored }));
}

export interface PromRow {
  dimension: DimensionKey | 'total';
  group: string;
  instrument: codes.OutcomeInstrument;
  pairs: number;
  sumChange: number;
  sumSquaredChange: number;
  improved: number;
}

/** PROM change (final minus baseline) per group and instrument: sums for means and intervals. */
export async function promChange(db: Kysely<Schema>, scope: AuditScope): Promise<PromRow[]> {
  const threshold = sql.raw(
    `case pr.instrument ${Object.entries(meaningfulChange).map(([instrument, { change }]) => `when '${instrument}' then ${change}`).join(' ')} end`,
  );
  const pairs = sql`
    pairs as (
      select episode_id, instrument,
        max(score) filter (where timepoint = 'baseline') as baseline,
        max(score) filter (where timepoint = 'discharge') as final
      from outcome_response
      where episode_id in (select episode_id from base where episode_id is not null)
        and recorded_on <= ${scope.asOf}::date
      group by episode_id, instrument
    ),
    prom as (
      select b.*, pr.instrument, pr.final - pr.baseline as change, (pr.final - pr.baseline) >= ${threshold} as improved
      from base b join pairs pr on pr.episode_id = b.episode_id
      where pr.baseline is not null and pr.final is not null
    )`;
  const measures = sql`count(*) as pairs, sum(change) as sum_change, sum(change * change) as sum_sq, count(*) filter (where improved) as improved`;
  const { rows } = await sql<Record<string, unknown>>`
    with ${baseCte(scope)}, ${pairs}
    select ${gid} as gid, ${scalarColumns}, instrument, ${measures}
    from prom
    group by ${groupingSets(['instrument'], false)}`.execute(db);
  const inclusion = await sql<Record<string, unknown>>`
    with ${baseCte(scope)}, ${pairs}
    select g.inclusion_group, instrument, ${measures}
    from prom
    cross join lateral unnest(case when cardinality(prom.inclusion_groups) = 0 then array['none'] else prom.inclusion_groups end) as g(inclusion_group)
    group by g.inclusion_group, instrument`.execute(db);
  const toRow = (row: Record<string, unknown>, where: { dimension: DimensionKey | 'total'; group: string }): PromRow => ({
    ...where,
    instrument: row.instrument as codes.OutcomeInstrument,
    pairs: Number(row.pairs),
    sumChange: Number(row.sum_change),
    sumSquaredChange: Number(row.sum_sq),
    improved: Number(row.improved),
  });
  return [
    ...rows.map((row) => toRow(row, decode(row))),
    ...inclusion.rows.map((row) => toRow(row, { dimension: 'inclusion_group', group: String(row.inclusion_group) })),
  ];
}

export interface PopulationRow {
  dimension: DimensionKey | 'total';
  group: string;
  /** Null for the group's total population. */
  ageBand: string | null;
  population: number;
}

/**
 * Catchment population per area group (deprivation quintiles and deciles, local quintiles, ICB,
 * local authority) and for the whole catchment, in total and by age band. Age bands are Census
 * 2021 apportioned to LSOA 2011 (source 'census2021_lsoa11'); an area without them (Scotland,
 * Northern Ireland) has its mid-2019 total only, and the total of an area with them is the sum of
 * its bands, so rates and standardised rates share one denominator.
 */
export async function catchmentPopulation(db: Kysely<Schema>, scope: AuditScope): Promise<PopulationRow[]> {
  const columns = [...areaDimensions, 'age_band'];
  const sets = [
    '()',
    '(age_band)',
    ...areaDimensions.map((d) => `(${d})`),
    ...areaDimensions.map((d) => `(${d}, age_band)`),
  ];
  const { rows } = await sql<Record<string, unknown>>`
    with ${baseCte(scope)},
    bands as (
      select area_code, age_band, population from ref_population where source = 'census2021_lsoa11'
    ),
    areas as (
      select c.area_code,
        coalesce(d.quintile::text, 'unknown') as imd_quintile,
        coalesce(d.decile::text, 'unknown') as imd_decile,
        coalesce(lq.quintile::text, 'unknown') as local_quintile,
        coalesce(a.icb_code, 'unknown') as icb,
        coalesce(a.local_authority_code, 'unknown') as local_authority,
        c.population as total_population
      from catchment c
      join ref_area a on a.area_code = c.area_code
      left join ref_deprivation d on d.area_code = c.area_code
      left join local_quintile lq on lq.area_code = c.area_code
    ),
    cells as (
      -- One row per area and age band where bands exist; one 'total' row per area otherwise.
      select ar.*, b.age_band, b.population from areas ar join bands b on b.area_code = ar.area_code
      union all
      select ar.*, null as age_band, ar.total_population as population from areas ar
      where not exists (select 1 from bands b where b.area_code = ar.area_code)
    )
    select grouping(${sql.raw(columns.join(', '))}) as gid, ${sql.raw(columns.join(', '))}, sum(population) as population
    from cells
    group by grouping sets (${sql.raw(sets.join(', '))})`.execute(db);
  const n = columns.length;
  return rows.flatMap((row): PopulationRow[] => {
    const bits = Number(row.gid);
    const present = columns.filter((_, i) => (bits & (1 << (n - 1 - i))) === 0);
    const byAge = present.includes('age_band');
    // A set grouped by age band includes the areas without bands under age_band null: skip them.
    if (byAge && (row.age_band === null || row.age_band === undefined)) return [];
    const area = present.find((c) => c !== 'age_band') as DimensionKey | undefined;
    const population = Number(row.population);
    const ageBand = byAge ? String(row.age_band) : null;
    if (!area) return [{ dimension: byAge ? 'age_band' : 'total', group: byAge ? ageBand! : 'all', ageBand: null, population }];
    return [{ dimension: area, group: String(row[area]), ageBand, population }];
  });
}
