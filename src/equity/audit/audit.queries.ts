import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import * as codes from '../../domain/codes.ts';
import type { Schema } from '../../store/schema.ts';
import { ageBands } from './audit.dimensions.ts';
import type { DimensionKey } from './audit.model.ts';

/**
 * The equity audit's SQL. Everything is counted in the database and Node receives a few hundred
 * rows (a few thousand for waits by day) whatever the number of referrals. Runs unchanged on
 * PGlite and PostgreSQL.
 *
 * Shape, chosen for speed at a million referrals:
 * 1. `prepareAuditTables` writes two temporary tables inside the audit's transaction:
 *    `audit_area` (one row per area: its deprivation decile and quintile, local quintile, ICB,
 *    local authority, whether it is in the catchment, its population) and `audit_base` (one row
 *    per referral in scope: the area key, every other dimension, and the flags counted). The
 *    joins across referral, person, triage, episode, discharge and the reference data run once.
 * 2. Counts: one pass over `audit_base` aggregates four small "cubes" at once (GROUPING SETS):
 *    area x age band; sex x disability x interpreter x pathway; ethnicity x language x source;
 *    inclusion-group combination. Each breakdown is then a roll-up of a cube, which is tiny.
 * 3. Waits (by whole day, seen or censored) and PROM change per breakdown, from `audit_base`.
 */

export interface AuditScope {
  serviceId: number;
  from: string;
  to: string;
  asOf: string;
}

/** The service's catchment: the areas whose residents are its population. */
export type Catchment =
  | { kind: 'local_authority'; code: string }
  | { kind: 'icb'; code: string }
  | { kind: 'nation'; code: codes.Nation };

/** Breakdowns other than inclusion groups (a person may be in several of those). */
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

/** Geographic breakdowns: properties of the area, with populations from the catchment. */
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

/** NHS broad ethnic group of an ethnic category column (as written in audit_base). */
const broadGroupOf = (column: string) =>
  `case when ${column} in ('A','B','C') then 'white' when ${column} in ('D','E','F','G') then 'mixed'
        when ${column} in ('H','J','K','L') then 'asian' when ${column} in ('M','N','P') then 'black'
        when ${column} in ('R','S') then 'other' when ${column} = 'not_stated' then 'not_stated' else 'unknown' end`;

/** Area keys for people without an area: homeless people are a group of their own. */
const NO_AREA = '~no_area';
const UNKNOWN_AREA = '~unknown';

function catchmentPredicate(catchment: Catchment): RawBuilder<unknown> {
  switch (catchment.kind) {
    case 'local_authority':
      return sql`a.local_authority_code = ${catchment.code}`;
    case 'icb':
      return sql`a.icb_code = ${catchment.code}`;
    case 'nation':
      return sql`a.nation = ${catchment.code}`;
  }
}

/**
 * Writes `audit_area` and `audit_base` (temporary, dropped at commit). Must run inside the
 * transaction that runs the other queries of this module.
 */
