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
 * 1. Referral facts (migration 0002): one narrow row per referral with every breakdown already
 *    worked out, kept up to date by triggers and `roots_refresh_referral_facts()`, so an audit
 *    never joins referral, person, triage, episode and discharge.
 * 2. The catchment (local authority, ICB or nation) and its local deprivation fifths are worked
 *    out first from the reference data (`catchmentOf`): membership is a test on the fact's own
 *    area columns and a local fifth is a range of national ranks, so no query joins anything.
 * 3. Counts: one pass over the facts aggregates five small cubes at once (GROUPING SETS) - area
 *    deprivation x age band; ICB x local authority x age band; sex x disability x interpreter x
 *    pathway; ethnicity x language x source; inclusion-group combination. The cubes (a few
 *    thousand cells) are rolled up into each breakdown in `rollUpCounts`.
 * 4. Waits (by completed week, seen or censored) and PROM change per breakdown, from the facts,
 *    in the same cubes.
 * The queries are independent reads, so on PostgreSQL they run at once on separate connections
 * sharing one snapshot (see audit.engine.ts).
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

/**
 * The catchment as the queries use it: a test of membership on a fact row `f` (or a reference
 * area `a`), and the national ranks at which each local deprivation fifth ends.
 */
export interface CatchmentSql {
  catchment: Catchment;
  /** Highest national rank in local fifths 1..4 (fifth 5 holds the rest); empty with no ranked areas. */
  localFifthEnds: number[];
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Whether a fact row `f` lives in the catchment, as SQL. */
function inCatchment(catchment: Catchment): string {
  switch (catchment.kind) {
    case 'local_authority':
      return `f.local_authority = ${literal(catchment.code)}`;
    case 'icb':
      return `f.icb = ${literal(catchment.code)}`;
    case 'nation':
      return `f.nation = ${literal(catchment.code)}`;
  }
}

function refAreaInCatchment(catchment: Catchment): RawBuilder<unknown> {
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
 * Local deprivation fifths: the catchment's areas ordered by national rank and cut into fifths of
 * the catchment population (by each area's population mid-point), so each local fifth holds about
 * a fifth of the residents. Returned as the last national rank of fifths 1 to 4.
 */
export async function catchmentOf(db: Kysely<Schema>, catchment: Catchment): Promise<CatchmentSql> {
  const { rows } = await sql<{ quintile: number; last_rank: number }>`
    with areas as (
      select d.rank, coalesce(total.population, 0) as population, a.area_code
      from ref_area a
      join ref_deprivation d on d.area_code = a.area_code
      left join ref_population total on total.source = 'mid2019' and total.age_band = 'all' and total.area_code = a.area_code
      where a.area_kind in ('lsoa11', 'datazone11', 'soa01') and ${refAreaInCatchment(catchment)}
    ),
    fifths as (
      select rank,
        least(5, 1 + floor(5 * (sum(population) over (order by rank, area_code) - population / 2.0)
          / nullif(sum(population) over (), 0)))::integer as quintile
      from areas
    )
    select quintile, max(rank) as last_rank from fifths where quintile is not null group by quintile order by quintile`.execute(db);
  const ends: number[] = [];
  for (let fifth = 1; fifth <= 4; fifth++) {
    // A fifth with no area of its own (a tiny catchment) ends where the one before it ended.
    ends.push(Number(rows.find((row) => Number(row.quintile) === fifth)?.last_rank ?? ends.at(-1) ?? 0));
  }
  return { catchment, localFifthEnds: rows.length === 0 ? [] : ends };
}

/** The local deprivation fifth of a fact row `f`, or why it has none. */
function localQuintile({ catchment, localFifthEnds }: CatchmentSql): RawBuilder<unknown> {
  const fifths =
    localFifthEnds.length === 0
      ? sql.raw(`'unknown'`)
      : sql.raw(
          `case when f.imd_rank is null then 'unknown' ${localFifthEnds.map((end, i) => `when f.imd_rank <= ${Math.trunc(end)} then '${i + 1}'`).join(' ')} else '5' end`,
        );
  return sql`case
    when f.area_key = '~no_area' then 'no_area'
    when f.area_key = '~unknown' then 'unknown'
    when ${sql.raw(inCatchment(catchment))} then ${fifths}
    else 'outside_catchment' end`;
}

/**
 * Brings the referral facts up to date (triggers mark what changed since the last refresh).
 * Returns how many were rebuilt; zero when nothing changed.
 */
export async function refreshReferralFacts(db: Kysely<Schema> | Transaction<Schema>): Promise<number> {
  const { rows } = await sql<{ rebuilt: number }>`select roots_refresh_referral_facts() as rebuilt`.execute(db);
  return Number(rows[0]?.rebuilt ?? 0);
}

/** The referrals in scope: the service's, received in the period. */
function inScope(scope: AuditScope): RawBuilder<unknown> {
  return sql`f.service_id = ${scope.serviceId} and f.received_on between ${scope.from}::date and ${scope.to}::date`;
}

/** Every breakdown's column, from the fact row `f` alone. */
function breakdownColumns(catchment: CatchmentSql): RawBuilder<unknown> {
  return sql`f.imd_quintile, f.imd_decile, ${localQuintile(catchment)} as local_quintile, f.icb, f.local_authority,
    f.age_band, f.sex, f.disability, f.interpreter, f.pathway, f.referral_source, f.ethnicity, f.ethnic_group, f.language, f.inclusion_groups`;
}

/** The yes/no counts kept per group. */
const flagMetrics = [
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
  'discharged',
  ...codes.dischargeOutcome.values.map((code) => `out_${code}` as const),
] as const;
type FlagMetric = (typeof flagMetrics)[number];

/** Each flag as a condition on one fact row `f`. */
function flagConditions(asOf: string, catchmentTest: string): Record<FlagMetric, string> {
  const day = `date '${asOf}'`;
  const accepted = `(f.episode_id is not null and f.clock_started_on <= ${day})`;
  const discharged = `(f.discharged_on is not null and f.discharged_on <= ${day})`;
  return {
    referrals_in_catchment: catchmentTest,
    triaged: 'f.triage_outcome is not null',
    p1: "f.priority = 'P1'",
    p2: "f.priority = 'P2'",
    p3: "f.priority = 'P3'",
    p4: "f.priority = 'P4'",
    accept: "f.triage_outcome = 'accept'",
    advice_discharge: "f.triage_outcome = 'advice_discharge'",
    redirect: "f.triage_outcome = 'redirect'",
    return_to_referrer: "f.triage_outcome = 'return_to_referrer'",
    episodes: accepted,
    seen: `(f.first_contact_on is not null and f.first_contact_on <= ${day})`,
    still_waiting: `(${accepted} and (f.first_contact_on is null or f.first_contact_on > ${day}) and (f.clock_stopped_on is null or f.clock_stopped_on > ${day}))`,
    discharged,
    ...(Object.fromEntries(
      codes.dischargeOutcome.values.map((code) => [`out_${code}`, `(${discharged} and f.discharge_outcomes @> array['${code}'])`]),
    ) as Record<`out_${codes.DischargeOutcome}`, string>),
  };
}

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

/** The cubes of the counting pass: each a set of breakdowns counted together. */
const cubes = {
  deprivation: ['imd_quintile', 'imd_decile', 'local_quintile', 'age_band'],
  geography: ['icb', 'local_authority', 'age_band'],
  person: ['sex', 'disability', 'interpreter', 'pathway'],
  origin: ['ethnicity', 'ethnic_group', 'language', 'referral_source'],
  inclusion: ['inclusion_groups'],
} as const;
const cubeColumns = [...new Set(Object.values(cubes).flat())];

/**
 * Counts per group of every breakdown (inclusion groups included), and per area group x age band
 * for standardisation: one pass over the facts into five cubes, then roll-ups of the cubes.
 */
/**
 * Counts per group of every breakdown (inclusion groups included), and per area group x age band
 * for standardisation: one pass over the facts into five small cubes (GROUPING SETS), rolled up
 * per breakdown in Node.
 */
export async function countsByGroup(db: Kysely<Schema>, scope: AuditScope, catchment: CatchmentSql): Promise<CountRow[]> {
  const sets = Object.values(cubes).map((columns) => `(${columns.join(', ')})`).join(', ');
  const conditions = flagConditions(scope.asOf, inCatchment(catchment.catchment));
  const counted = flagMetrics.map((flag) => `count(*) filter (where ${conditions[flag]}) as "${flag}"`).join(', ');
  const { rows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(cubeColumns.join(', '))}) as gid, ${sql.raw(cubeColumns.join(', '))},
      count(*) as referrals, sum(f.attended) as attended, sum(f.did_not_attend) as did_not_attend, ${sql.raw(counted)}
    from (
      select ${breakdownColumns(catchment)}, f.nation, f.triage_outcome, f.priority, f.episode_id, f.clock_started_on, f.first_contact_on,
        f.clock_stopped_on, f.discharged_on, f.discharge_outcomes, f.attended, f.did_not_attend
      from referral_fact f where ${inScope(scope)}
    ) f
    group by grouping sets (${sql.raw(sets)})`.execute(db);
  return rollUpCounts(rows);
}

type Counts = Omit<CountRow, 'dimension' | 'group' | 'ageBand'>;
const countKeys = ['referrals', 'attended', 'did_not_attend', ...flagMetrics] as const;

/** Adds each cube cell into every breakdown group it belongs to. */
function rollUpCounts(rows: Record<string, unknown>[]): CountRow[] {
  const groups = new Map<string, CountRow>();
  const add = (dimension: DimensionKey | 'total', group: string, ageBand: string | null, counts: Counts) => {
    const key = `${dimension}|${group}|${ageBand ?? ''}`;
    let row = groups.get(key);
    if (!row) {
      row = { dimension, group, ageBand, ...(Object.fromEntries(countKeys.map((k) => [k, 0])) as Counts) } as CountRow;
      groups.set(key, row);
    }
    for (const k of countKeys) (row as unknown as Record<string, number>)[k]! += (counts as unknown as Record<string, number>)[k]!;
  };
  for (const row of rows) {
    const present = presentColumns(row, cubeColumns);
    const counts = {
      referrals: Number(row.referrals),
      attended: Number(row.attended ?? 0),
      did_not_attend: Number(row.did_not_attend ?? 0),
      ...Object.fromEntries(flagMetrics.map((flag) => [flag, Number(row[flag] ?? 0)])),
    } as Counts;
    const value = (column: string) => String(row[column]);
    if (present.includes('imd_decile')) {
      const age = value('age_band');
      for (const dimension of ['imd_quintile', 'imd_decile', 'local_quintile'] as const) {
        add(dimension, value(dimension), null, counts);
        add(dimension, value(dimension), age, counts);
      }
      add('age_band', age, null, counts);
      add('total', 'all', null, counts);
    } else if (present.includes('local_authority')) {
      const age = value('age_band');
      for (const dimension of ['icb', 'local_authority'] as const) {
        add(dimension, value(dimension), null, counts);
        add(dimension, value(dimension), age, counts);
      }
    } else if (present.includes('sex')) {
      for (const dimension of cubes.person) add(dimension, value(dimension), null, counts);
    } else if (present.includes('ethnicity')) {
      for (const dimension of cubes.origin) add(dimension as DimensionKey, value(dimension), null, counts);
    } else if (present.includes('inclusion_groups')) {
      const members = (row.inclusion_groups as string[] | null) ?? [];
      for (const member of members.length === 0 ? ['none'] : members) add('inclusion_group', member, null, counts);
    }
  }
  return [...groups.values()];
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

/**
 * Cubes for waits and PROMs: every breakdown sits in exactly one cube (the deprivation cube also
 * gives the total), so one pass over the facts feeds every breakdown and the cells are summed up
 * per breakdown in Node. Cells stay few because each cube's columns have few values together.
 */
const breakdownCubes: Record<string, readonly (ScalarDimension | 'inclusion_groups')[]> = {
  deprivation: ['imd_quintile', 'imd_decile', 'local_quintile'],
  geography: ['icb', 'local_authority'],
  person: ['age_band', 'sex', 'disability', 'interpreter'],
  referral: ['pathway', 'referral_source'],
  origin: ['ethnicity', 'ethnic_group', 'language'],
  inclusion: ['inclusion_groups'],
};
const breakdownCubeColumns = [...new Set(Object.values(breakdownCubes).flat())];

function cubeSets(extra: string[]): RawBuilder<unknown> {
  return sql.raw(`grouping sets (${Object.values(breakdownCubes).map((columns) => `(${[...columns, ...extra].join(', ')})`).join(', ')})`);
}

/** The breakdown groups one cube cell belongs to (the total included, once). */
function groupsOfCell(row: Record<string, unknown>): { dimension: DimensionKey | 'total'; group: string }[] {
  const present = presentColumns(row, breakdownCubeColumns);
  if (present.includes('inclusion_groups')) {
    const members = (row.inclusion_groups as string[] | null) ?? [];
    return (members.length === 0 ? ['none'] : members).map((group) => ({ dimension: 'inclusion_group' as const, group }));
  }
  const groups: { dimension: DimensionKey | 'total'; group: string }[] = present.map((column) => ({
    dimension: column as DimensionKey,
    group: String(row[column]),
  }));
  if (present.includes('imd_decile')) groups.push({ dimension: 'total', group: 'all' });
  return groups;
}

/**
 * The waiting-time distribution per group, by completed week waited (the NHS referral-to-treatment
 * convention: a person waiting 18 weeks and 3 days has waited 18 weeks), with people seen
 * (events) and people still waiting or who left unseen (censored) apart. Each week is reported at
 * its mid-point in days (7w + 3), so "more than 6 weeks" (42 days) counts 6 completed weeks or more.
 */
export async function waitDistribution(db: Kysely<Schema>, scope: AuditScope, catchment: CatchmentSql): Promise<WaitRow[]> {
  const day = sql.raw(`date '${scope.asOf}'`);
  // Days waited to first contact, or to the as-of date (censored) for people still waiting, or to
  // leaving the list unseen (censored), less the days the clock was paused.
  const { rows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(breakdownCubeColumns.join(', '))}) as gid, ${sql.raw(breakdownCubeColumns.join(', '))}, wait_weeks,
      count(*) filter (where seen) as seen, count(*) filter (where not seen) as censored
    from (
      select ${breakdownColumns(catchment)},
        greatest(0, (least(coalesce(f.first_contact_on, f.clock_stopped_on, ${day}), ${day}) - f.clock_started_on) - f.paused_days) / 7 as wait_weeks,
        (f.first_contact_on is not null and f.first_contact_on <= ${day}) as seen
      from referral_fact f
      where ${inScope(scope)} and f.episode_id is not null and f.clock_started_on <= ${day}
    ) waits
    group by ${cubeSets(['wait_weeks'])}`.execute(db);
  const totals = new Map<string, WaitRow>();
  for (const row of rows) {
    const days = Number(row.wait_weeks) * 7 + 3;
    for (const { dimension, group } of groupsOfCell(row)) {
      const key = `${dimension}|${group}|${days}`;
      const entry = totals.get(key) ?? { dimension, group, days, seen: 0, censored: 0 };
      entry.seen += Number(row.seen);
      entry.censored += Number(row.censored);
      totals.set(key, entry);
    }
  }
  return [...totals.values()];
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
export async function promChange(db: Kysely<Schema>, scope: AuditScope, catchment: CatchmentSql): Promise<PromRow[]> {
  const threshold = sql.raw(
    `case f.instrument ${Object.entries(meaningfulChange).map(([instrument, { change }]) => `when '${instrument}' then ${change}`).join(' ')} end`,
  );
  const { rows } = await sql<Record<string, unknown>>`
    select grouping(${sql.raw(breakdownCubeColumns.join(', '))}) as gid, ${sql.raw(breakdownCubeColumns.join(', '))}, instrument,
      count(*) as pairs, sum(change) as sum_change, sum(change * change) as sum_sq, count(*) filter (where improved) as improved
    from (
      select ${breakdownColumns(catchment)}, f.instrument, f.final - f.baseline as change, (f.final - f.baseline) >= ${threshold} as improved
      from outcome_fact f
      where ${inScope(scope)} and f.baseline is not null and f.final is not null and f.final_on <= ${scope.asOf}::date
    ) proms
    group by ${cubeSets(['instrument'])}`.execute(db);
  const totals = new Map<string, PromRow>();
  for (const row of rows) {
    const instrument = row.instrument as codes.OutcomeInstrument;
    for (const { dimension, group } of groupsOfCell(row)) {
      const key = `${dimension}|${group}|${instrument}`;
      const entry = totals.get(key) ?? { dimension, group, instrument, pairs: 0, sumChange: 0, sumSquaredChange: 0, improved: 0 };
      entry.pairs += Number(row.pairs);
      entry.sumChange += Number(row.sum_change);
      entry.sumSquaredChange += Number(row.sum_sq);
      entry.improved += Number(row.improved);
      totals.set(key, entry);
    }
  }
  return [...totals.values()];
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
export async function catchmentPopulation(db: Kysely<Schema>, catchment: CatchmentSql): Promise<PopulationRow[]> {
  const columns = [...areaDimensions, 'age_band'] as const;
  const sets = ['()', '(age_band)', ...areaDimensions.map((d) => `(${d})`), ...areaDimensions.map((d) => `(${d}, age_band)`)];
  // The catchment's areas, shaped like facts (alias f) so the local fifth is worked out the same way.
  const { rows } = await sql<Record<string, unknown>>`
    with f as (
      select a.area_code, a.area_code as area_key, coalesce(total.population, 0) as total, d.rank as imd_rank,
        coalesce(d.decile::text, 'unknown') as imd_decile, coalesce(d.quintile::text, 'unknown') as imd_quintile,
        coalesce(a.icb_code, 'unknown') as icb, coalesce(a.local_authority_code, 'unknown') as local_authority, a.nation
      from ref_area a
      left join ref_deprivation d on d.area_code = a.area_code
      left join ref_population total on total.source = 'mid2019' and total.age_band = 'all' and total.area_code = a.area_code
      where a.area_kind in ('lsoa11', 'datazone11', 'soa01') and ${refAreaInCatchment(catchment.catchment)}
    ),
    areas as (
      select f.*, ${localQuintile(catchment)} as local_quintile from f
    ),
    census as (
      select p.area_code, p.age_band, p.population, a.total,
        sum(p.population) over (partition by p.area_code) as census_total
      from ref_population p join areas a on a.area_code = p.area_code
      where p.source = 'census2021_lsoa11'
    ),
    bands as (
      select area_code, age_band,
        case when total > 0 and census_total > 0 then population::double precision * total / census_total else population end as population
      from census
    ),
    cells as (
      -- One row per area and age band where bands exist; one total row per area otherwise.
      select a.*, b.age_band, b.population as people from areas a join bands b on b.area_code = a.area_code
      union all
      select a.*, null as age_band, a.total as people from areas a
      where not exists (select 1 from bands b where b.area_code = a.area_code)
    )
    select grouping(${sql.raw(columns.join(', '))}) as gid, ${sql.raw(columns.join(', '))}, round(sum(people))::bigint as population
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

/** Names of the ICBs and local authorities that appear, for labels. */
export async function geographyNames(db: Kysely<Schema>, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('ref_geography').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((row) => [row.code, row.name]));
}
