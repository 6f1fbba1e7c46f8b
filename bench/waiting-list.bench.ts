import autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/config.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../src/demo/demo-organisation.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/logging/logger.ts';
import { signIn } from '../test/support/sign-in.ts';
import { databaseUrlFor, freshStore, type BenchEngine } from './datasets.ts';
import type { BenchResult } from './lib.ts';

const durationSeconds = Number(process.env.ROOTS_BENCH_LOAD_SECONDS ?? 10);
const connections = Number(process.env.ROOTS_BENCH_LOAD_CONNECTIONS ?? 10);
/** People waiting in the one service: the figure. */
const waiting = Number(process.env.ROOTS_BENCH_WAITING ?? 50_000);
const today = '2026-11-21';

/**
 * The waiting list page (GET /services/:service/waiting-list) of a service with `waiting` people
 * waiting, under load, on each engine: the demo organisation, people, referrals and episodes
 * written in bulk in SQL (waits from 0 to about 2 years, all four priorities, six pathways, a mix
 * of interpreter, disability and inclusion-health flags), equity weights switched on so the score
 * has every term, a therapist signed in, then autocannon on 127.0.0.1 for a fixed time with a
 * fixed number of connections. Each request ranks all `waiting` people by score in SQL, renders
 * page 3 of 50 rows with each person's score parts, and writes its audit-trail entry. The rate
 * limit is lifted for the run.
 */
export async function waitingListBench(engines: readonly BenchEngine[] = ['postgresql', 'pglite']): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const engine of engines) results.push(...(await run(engine)));
  return results;
}

async function run(engine: BenchEngine): Promise<BenchResult[]> {
  const name = 'roots_bench_waiting_list';
  const store = await freshStore(engine, name);
  const config = loadConfig({
    ...(engine === 'postgresql' ? { DATABASE_URL: databaseUrlFor(name) } : {}),
    ROOTS_DATA_DIR: 'unused',
    ROOTS_REFERENCE_DIR: 'none',
    ROOTS_DEMO: 'false',
    LOG_LEVEL: 'silent',
    ROOTS_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const demo = (await createDemoOrganisation(store.db, null))!;
    const service = await store.db
      .selectFrom('service')
      .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
      .select(['service.id', 'service.organisation_id as organisationId'])
      .where('organisation.code', '=', demoOrganisationCode)
      .where('service.code', '=', demoServiceCode)
      .executeTakeFirstOrThrow();
    const started = performance.now();
    await sql`
      insert into person (organisation_id, source_person_id, given_name, family_name, postcode_status, interpreter_needed, disability, inclusion_groups)
      select ${service.organisationId}, 'WL-' || i, 'Bench', 'Person ' || i, 'not_given', i % 13 = 0, i % 7 = 0,
        case when i % 17 = 0 then array['homeless']::text[] else array[]::text[] end
      from generate_series(1, ${waiting}::int) as i`.execute(store.db);
    await sql`
      insert into referral (service_id, person_id, source_record_id, received_on, source, status)
      select ${service.id}, p.id, p.source_person_id, ${today}::date - (p.id * 7919 % 730), 'gp', 'waiting'
      from person p where p.source_person_id like 'WL-%'`.execute(store.db);
    await sql`
      insert into episode (referral_id, service_id, pathway_code, priority, clock_started_on)
      select r.id, r.service_id,
        (array['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost'])[1 + r.id % 6],
        (array['P1', 'P2', 'P3', 'P4'])[1 + (r.id / 6) % 4], r.received_on
      from referral r where r.source_record_id like 'WL-%'`.execute(store.db);
    await sql`analyze`.execute(store.db);
    await store.db
      .insertInto('equity_weight_decision')
      .values({ service_id: service.id, most_deprived_quintile: 1, inclusion_health_group: 1, interpreter_needed: 0.5, disability: 0.5, reason: 'Bench', decided_by: null, decided_by_label: 'system:bench' })
      .execute();
    const loadSeconds = (performance.now() - started) / 1000;
    const app = await buildApp({ store, config, logger: createLogger('silent'), clock: () => today });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const { cookie } = await signIn(app, 'ot1@demo.roots.invalid', demo.password);
      const url = `http://127.0.0.1:${port}/services/${demoOrganisationCode}~${demoServiceCode}/waiting-list?page=3`;
      const warm = await fetch(url, { headers: { cookie } });
      if (warm.status !== 200) throw new Error(`the waiting list answered ${warm.status}`);
      const body = await warm.text();
      if (!body.includes(`${waiting.toLocaleString('en-GB')} people.`)) throw new Error('the waiting list did not count every person waiting');
      const load = await autocannon({ url, connections, duration: durationSeconds, headers: { cookie } });
      const note = `${waiting.toLocaleString('en-GB')} people waiting (written in ${loadSeconds.toFixed(1)} s); page 3 by score (${Math.round(body.length / 1024)} KB); ${connections} connections for ${durationSeconds} s; ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`;
      const out: BenchResult[] = [
        { suite: 'waiting-list', case: 'waiting list page requests per second (signed in)', engine, value: load.requests.average, unit: 'req/s', note },
        { suite: 'waiting-list', case: 'waiting list page p99 latency (signed in)', engine, value: load.latency.p99, unit: 'ms', note: `p50 ${load.latency.p50} ms, max ${load.latency.max} ms; target p99 under 200 ms on PostgreSQL` },
      ];
      for (const result of out) process.stderr.write(`${result.engine} ${result.case}: ${result.value.toFixed(1)} ${result.unit} (${result.note ?? ''})\n`);
      return out;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