export async function prepareAuditTables(trx: Transaction<Schema>, scope: AuditScope, catchment: Catchment): Promise<void> {
  await sql`
    create temporary table audit_catchment on commit drop as
    select a.area_code, coalesce(total.population, 0) as population
    from ref_area a
    left join ref_population total on total.source = 'mid2019' and total.age_band = 'all' and total.area_code = a.area_code
    where a.area_kind in ('lsoa11', 'datazone11', 'soa01') and ${catchmentPredicate(catchment)}`.execute(trx);

  await sql`
    create temporary table audit_area on commit drop as
    with local_quintile as (
      -- Catchment areas ordered by national rank and cut into fifths of the catchment population
      -- (by each area's population mid-point), so each local fifth holds about a fifth of residents.
      select c.area_code,
        least(5, 1 + floor(5 * (sum(c.population) over (order by d.rank, c.area_code) - c.population / 2.0)
          / nullif(sum(c.population) over (), 0)))::integer as quintile
      from audit_catchment c
      join ref_deprivation d on d.area_code = c.area_code
    ),
    keys as (
      select area_code from audit_catchment
      union
      select distinct area_code from referral
      where service_id = ${scope.serviceId} and received_on between ${scope.from}::date and ${scope.to}::date and area_code is not null
    )
    select k.area_code as area_key,
      coalesce(d.decile::text, 'unknown') as imd_decile,
      coalesce(d.quintile::text, 'unknown') as imd_quintile,
      coalesce(lq.quintile::text, case when c.area_code is null then 'outside_catchment' else 'unknown' end) as local_quintile,
      coalesce(a.icb_code, 'unknown') as icb,
      coalesce(a.local_authority_code, 'unknown') as local_authority,
      c.area_code is not null as in_catchment,
      c.population
    from keys k
    left join audit_catchment c on c.area_code = k.area_code
    left join ref_deprivation d on d.area_code = k.area_code
    left join ref_area a on a.area_code = k.area_code
    left join local_quintile lq on lq.area_code = k.area_code
    union all
    select ${NO_AREA}, 'no_area', 'no_area', 'no_area', 'no_area', 'no_area', false, null
    union all
    select ${UNKNOWN_AREA}, 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', false, null`.execute(trx);
  await sql`create unique index on audit_area (area_key)`.execute(trx);

  await sql`
    create temporary table audit_base on commit drop as
    select
      coalesce(r.area_code, case when p.postcode_status = 'no_fixed_address' then ${NO_AREA} else ${UNKNOWN_AREA} end) as area_key,
      ${ageBandCase} as age_band,
      coalesce(nullif(p.sex, 'X'), 'unknown') as sex,
      case when p.ethnicity is null or p.ethnicity = '99' then 'unknown' when p.ethnicity = 'Z' then 'not_stated' else p.ethnicity end as ethnicity,
      case p.disability when true then 'yes' when false then 'no' else 'unknown' end as disability,
      case p.interpreter_needed when true then 'yes' when false then 'no' else 'unknown' end as interpreter,
      coalesce(p.language, 'unknown') as language,
      coalesce(t.pathway_code, 'not_triaged') as pathway,
      r.source as referral_source,
      p.inclusion_groups,
      coalesce(ar.in_catchment, false) as in_catchment,
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
    left join audit_area ar on ar.area_key = r.area_code
    where r.service_id = ${scope.serviceId} and r.received_on between ${scope.from}::date and ${scope.to}::date`.execute(trx);
  // Temporary tables are never analysed automatically; the queries below plan better with statistics.
  await sql`analyze audit_base`.execute(trx);
  await sql`analyze audit_area`.execute(trx);
}

const countMetrics = [
  'referrals',
  'referrals_in_catchment',
  'triaged',
  'p1',
  'p2',
  'p3',
  'p4',
  'accept',
  'advice_discharge',
  'redirect',
  'return_to_referrer',
  'episodes',
  'seen',
  'still_waiting',
  'attended',
  'did_not_attend',
  'discharged',
  ...codes.dischargeOutcome.values.map((code) => `out_${code}`),
] as const;

/** The counts of one referral row, aggregated over a group. */
const metricsOverBase = sql.raw(
  [
    'count(*) as referrals',
    'count(*) filter (where in_catchment) as referrals_in_catchment',
    'count(*) filter (where triaged) as triaged',
    ...(['P1', 'P2', 'P3', 'P4'] as const).map((p) => `count(*) filter (where priority = '${p}') as ${p.toLowerCase()}`),
    ...codes.triageOutcome.values.map((o) => `count(*) filter (where triage_outcome = '${o}') as ${o}`),
    'count(*) filter (where accepted) as episodes',
    'count(*) filter (where seen) as seen',
    'count(*) filter (where still_waiting) as still_waiting',
    'coalesce(sum(attended), 0) as attended',
    'coalesce(sum(did_not_attend), 0) as did_not_attend',
    'count(*) filter (where discharged) as discharged',
    ...codes.dischargeOutcome.values.map((code) => `count(*) filter (where discharged and discharge_outcomes @> array['${code}']) as "out_${code}"`),
  ].join(',\n'),
);

/** The same counts summed over cells of a cube. */
const metricsOverCells = sql.raw(countMetrics.map((metric) => `sum("${metric}") as "${metric}"`).join(', '));

