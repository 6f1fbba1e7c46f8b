import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { to as copyTo } from 'pg-copy-streams';
import { auditAggregates } from '../src/equity/audit/audit.engine.ts';
import { catchmentOf, countsByGroup, promChange, waitDistribution } from '../src/equity/audit/audit.queries.ts';
import { readConsistently } from '../src/equity/audit/consistent-read.ts';
import { runEquityAudit } from '../src/equity/audit/audit.service.ts';
import { dischargeOutcome } from '../src/domain/codes.ts';
import type { Store } from '../src/store/database.ts';
import { auditDataset, benchDir, type BenchEngine } from './datasets.ts';
import { timed, type BenchResult } from './lib.ts';

const period = { from: '2025-04-01', to: '2026-03-31' };

/**
 * The full equity audit of a million synthetic referrals on each engine, and the same
 * aggregation (counts, waits and PROM change by every breakdown, from the same fact rows) in
 * DuckDB, an in-process columnar engine built for exactly this, as the reference ratio.
 */
export async function auditBench(people = Number(process.env.ROOTS_BENCH_AUDIT_PEOPLE ?? 1_000_000)): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let duckSeconds: number | null = null;
  for (const engine of ['postgresql', 'pglite'] as BenchEngine[]) {
    const { store, serviceId } = await auditDataset(engine, people);
    try {
      const parallel = engine === 'postgresql';
      const request = { serviceId, ...period };
      await auditAggregates(store.db, request, { parallel }); // warm: facts up to date, caches filled
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push((await timed(() => auditAggregates(store.db, request, { parallel }))).seconds);
      const full = await timed(() => runEquityAudit(store.db, request, { parallel }));
      const referrals = full.result.total.counts.referrals ?? 0;
      const same = await sameAggregationSeconds(store, serviceId, parallel);
      if (duckSeconds === null && engine === 'postgresql') duckSeconds = await duckDbSeconds(store, serviceId);
      const sorted = [...runs].sort((a, b) => a - b);
      results.push({
        suite: 'audit',
        case: `full equity audit, ${referrals.toLocaleString('en-GB')} referrals (aggregates in SQL)`,
        engine,
        value: sorted[1]!,
        unit: 's',
        note: `median of 3 (fastest ${sorted[0]!.toFixed(2)} s); with disclosure control and findings ${full.seconds.toFixed(2)} s; target ${engine === 'postgresql' ? '2' : '6'} s`,
      });
      results.push({
        suite: 'audit',
        case: 'same aggregation: counts, waits and PROM change by every breakdown, from the referral facts',
        engine,
        value: same,
        unit: 's',
        ...(duckSeconds !== null ? { peer: { name: 'DuckDB (same rows, same cubes)', value: duckSeconds } } : {}),
        ratioMeaning: 'Roots / DuckDB',
      });
    } finally {
      await store.close();
    }
  }
  return results;
}

async function sameAggregationSeconds(store: Store, serviceId: number, parallel: boolean): Promise<number> {
  const scope = { serviceId, ...period, asOf: period.to };
  const catchment = await catchmentOf(store.db, { kind: 'nation', code: 'E' });
  const { seconds } = await timed(() =>
    readConsistently(store.db, parallel, (reader) => ({
      counts: reader((db) => countsByGroup(db, scope, catchment)),
      waits: reader((db) => waitDistribution(db, scope, catchment)),
      proms: reader((db) => promChange(db, scope, catchment)),
    })),
  );
  return seconds;
}

