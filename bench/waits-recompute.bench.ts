import { createReadStream, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sql, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../src/demo/demo-organisation.ts';
import type { Store } from '../src/store/database.ts';
import type { Schema } from '../src/store/schema.ts';
import { Random } from '../src/synth/random.ts';
import { recomputeWaits, recomputeWaitsQuery, summariseWaits, waitSummaryQuery, type WaitSummary } from '../src/waiting-list/clock-recompute.ts';
import { DEFAULT_CLOCK_RULES, type ClockRuleSet } from '../src/waiting-list/clock-rules.ts';
import { benchDir, existingStore, freshStore, type BenchEngine } from './datasets.ts';
import { timed, type BenchResult } from './lib.ts';

const AS_OF = '2026-03-31';
/** The rule set the service would change to: pause (not restart) on a did-not-attend or cancellation. */
const NEW_RULES: ClockRuleSet = { name: 'pause on did-not-attend or cancellation; pause while unavailable', didNotAttend: 'pause', patientCancelled: 'pause', patientUnavailable: 'pause' };

/**
 * Every wait of a service recomputed under a new clock rule set (issue 9): `episodes` synthetic
 * episodes with realistic clock events (seeded) loaded with COPY, then the one SQL query of
 * `clock-recompute.ts` timed as an aggregate (waiting, median, 92nd percentile, over 18 weeks) and
 * as the full per-episode result delivered to Node, on each engine; the peer is DuckDB running the
 * very same SQL text, with the same parameters, over the same rows.
 */
export async function waitsRecomputeBench(
  episodes = Number(process.env.ROOTS_BENCH_WAITS_EPISODES ?? 1_000_000),
  pgliteEpisodes = Number(process.env.ROOTS_BENCH_WAITS_PGLITE_EPISODES ?? episodes),
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const engine of ['postgresql', 'pglite'] as BenchEngine[]) {
    const n = engine === 'pglite' ? pgliteEpisodes : episodes;
    if (n <= 0) continue;
    const { store, serviceId, files, events } = await waitsDataset(engine, n);
    try {
      const scope = { serviceId };
      await summariseWaits(store.db, scope, NEW_RULES, AS_OF); // warm
      const runs: number[] = [];
      let summary: WaitSummary | null = null;
      for (let i = 0; i < 3; i++) {
        const run = await timed(() => summariseWaits(store.db, scope, NEW_RULES, AS_OF));
        runs.push(run.seconds);
        summary = run.result;
      }
      const old = await summariseWaits(store.db, scope, DEFAULT_CLOCK_RULES, AS_OF);
      const full = await timed(() => recomputeWaits(store.db, scope, NEW_RULES, AS_OF));
      const duck = await duckDb(store.db, files, serviceId);
      const sorted = [...runs].sort((a, b) => a - b);
      const same = JSON.stringify(duck.summary) === JSON.stringify(summary) && duck.rows === full.result.length;
      if (!same) throw new Error(`DuckDB and ${engine} disagree: ${JSON.stringify(duck.summary)} / ${JSON.stringify(summary)}, ${duck.rows} / ${full.result.length} rows`);
      const count = `${n.toLocaleString('en-GB')} episodes, ${events.toLocaleString('en-GB')} clock events`;
      results.push({
        suite: 'waits-recompute',
        case: `every wait under a new rule set, aggregated in SQL (waiting, median, p92, over 18 weeks): ${count}`,
        engine,
        value: sorted[1]!,
        unit: 's',
        peer: { name: 'DuckDB (same SQL, same rows)', value: duck.aggregateSeconds },
        ratioMeaning: 'Roots / DuckDB',
        note: `median of 3 (fastest ${sorted[0]!.toFixed(2)} s); under the new rules ${summary!.waiting} waiting, median ${summary!.medianDays} d, p92 ${summary!.p92Days} d, ${summary!.over18Weeks} over 18 weeks; under the default rules ${old.waiting} waiting, median ${old.medianDays} d, p92 ${old.p92Days} d, ${old.over18Weeks} over 18 weeks; results equal DuckDB's`,
      });
      results.push({
        suite: 'waits-recompute',
        case: `every wait under a new rule set, full per-episode result in Node (${full.result.length.toLocaleString('en-GB')} rows)`,
        engine,
        value: full.seconds,
        unit: 's',
        peer: { name: 'DuckDB (same SQL, rows read into JS)', value: duck.fullSeconds },
        ratioMeaning: 'Roots / DuckDB',
      });
    } finally {
      await store.close();
    }
  }
  return results;
}

interface WaitFiles {
  person: string;
  referral: string;
  episode: string;
  event: string;
}

/**
 * The bench database for `n` episodes in the demo service, built once (COPY, triggers off while
 * loading: the fact tables the triggers keep are not read here) and reused while it holds `n`.
 */