export interface CountRow {
  dimension: DimensionKey | 'total';
  group: string;
  /** Set for the area x age band cells used for standardisation. */
  ageBand: string | null;
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

/** The columns a row of a grouping-sets query was grouped by: grouping() sets a bit per column aggregated away. */
function presentColumns<T extends string>(row: Record<string, unknown>, columns: readonly T[]): T[] {
  const bits = Number(row.gid);
  const n = columns.length;
  return columns.filter((_, i) => (bits & (1 << (n - 1 - i))) === 0);
}

const cubeColumns = ['area_key', 'age_band', 'sex', 'disability', 'interpreter', 'pathway', 'ethnicity', 'language', 'referral_source', 'inclusion_groups'] as const;

/**
 * Counts per group of every breakdown (inclusion groups included), and per area group x age band
 * for standardisation: one pass over the referrals into four cubes, then roll-ups of the cubes.
 */
export async function countsByGroup(trx: Transaction<Schema>): Promise<CountRow[]> {
  await sql`
    create temporary table audit_cells on commit drop as
    select grouping(${sql.raw(cubeColumns.join(', '))}) as gid, ${sql.raw(cubeColumns.join(', '))}, ${metricsOverBase}
    from audit_base
    group by grouping sets (
      (area_key, age_band),
      (sex, disability, interpreter, pathway),
      (ethnicity, language, referral_source),
      (inclusion_groups)
    )`.execute(trx);

  const areaColumns = [...areaDimensions, 'age_band'] as const;
  const areaSets = ['()', '(age_band)', ...areaDimensions.map((d) => `(${d})`), ...areaDimensions.map((d) => `(${d}, age_band)`)];
  const cellMetrics = sql.raw(countMetrics.map((metric) => `c."${metric}"`).join(', '));
  const { rows: areaRows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(areaColumns.join(', '))}) as gid, ${sql.raw(areaColumns.join(', '))}, ${metricsOverCells}
    from (
      select a.imd_quintile, a.imd_decile, a.local_quintile, a.icb, a.local_authority, c.age_band, ${cellMetrics}
      from audit_cells c join audit_area a on a.area_key = c.area_key
      where c.area_key is not null
    ) cells
    group by grouping sets (${sql.raw(areaSets.join(', '))})`.execute(trx);

  const personColumns = ['sex', 'disability', 'interpreter', 'pathway'] as const;
  const { rows: personRows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(personColumns.join(', '))}) as gid, ${sql.raw(personColumns.join(', '))}, ${metricsOverCells}
    from audit_cells where sex is not null and pathway is not null
    group by grouping sets ((sex), (disability), (interpreter), (pathway))`.execute(trx);