/** Copies the service's facts out of PostgreSQL and times DuckDB on the same three aggregations. */
async function duckDbSeconds(store: Store, serviceId: number): Promise<number> {
  mkdirSync(benchDir, { recursive: true });
  const files = { referral: join(benchDir, 'duck-referral-fact.csv'), outcome: join(benchDir, 'duck-outcome-fact.csv') };
  const client = await store.pool!.connect();
  try {
    for (const [table, file] of [['referral_fact', files.referral], ['outcome_fact', files.outcome]] as const) {
      const query = `copy (select * from ${table} where service_id = ${Number(serviceId)} and received_on between '${period.from}' and '${period.to}') to stdout with (format csv, header true)`;
      await pipeline(client.query(copyTo(query)), createWriteStream(file));
    }
  } finally {
    client.release();
  }
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  await duck.run(`create table referral_fact as select * from read_csv('${files.referral}', header = true)`);
  await duck.run(`create table outcome_fact as select * from read_csv('${files.outcome}', header = true)`);
  const asOf = `date '${period.to}'`;
  const flags = [
    `count(*) filter (where nation = 'E') as in_catchment`,
    `count(*) filter (where triage_outcome is not null) as triaged`,
    ...['P1', 'P2', 'P3', 'P4'].map((p) => `count(*) filter (where priority = '${p}') as ${p}`),
    ...['accept', 'advice_discharge', 'redirect', 'return_to_referrer'].map((o) => `count(*) filter (where triage_outcome = '${o}') as ${o}`),
    `count(*) filter (where episode_id is not null and clock_started_on <= ${asOf}) as episodes`,
    `count(*) filter (where first_contact_on <= ${asOf}) as seen`,
    `count(*) filter (where episode_id is not null and clock_started_on <= ${asOf} and (first_contact_on is null or first_contact_on > ${asOf}) and (clock_stopped_on is null or clock_stopped_on > ${asOf})) as still_waiting`,
    `count(*) filter (where discharged_on <= ${asOf}) as discharged`,
    ...dischargeOutcome.values.map((code) => `count(*) filter (where discharged_on <= ${asOf} and contains(discharge_outcomes, '${code}')) as out_${code}`),
  ].join(', ');
  const { localFifthEnds } = await catchmentOf(store.db, { kind: 'nation', code: 'E' });
  const localQuintile = `case when imd_rank is null then 'unknown' ${localFifthEnds.map((end, i) => `when imd_rank <= ${end} then '${i + 1}'`).join(' ')} else '5' end`;
  const columns = `imd_quintile, imd_decile, ${localQuintile} as local_quintile, icb, local_authority, age_band, sex, disability, interpreter, pathway, referral_source, ethnicity, ethnic_group, language, inclusion_groups`;
  const counted = 'nation, triage_outcome, priority, episode_id, clock_started_on, first_contact_on, clock_stopped_on, discharged_on, discharge_outcomes, attended, did_not_attend';
  const counts = `select count(*), sum(attended), sum(did_not_attend), ${flags} from (select ${columns}, ${counted} from referral_fact)
    group by grouping sets ((imd_quintile, imd_decile, local_quintile, age_band), (icb, local_authority, age_band), (sex, disability, interpreter, pathway), (ethnicity, ethnic_group, language, referral_source), (inclusion_groups))`;
  const waits = `select count(*) filter (where seen), count(*) filter (where not seen) from (
      select ${columns}, greatest(0, (least(coalesce(first_contact_on, clock_stopped_on, ${asOf}), ${asOf}) - clock_started_on) - paused_days) // 7 as wait_weeks,
        coalesce(first_contact_on <= ${asOf}, false) as seen
      from referral_fact where episode_id is not null and clock_started_on <= ${asOf})
    group by grouping sets ((imd_quintile, imd_decile, local_quintile, wait_weeks), (icb, local_authority, wait_weeks), (age_band, sex, disability, interpreter, wait_weeks), (pathway, referral_source, wait_weeks), (ethnicity, ethnic_group, language, wait_weeks), (inclusion_groups, wait_weeks))`;
  const proms = `select count(*), sum(final - baseline), sum((final - baseline) * (final - baseline)), count(*) filter (where final - baseline >= 3) from (
      select ${columns}, instrument, final, baseline from outcome_fact where baseline is not null and final is not null and final_on <= ${asOf})
    group by grouping sets ((imd_quintile, imd_decile, local_quintile, instrument), (icb, local_authority, instrument), (age_band, sex, disability, interpreter, instrument), (pathway, referral_source, instrument), (ethnicity, ethnic_group, language, instrument), (inclusion_groups, instrument))`;
  for (const query of [counts, waits, proms]) await duck.runAndReadAll(query); // warm
  const { seconds } = await timed(async () => {
    for (const query of [counts, waits, proms]) await duck.runAndReadAll(query);
  });
  duck.closeSync();
  return seconds;
}