async function waitsDataset(engine: BenchEngine, n: number): Promise<{ store: Store; serviceId: number; files: WaitFiles; events: number }> {
  const name = `roots_bench_waits_${n}`;
  let store = await existingStore(engine, name);
  if (store) {
    const ids = await demoIds(store.db);
    const loaded = ids ? Number((await sql<{ n: string }>`select count(*) as n from episode where service_id = ${ids.serviceId}`.execute(store.db)).rows[0]!.n) : 0;
    if (ids && loaded === n) {
      const files = await writeWaitFiles(n, ids.organisationId, ids.serviceId);
      return { store, serviceId: ids.serviceId, files: files.files, events: files.events };
    }
    await store.close();
  }
  store = await freshStore(engine, name);
  await createDemoOrganisation(store.db, null);
  const ids = (await demoIds(store.db))!;
  const { files, events } = await writeWaitFiles(n, ids.organisationId, ids.serviceId);
  const tables: [keyof WaitFiles, string][] = [
    ['person', 'person (id, organisation_id, source_person_id, postcode_status)'],
    ['referral', 'referral (id, service_id, person_id, source_record_id, received_on, source, status)'],
    ['episode', 'episode (id, referral_id, service_id, pathway_code, priority, clock_started_on, clock_stopped_on, paused_days, first_contact_on)'],
    ['event', 'waiting_clock_event (episode_id, occurred_on, kind, reason)'],
  ];
  const { seconds } = await timed(async () => {
    if (store!.engine === 'postgresql') {
      const client = await store!.pool!.connect();
      try {
        await client.query('set session_replication_role = replica');
        for (const [file, target] of tables) await pipeline(createReadStream(files[file]), client.query(copyFrom(`copy ${target} from stdin with (format csv)`)));
        await client.query('set session_replication_role = origin');
      } finally {
        client.release();
      }
    } else {
      const pglite = store!.pglite!;
      await pglite.query('set session_replication_role = replica');
      for (const [file, target] of tables) await pglite.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob: new Blob([readFileSync(files[file])]) });
      await pglite.query('set session_replication_role = origin');
    }
    for (const table of ['person', 'referral', 'episode']) {
      await sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`).execute(store!.db);
    }
    await sql`analyze person, referral, episode, waiting_clock_event`.execute(store!.db);
  });
  process.stderr.write(`waits-recompute: loaded ${n} episodes, ${events} clock events into ${engine} in ${seconds.toFixed(1)} s\n`);
  return { store, serviceId: ids.serviceId, files, events };
}

async function demoIds(db: Kysely<Schema>): Promise<{ organisationId: number; serviceId: number } | null> {
  const row = await db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id', 'service.organisation_id'])
    .where('organisation.code', '=', demoOrganisationCode)
    .where('service.code', '=', demoServiceCode)
    .executeTakeFirst();
  return row ? { organisationId: row.organisation_id, serviceId: row.id } : null;
}

const DAY_MS = 86_400_000;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * `n` episodes received over the two years to the as-of day (seed 9), ids 1..n (a fresh
 * database, so the demo rows come first and these ids are free above them: they start at an
 * offset). Each has a start on receipt; 18% a did-not-attend, 9% a cancellation by the person,
 * 7% a spell of unavailability (resumed 1–8 weeks later, or still unavailable); most a first
 * contact after a wait of about 9 weeks on average; 4% a decision not to treat instead. Events
 * never fall after the as-of day; about three events per episode.
 */
async function writeWaitFiles(n: number, organisationId: number, serviceId: number): Promise<{ files: WaitFiles; events: number }> {
  const dir = join(benchDir, `waits-${n}-${organisationId}-${serviceId}`);
  mkdirSync(dir, { recursive: true });
  const files: WaitFiles = { person: join(dir, 'person.csv'), referral: join(dir, 'referral.csv'), episode: join(dir, 'episode.csv'), event: join(dir, 'event.csv') };
  const marker = join(dir, 'events');
  try {
    return { files, events: Number(readFileSync(marker, 'utf8')) };
  } catch {
    // not written yet
  }
  const random = new Random(9);
  const asOf = Math.round(Date.parse(`${AS_OF}T00:00:00Z`) / DAY_MS);
  const first = asOf - 730;
  const out = Object.fromEntries(Object.entries(files).map(([key, path]) => [key, createWriteStream(path)])) as Record<keyof WaitFiles, ReturnType<typeof createWriteStream>>;
  const buffers: Record<keyof WaitFiles, string[]> = { person: [], referral: [], episode: [], event: [] };
  const flush = async (force: boolean) => {
    for (const key of Object.keys(buffers) as (keyof WaitFiles)[]) {
      if (!force && buffers[key].length < 20_000) continue;
      if (buffers[key].length === 0) continue;
      if (!out[key].write(buffers[key].join(''))) await once(out[key], 'drain');
      buffers[key] = [];
    }
  };
  const offset = 1_000_000_000; // far above the demo rows' ids
  const pathways = ['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab'];
  let events = 0;
  for (let i = 0; i < n; i++) {
    const id = offset + i;
    const received = first + random.int(0, 730);
    const wait = Math.round(-Math.log(1 - random.uniform()) * 63);
    const list = new Map<string, string>();
    const add = (day: number, kind: string, reason: string) => {
      if (day > asOf) return;
      const key = `${kind} ${day}`;
      if (!list.has(key)) list.set(key, `${id},${dateOf(day)},${kind},${reason}\n`);
    };
    add(received, 'start', 'referral_received');
    const contact = received + wait;
    if (wait > 7 && random.bernoulli(0.18)) add(received + random.int(1, wait - 1), 'pause', 'did_not_attend');
    if (wait > 7 && random.bernoulli(0.09)) add(received + random.int(1, wait - 1), 'pause', 'patient_cancelled');
    if (wait > 14 && random.bernoulli(0.07)) {
      const from = received + random.int(1, wait - 7);
      add(from, 'pause', 'patient_unavailable');
      if (random.bernoulli(0.85)) add(from + random.int(7, 56), 'resume', 'available_again');
    }
    const declined = random.bernoulli(0.04);
    add(contact, 'stop', declined ? random.pick(['declined', 'validation_removed']) : 'first_contact');
    const stopped = contact <= asOf;
    buffers.person.push(`${id},${organisationId},b${i},not_given\n`);
    buffers.referral.push(`${id},${serviceId},${id},br${i},${dateOf(received)},gp,${stopped ? 'in_treatment' : 'waiting'}\n`);
    buffers.episode.push(`${id},${id},${serviceId},${pathways[i % pathways.length]},P${1 + (i % 4)},${dateOf(received)},${stopped ? dateOf(contact) : ''},0,${stopped && !declined ? dateOf(contact) : ''}\n`);
    for (const line of list.values()) buffers.event.push(line);
    events += list.size;
    await flush(false);
  }
  await flush(true);
  await Promise.all(Object.values(out).map((stream) => new Promise((resolve) => stream.end(resolve))));
  const { writeFileSync } = await import('node:fs');
  writeFileSync(marker, String(events));
  return { files, events };
}

/** DuckDB over the same rows (the same CSV files COPY loaded), running the same compiled SQL. */
async function duckDb(db: Kysely<Schema>, files: WaitFiles, serviceId: number): Promise<{ aggregateSeconds: number; fullSeconds: number; summary: WaitSummary; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  try {
    await duck.run(`create table episode as select column00 as id, column02 as service_id from read_csv('${files.episode}', header = false, columns = {'column00': 'INTEGER', 'column01': 'INTEGER', 'column02': 'INTEGER', 'column03': 'VARCHAR', 'column04': 'VARCHAR', 'column05': 'DATE', 'column06': 'DATE', 'column07': 'INTEGER', 'column08': 'DATE'})`);
    await duck.run(`create table waiting_clock_event as select * from read_csv('${files.event}', header = false, columns = {'episode_id': 'INTEGER', 'occurred_on': 'DATE', 'kind': 'VARCHAR', 'reason': 'VARCHAR'})`);
    const scope = { serviceId };
    const aggregate = waitSummaryQuery(scope, NEW_RULES, AS_OF).compile(db);
    const full = recomputeWaitsQuery(scope, NEW_RULES, AS_OF).compile(db);
    const run = (connection: DuckDBConnection, query: { sql: string; parameters: readonly unknown[] }) => connection.runAndReadAll(query.sql, query.parameters as never);
    await run(duck, aggregate); // warm
    const runs: number[] = [];
    let summaryRow: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) {
      const { result, seconds } = await timed(async () => (await run(duck, aggregate)).getRowObjectsJS()[0]!);
      runs.push(seconds);
      summaryRow = result;
    }
    const fullRun = await timed(async () => (await run(duck, full)).getRowObjectsJS());
    const orNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      aggregateSeconds: [...runs].sort((a, b) => a - b)[1]!,
      fullSeconds: fullRun.seconds,
      rows: fullRun.result.length,
      summary: {
        waiting: Number(summaryRow.waiting),
        medianDays: orNull(summaryRow.median_days),
        p92Days: orNull(summaryRow.p92_days),
        over18Weeks: Number(summaryRow.over_18_weeks),
        stopped: Number(summaryRow.stopped),
      },
    };
  } finally {
    duck.closeSync();
  }
}