  const originColumns = ['ethnicity', 'ethnic_group', 'language', 'referral_source'] as const;
  const { rows: originRows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(originColumns.join(', '))}) as gid, ${sql.raw(originColumns.join(', '))}, ${metricsOverCells}
    from (select *, ${sql.raw(broadGroupOf('ethnicity'))} as ethnic_group from audit_cells where ethnicity is not null and referral_source is not null) cells
    group by grouping sets ((ethnicity), (ethnic_group), (language), (referral_source))`.execute(trx);

  const { rows: inclusionRows } = await sql<Record<string, unknown>>`
    select g.inclusion_group, ${metricsOverCells}
    from audit_cells
    cross join lateral unnest(case when cardinality(inclusion_groups) = 0 then array['none'] else inclusion_groups end) as g(inclusion_group)
    where inclusion_groups is not null
    group by g.inclusion_group`.execute(trx);

  const withCounts = (row: Record<string, unknown>, where: { dimension: DimensionKey | 'total'; group: string; ageBand: string | null }): CountRow => {
    const counts = Object.fromEntries(countMetrics.map((metric) => [metric, Number(row[metric] ?? 0)]));
    return { ...(counts as unknown as CountRow), ...where };
  };
  const result: CountRow[] = [];
  for (const row of areaRows) {
    const present = presentColumns(row, areaColumns);
    const area = present.find((c) => c !== 'age_band');
    const ageBand = present.includes('age_band') ? String(row.age_band) : null;
    if (!area) {
      result.push(withCounts(row, ageBand ? { dimension: 'age_band', group: ageBand, ageBand: null } : { dimension: 'total', group: 'all', ageBand: null }));
    } else {
      result.push(withCounts(row, { dimension: area, group: String(row[area]), ageBand }));
    }
  }
  for (const row of personRows) {
    const [dimension] = presentColumns(row, personColumns);
    result.push(withCounts(row, { dimension: dimension!, group: String(row[dimension!]), ageBand: null }));
  }
  for (const row of originRows) {
    const [dimension] = presentColumns(row, originColumns);
    result.push(withCounts(row, { dimension: dimension!, group: String(row[dimension!]), ageBand: null }));
  }
  for (const row of inclusionRows) {
    result.push(withCounts(row, { dimension: 'inclusion_group', group: String(row.inclusion_group), ageBand: null }));
  }
  return result;
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

/** Every breakdown's column, as an expression over `audit_base` joined to `audit_area` (alias a). */
const breakdownExpressions: Record<ScalarDimension, string> = {
  imd_quintile: 'a.imd_quintile',
  imd_decile: 'a.imd_decile',
  local_quintile: 'a.local_quintile',
  icb: 'a.icb',
  local_authority: 'a.local_authority',
  age_band: 'b.age_band',
  sex: 'b.sex',
  ethnic_group: broadGroupOf('b.ethnicity'),
  ethnicity: 'b.ethnicity',
  disability: 'b.disability',
  interpreter: 'b.interpreter',
  language: 'b.language',
  pathway: 'b.pathway',
  referral_source: 'b.referral_source',
};

/** `select` list naming every breakdown, and the matching grouping sets with extra columns. */
function breakdowns(extra: string[]) {
  const columns = scalarDimensions.map((d) => `${breakdownExpressions[d]} as ${d}`).join(', ');
  const sets = ['()', ...scalarDimensions.map((d) => `(${d})`)].map((set) => (set === '()' ? `(${extra.join(', ')})` : `(${set.slice(1, -1)}, ${extra.join(', ')})`));
  return { columns: sql.raw(columns), sets: sql.raw(`grouping sets (${sets.join(', ')})`), gid: sql.raw(`grouping(${scalarDimensions.join(', ')})`) };
}

function breakdownOf(row: Record<string, unknown>): { dimension: DimensionKey | 'total'; group: string } {
  const [dimension] = presentColumns(row, scalarDimensions);
  return dimension ? { dimension, group: String(row[dimension]) } : { dimension: 'total', group: 'all' };
}

/** The waiting-time distribution per group: counts by day waited, events and censored apart. */
export async function waitDistribution(trx: Transaction<Schema>): Promise<WaitRow[]> {
  const { columns, sets, gid } = breakdowns(['wait_days']);
  const { rows } = await sql<Record<string, unknown>>`
    select ${gid} as gid, ${sql.raw(scalarDimensions.join(', '))}, wait_days, count(*) filter (where seen) as seen, count(*) filter (where not seen) as censored
    from (select ${columns}, b.wait_days, b.seen from audit_base b join audit_area a on a.area_key = b.area_key where b.accepted) waits
    group by ${sets}`.execute(trx);
  const { rows: inclusion } = await sql<Record<string, unknown>>`
    select g.inclusion_group, wait_days, count(*) filter (where seen) as seen, count(*) filter (where not seen) as censored
    from audit_base b
    cross join lateral unnest(case when cardinality(b.inclusion_groups) = 0 then array['none'] else b.inclusion_groups end) as g(inclusion_group)
    where accepted
    group by g.inclusion_group, wait_days`.execute(trx);
  const toRow = (row: Record<string, unknown>, where: { dimension: DimensionKey | 'total'; group: string }): WaitRow => ({
    ...where,
    days: Number(row.wait_days),
    seen: Number(row.seen),
    censored: Number(row.censored),
  });
  return [
    ...rows.map((row) => toRow(row, breakdownOf(row))),
    ...inclusion.map((row) => toRow(row, { dimension: 'inclusion_group', group: String(row.inclusion_group) })),
  ];
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

/** PROM change (discharge minus baseline) per group and instrument: sums for means and intervals. */
export async function promChange(trx: Transaction<Schema>, scope: AuditScope): Promise<PromRow[]> {
  const threshold = sql.raw(
    `case o.instrument ${Object.entries(meaningfulChange).map(([instrument, { change }]) => `when '${instrument}' then ${change}`).join(' ')} end`,
  );
  await sql`
    create temporary table audit_prom on commit drop as
    select b.episode_id, o.instrument, o.final - o.baseline as change, (o.final - o.baseline) >= ${threshold} as improved
    from audit_base b
    join (
      select episode_id, instrument,
        max(score) filter (where timepoint = 'baseline') as baseline,
        max(score) filter (where timepoint = 'discharge') as final
      from outcome_response
      where recorded_on <= ${scope.asOf}::date
      group by episode_id, instrument
    ) o on o.episode_id = b.episode_id
    where o.baseline is not null and o.final is not null`.execute(trx);
  const { columns, sets, gid } = breakdowns(['instrument']);
  const measures = sql`count(*) as pairs, sum(change) as sum_change, sum(change * change) as sum_sq, count(*) filter (where improved) as improved`;
  const { rows } = await sql<Record<string, unknown>>`
    select ${gid} as gid, ${sql.raw(scalarDimensions.join(', '))}, instrument, ${measures}
    from (
      select ${columns}, pr.instrument, pr.change, pr.improved
      from audit_prom pr join audit_base b on b.episode_id = pr.episode_id join audit_area a on a.area_key = b.area_key
    ) proms
    group by ${sets}`.execute(trx);
  const { rows: inclusion } = await sql<Record<string, unknown>>`
    select g.inclusion_group, pr.instrument, ${measures}
    from audit_prom pr
    join audit_base b on b.episode_id = pr.episode_id
    cross join lateral unnest(case when cardinality(b.inclusion_groups) = 0 then array['none'] else b.inclusion_groups end) as g(inclusion_group)
    group by g.inclusion_group, pr.instrument`.execute(trx);
  const toRow = (row: Record<string, unknown>, where: { dimension: DimensionKey | 'total'; group: string }): PromRow => ({
    ...where,
    instrument: row.instrument as codes.OutcomeInstrument,
    pairs: Number(row.pairs),
    sumChange: Number(row.sum_change),
    sumSquaredChange: Number(row.sum_sq),
    improved: Number(row.improved),
  });
  return [
    ...rows.map((row) => toRow(row, breakdownOf(row))),
    ...inclusion.map((row) => toRow(row, { dimension: 'inclusion_group', group: String(row.inclusion_group) })),
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
 * local authority) and for the whole catchment, in total and by age band.
 *
 * Totals are the mid-2019 small-area estimates (ONS, NRS, NISRA: the denominators the deprivation
 * indices' users publish against). Age structure comes from Census 2021 apportioned to LSOA 2011
 * (source 'census2021_lsoa11'): each area's total is shared across the six bands in the census
 * proportions, so totals and bands agree and rates and standardised rates share one denominator.
 * An area without census bands (Scotland, Northern Ireland) contributes its total only; an area
 * without a mid-2019 total uses its census count.
 */
export async function catchmentPopulation(trx: Transaction<Schema>): Promise<PopulationRow[]> {
  const columns = [...areaDimensions, 'age_band'] as const;
  const sets = ['()', '(age_band)', ...areaDimensions.map((d) => `(${d})`), ...areaDimensions.map((d) => `(${d}, age_band)`)];
  const { rows } = await sql<Record<string, unknown>>`
    with census as (
      select p.area_code, p.age_band, p.population, c.population as total,
        sum(p.population) over (partition by p.area_code) as census_total
      from ref_population p join audit_catchment c on c.area_code = p.area_code
      where p.source = 'census2021_lsoa11'
    ),
    bands as (
      select area_code, age_band,
        case when total > 0 and census_total > 0 then population::double precision * total / census_total else population end as population
      from census
    ),
    cells as (
      -- One row per area and age band where bands exist; one total row per area otherwise.
      select a.*, b.age_band, b.population as people from audit_area a join bands b on b.area_code = a.area_key
      union all
      select a.*, null as age_band, a.population as people from audit_area a
      where a.in_catchment and not exists (select 1 from bands b where b.area_code = a.area_key)
    )
    select grouping(${sql.raw(columns.join(', '))}) as gid, ${sql.raw(columns.join(', '))}, round(sum(people))::bigint as population
    from cells
    group by grouping sets (${sql.raw(sets.join(', '))})`.execute(trx);
  return rows.flatMap((row): PopulationRow[] => {
    const present = presentColumns(row, columns);
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

/** Names of the ICBs and local authorities that appear, for labels. */
export async function geographyNames(db: Kysely<Schema>, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('ref_geography').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((row) => [row.code, row.name]));
}
