import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../src/demo/demo-organisation.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { ReferralRecord } from '../src/referrals/referral.record.ts';
import { writeReferrals } from '../src/referrals/referral.write.ts';
import { signIn } from '../test/support/sign-in.ts';
import { databaseUrlFor, freshStore } from './datasets.ts';
import type { BenchResult } from './lib.ts';

const durationSeconds = Number(process.env.ROOTS_BENCH_LOAD_SECONDS ?? 10);
const connections = Number(process.env.ROOTS_BENCH_LOAD_CONNECTIONS ?? 10);
/** Referrals awaiting triage in the service: a busy community OT service's backlog, and more. */
const awaiting = Number(process.env.ROOTS_BENCH_TRIAGE_REFERRALS ?? 2_000);

/**
 * The triage queue page (GET /services/:service/triage) under load on PostgreSQL: the demo
 * organisation, `awaiting` referrals awaiting triage with varied risk flags written through the
 * one write path, a therapist signed in (the session cookie sent with every request), then
 * autocannon on 127.0.0.1 for a fixed time with a fixed number of connections. Each request
 * reads the queue, computes every referral's risk flags, sorts, renders one page of 25, and
 * writes its audit-trail entry. The rate limit is lifted for the run.
 */
export async function triageQueueBench(): Promise<BenchResult[]> {
  const name = 'roots_bench_triage_queue';
  const store = await freshStore('postgresql', name);
  const config = loadConfig({ DATABASE_URL: databaseUrlFor(name), ROOTS_DATA_DIR: 'unused', ROOTS_REFERENCE_DIR: 'none', ROOTS_DEMO: 'false', LOG_LEVEL: 'silent', ROOTS_RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const demo = (await createDemoOrganisation(store.db, null))!;
    const service = await store.db
      .selectFrom('service')
      .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
      .select(['service.id', 'service.organisation_id as organisationId'])
      .where('organisation.code', '=', demoOrganisationCode)
      .where('service.code', '=', demoServiceCode)
      .executeTakeFirstOrThrow();
    const records: ReferralRecord[] = Array.from({ length: awaiting }, (_, i) => ({
      sourceRecordId: `BENCH-${i}`,
      person: {
        sourcePersonId: `BENCH-P${i}`,
        nhsNumber: null,
        givenName: 'Bench',
        familyName: 'Person',
        dateOfBirth: `${1930 + (i % 90)}-0${1 + (i % 9)}-1${i % 10}`,
        sex: 'X',
        ethnicity: null,
        postcode: null,
        postcodeGiven: false,
        areaCode: null,
        noFixedAddress: i % 37 === 0,
        disability: null,
        inclusionGroups: i % 11 === 0 ? ['carer'] : [],
        language: 'en',
        interpreterNeeded: i % 13 === 0,
        livesAlone: i % 3 === 0,
      },
      referral: { receivedOn: `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, source: 'gp', urgentRisk: i % 29 === 0 },
      triage: null,
      waiting: null,
      discharge: null,
      outcome: null,
    }));
    await store.db.transaction().execute((trx) => writeReferrals(trx, service, records));
    const app = await buildApp({ store, config, logger: createLogger('silent'), clock: () => '2026-11-21' });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const { cookie } = await signIn(app, 'ot1@demo.roots.invalid', demo.password);
      const url = `http://127.0.0.1:${port}/services/${demoServiceCode}/triage?page=3`;
      const warm = await fetch(url, { headers: { cookie } });
      if (warm.status !== 200) throw new Error(`the triage queue answered ${warm.status}`);
      const bytes = (await warm.text()).length;
      const load = await autocannon({ url, connections, duration: durationSeconds, headers: { cookie } });
      const note = `${awaiting.toLocaleString('en-GB')} referrals awaiting triage; page 3 of the queue (${Math.round(bytes / 1024)} KB); ${connections} connections for ${durationSeconds} s; ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`;
      const results: BenchResult[] = [
        { suite: 'triage-queue', case: 'triage queue requests per second (signed in)', engine: 'postgresql', value: load.requests.average, unit: 'req/s', note },
        { suite: 'triage-queue', case: 'triage queue p99 latency (signed in)', engine: 'postgresql', value: load.latency.p99, unit: 'ms', note: `p50 ${load.latency.p50} ms, max ${load.latency.max} ms` },
      ];
      for (const result of results) process.stderr.write(`${result.engine} ${result.case}: ${result.value.toFixed(1)} ${result.unit} (${result.note ?? ''})\n`);
      return results;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
