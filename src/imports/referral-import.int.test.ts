import { testSystemActor } from '../../test/support/actors.ts';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { referralRows, toCsv } from '../../test/import/referral-rows.ts';
import { storeStatus } from '../store/migrate.ts';
import type { RowProblem } from './import.types.ts';
import { openErrorReport } from './import-report.writer.ts';
import { importReferralCsv, importReferralRows, resolveService } from './referral-import.service.ts';

const fixtures = new URL('../../test/fixtures/imports/', import.meta.url).pathname;
const goodFile = join(fixtures, 'referrals-good.csv');
const badFile = join(fixtures, 'referrals-bad.csv');
const today = '2026-11-21';

let store: TestStore;
let scratch: string;

beforeAll(async () => {
  store = await createTestStore();
  scratch = mkdtempSync(join(tmpdir(), 'roots-import-'));
  // Reference postcodes: one live, one terminated, one that NSPL cannot place.
  await store.db
    .insertInto('ref_postcode')
    .values([
      { postcode: 'DT1 1AA', area_code: 'E01032643', terminated: null },
      { postcode: 'DT1 1AJ', area_code: 'E01020537', terminated: '199412' },
      { postcode: 'DT1 1AB', area_code: 'E01020518', terminated: null },
      { postcode: 'HG1 1AA', area_code: null, terminated: null },
    ])
    .execute();
});
afterAll(async () => {
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

let services = 0;
/** A service of its own (in an organisation of its own) for each test, so tests do not meet. */
async function newService(): Promise<string> {
  services++;
  const organisation = await store.db.insertInto('organisation').values({ code: `ORG${services}`, name: `Organisation ${services}` }).returning('id').executeTakeFirstOrThrow();
  await store.db.insertInto('service').values({ organisation_id: organisation.id, code: `ot-${services}`, name: 'OT', setting: 'primary_care' }).execute();
  return `ORG${services}/ot-${services}`;
}

const counts = async () => (await storeStatus(store)).counts;
const collect = () => {
  const problems: RowProblem[] = [];
  return { problems, onProblem: (problem: RowProblem) => void problems.push(problem) };
};
/** Every count unchanged except the record of the import itself. */
const log = async () => (await storeStatus(store)).log;
/** The import itself is recorded (one run, one audit event), apart from the data counts. */
const oneMoreImportRecorded = (before: Record<string, number>) => ({ import_run: before.import_run! + 1, audit_event: before.audit_event! + 1 });

describe(`referral CSV import on ${testEngine}`, () => {
  it('refuses a file with bad rows, reports each problem by row and field, and writes nothing', async () => {
    const service = await newService();
    const before = await counts();
    const logBefore = await log();
    const { problems, onProblem } = collect();
    const summary = await importReferralCsv(store, badFile, { actor: testSystemActor, service, today, onProblem });

    expect(summary).toMatchObject({ outcome: 'rejected', written: false, read: 7, rejected: 5, inserted: 0, updated: 0, unchanged: 0 });
    expect(await counts()).toEqual(before);
    expect(await log()).toEqual(oneMoreImportRecorded(logBefore));

    const brief = problems.map((p) => [p.row, p.line, p.field ?? '', p.value, p.reason]);
    expect(brief).toEqual([
      [2, 3, 'referral_received', '2026-02-30', 'is not a real calendar date'],
      [3, 4, 'referral_source', 'pigeon', expect.stringContaining('is not a known referral source code')],
      // Personal data: the value is withheld, the reason is enough to find and fix it.
      [4, 5, 'nhs_number', '', 'fails the NHS number Modulus 11 check'],
      [5, 6, '', undefined, expect.stringContaining('broken quoting')],
      [6, 7, 'given_name', '', expect.stringContaining('may contain only letters')],
    ]);
    const run = await store.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ outcome: 'rejected', rows_read: 7, rows_rejected: 5, rows_inserted: 0, file_name: 'referrals-bad.csv' });
    expect(run.file_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('with --accept-partial lands only the good rows, Welsh names intact', async () => {
    const service = await newService();
    const { problems, onProblem } = collect();
    const summary = await importReferralCsv(store, badFile, { actor: testSystemActor, service, today, acceptPartial: true, onProblem });
    expect(summary).toMatchObject({ outcome: 'partial', written: true, read: 7, rejected: 5, inserted: 2 });
    expect(problems).toHaveLength(5);
    const rows = await referralsOf(service);
    expect(rows.map((r) => r.source_record_id)).toEqual(['B001', 'B007']);
    expect(rows.map((r) => `${r.given_name} ${r.family_name}`)).toEqual(['Ŵyn Ŷmlyn', 'Siôn Ŵatkin']);
    const run = await store.db.selectFrom('import_run').selectAll().where('id', '=', summary.importRun!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ outcome: 'partial', rows_read: 7, rows_inserted: 2, rows_rejected: 5 });
    expect(run.finished_at).not.toBeNull();
  });

  it('writes people, areas, statuses, episodes with their clocks, discharges and outcomes', async () => {
    const service = await newService();
    const summary = await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today });
    expect(summary).toMatchObject({ outcome: 'committed', written: true, read: 10, inserted: 10, updated: 0, unchanged: 0, rejected: 0 });

    const rows = await referralsOf(service);
    const byId = Object.fromEntries(rows.map((r) => [r.source_record_id, r]));
    expect(rows.map((r) => [r.source_record_id, r.status])).toEqual([
      ['R001', 'received'], ['R002', 'waiting'], ['R003', 'in_treatment'], ['R004', 'discharged'], ['R005', 'advice_discharged'],
      ['R006', 'received'], ['R007', 'received'], ['R008', 'received'], ['R009', 'redirected'], ['R010', 'returned'],
    ]);
    // Area at referral: from the postcode, or the row's own area_code; none when unknown.
    expect(byId.R001!.area_code).toBe('E01032643');
    expect(byId.R002!.area_code).toBe('E01020537'); // terminated postcode: still placed
    expect(byId.R003!.area_code).toBeNull(); // in NSPL without an area
    expect(byId.R007!.area_code).toBeNull(); // ZZ9 9ZZ: unknown, kept
    expect(byId.R008!.area_code).toBe('E01000001');

    // P001 appears twice: the later row's details win (postcode ZZ9 9ZZ, unknown).
    const people = await store.db.selectFrom('person').selectAll().where('organisation_id', '=', await organisationOf(service)).orderBy('source_person_id').execute();
    expect(people).toHaveLength(9);
    const person = Object.fromEntries(people.map((p) => [p.source_person_id, p]));
    expect(person.P001).toMatchObject({ postcode: 'ZZ9 9ZZ', postcode_status: 'unknown', area_code: null, nhs_number: '9434765919', given_name: 'Gwenllïan', family_name: 'Ŵyn-Ŷmlyn', language: 'cy', interpreter_needed: null });
    expect(person.P002).toMatchObject({ postcode: 'DT1 1AJ', postcode_status: 'terminated', area_code: 'E01020537' });
    expect(person.P003).toMatchObject({ postcode: 'HG1 1AA', postcode_status: 'unknown', area_code: null });
    expect(person.P005).toMatchObject({ postcode: null, postcode_status: 'not_given' });
    expect(person.P006).toMatchObject({ postcode: null, postcode_status: 'no_fixed_address', inclusion_groups: ['asylum_seeker', 'homeless'] });
    expect(person.P008).toMatchObject({ postcode: null, postcode_status: 'invalid', area_code: 'E01000001' });

    const episodes = await store.db
      .selectFrom('episode')
      .innerJoin('referral', 'referral.id', 'episode.referral_id')
      .select(['referral.source_record_id', 'episode.id', 'clock_started_on', 'clock_stopped_on', 'paused_days', 'first_contact_on', 'contacts_attended', 'contacts_did_not_attend', 'priority', 'pathway_code'])
      .where('referral.service_id', '=', await serviceId(service))
      .orderBy('referral.source_record_id')
      .execute();
    expect(episodes.map(({ id: _id, ...episode }) => episode)).toEqual([
      { source_record_id: 'R002', clock_started_on: '2026-01-06', clock_stopped_on: null, paused_days: 14, first_contact_on: null, contacts_attended: 0, contacts_did_not_attend: 0, priority: 'P2', pathway_code: 'frailty_falls' },
      { source_record_id: 'R003', clock_started_on: '2026-01-07', clock_stopped_on: '2026-02-10', paused_days: 0, first_contact_on: '2026-02-10', contacts_attended: 2, contacts_did_not_attend: 1, priority: 'P3', pathway_code: 'mental_health' },
      { source_record_id: 'R004', clock_started_on: '2026-01-10', clock_stopped_on: '2026-02-01', paused_days: 0, first_contact_on: '2026-02-01', contacts_attended: 5, contacts_did_not_attend: 0, priority: 'P3', pathway_code: 'work_health' },
    ]);
    const clock = await sql<{ source_record_id: string; kind: string; occurred_on: string; reason: string }>`
      select r.source_record_id, c.kind, c.occurred_on, c.reason from waiting_clock_event c
      join episode e on e.id = c.episode_id join referral r on r.id = e.referral_id
      where r.service_id = ${await serviceId(service)} order by r.source_record_id, c.occurred_on, c.id`.execute(store.db);
    expect(clock.rows.map((e) => `${e.source_record_id} ${e.kind} ${e.occurred_on} ${e.reason}`)).toEqual([
      'R002 start 2026-01-06 referral_received',
      'R002 pause 2026-01-20 patient_unavailable',
      'R002 resume 2026-02-03 available_again',
      'R003 start 2026-01-07 referral_received',
      'R003 stop 2026-02-10 first_contact',
      'R004 start 2026-01-10 referral_received',
      'R004 stop 2026-02-01 first_contact',
    ]);
    const outcomes = await sql<{ source_record_id: string; timepoint: string; recorded_on: string; score: number }>`
      select r.source_record_id, o.timepoint, o.recorded_on, o.score from outcome_response o
      join episode e on e.id = o.episode_id join referral r on r.id = e.referral_id
      where r.service_id = ${await serviceId(service)} order by r.source_record_id, o.recorded_on`.execute(store.db);
    expect(outcomes.rows).toEqual([
      { source_record_id: 'R003', timepoint: 'baseline', recorded_on: '2026-02-10', score: 17.43 },
      { source_record_id: 'R004', timepoint: 'baseline', recorded_on: '2026-02-01', score: 15 },
      { source_record_id: 'R004', timepoint: 'discharge', recorded_on: '2026-04-01', score: 23.21 },
    ]);
    const discharges = await sql<{ source_record_id: string; reason: string; outcomes: string[] }>`
      select r.source_record_id, d.reason, d.outcomes from discharge d join referral r on r.id = d.referral_id
      where r.service_id = ${await serviceId(service)} order by r.source_record_id`.execute(store.db);
    expect(discharges.rows).toEqual([
      { source_record_id: 'R004', reason: 'goals_met', outcomes: ['self_management_plan', 'stayed_in_work'] },
      { source_record_id: 'R005', reason: 'advice_given', outcomes: [] },
    ]);
    const audit = await store.db.selectFrom('audit_event').selectAll().where('subject_id', '=', String(summary.importRun)).where('subject_kind', '=', 'import_run').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'import',
      organisation_id: await organisationOf(service),
      detail: { kind: 'referrals_csv', source: 'referrals-good.csv', service, mode: 'all_or_nothing', import_run: summary.importRun },
    });
  });

  it('imports the same file twice without changing anything the second time', async () => {
    const service = await newService();
    await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today });
    const before = await counts();
    const logBefore = await log();
    const snapshot = await rowVersions(service);
    const again = await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today });
    expect(again).toMatchObject({ outcome: 'committed', read: 10, inserted: 0, updated: 0, unchanged: 10, rejected: 0 });
    expect(await counts()).toEqual(before);
    expect(await log()).toEqual(oneMoreImportRecorded(logBefore));
    expect(await rowVersions(service)).toEqual(snapshot);
  });

  it('rewrites a changed row: the referral moves on a version, its triage, clock, discharge and outcomes are replaced', async () => {
    const service = await newService();
    await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today });
    const before = await rowVersions(service);
    const episodeBefore = await episodeOf(service, 'R003');

    // R003 is now discharged with a final score, and R002 has been redirected instead.
    const changed = join(scratch, 'changed.csv');
    const text = readFileSync(goodFile, 'utf8')
      .replace('2026-02-10,2,1,,,,,SWEMWBS,17.43,', '2026-02-10,2,1,,2026-03-20,goals_met,,SWEMWBS,17.43,25')
      .replace('DT1 1AJ,,,,,,,,2026-01-08,frailty_falls,P2,accept,,2026-01-20/2026-02-03', 'DT1 1AJ,,,,,,,,2026-01-08,frailty_falls,,redirect,,');
    expect(text).not.toBe(readFileSync(goodFile, 'utf8'));
    writeFileSync(changed, text);
    const summary = await importReferralCsv(store, changed, { actor: testSystemActor, service, today });
    expect(summary).toMatchObject({ outcome: 'committed', inserted: 0, updated: 2, unchanged: 8 });

    const after = await rowVersions(service);
    for (const id of Object.keys(before.referrals)) {
      if (id === 'R002' || id === 'R003') expect(after.referrals[id]!.version).toBe(2);
      else expect(after.referrals[id]).toEqual(before.referrals[id]);
    }
    const rows = Object.fromEntries((await referralsOf(service)).map((r) => [r.source_record_id, r]));
    expect(rows.R003!.status).toBe('discharged');
    expect(rows.R002!.status).toBe('redirected');
    // The episode of R003 is updated in place (work recorded against it in Roots is kept)...
    const episodeAfter = await episodeOf(service, 'R003');
    expect(episodeAfter).toMatchObject({ id: episodeBefore.id, version: 2, clock_stopped_on: '2026-02-10' });
    const responses = await store.db.selectFrom('outcome_response').select(['timepoint', 'score']).where('episode_id', '=', episodeAfter.id).orderBy('timepoint').execute();
    expect(responses).toEqual([{ timepoint: 'baseline', score: 17.43 }, { timepoint: 'discharge', score: 25 }]);
    const events = await store.db.selectFrom('waiting_clock_event').select(['kind']).where('episode_id', '=', episodeAfter.id).execute();
    expect(events.map((e) => e.kind).sort()).toEqual(['start', 'stop']);
    // ...and R002, no longer accepted, has no episode or clock left.
    const r2 = await store.db.selectFrom('episode').select('id').where('referral_id', '=', rows.R002!.id).execute();
    expect(r2).toEqual([]);
    const triage = await store.db.selectFrom('triage').selectAll().where('referral_id', '=', rows.R002!.id).executeTakeFirstOrThrow();
    expect(triage).toMatchObject({ outcome: 'redirect', priority: null });
    expect(await store.db.selectFrom('discharge').select('reason').where('referral_id', '=', rows.R003!.id).executeTakeFirst()).toEqual({ reason: 'goals_met' });
  });

  it('dry run validates and counts what would change, and writes nothing at all', async () => {
    const service = await newService();
    const before = await counts();
    const report = collect();
    const summary = await importReferralCsv(store, badFile, { actor: testSystemActor, service, today, dryRun: true, onProblem: report.onProblem });
    expect(summary).toMatchObject({ outcome: 'dry_run', written: false, importRun: null, read: 7, rejected: 5, inserted: 2 });
    expect(report.problems).toHaveLength(5);
    const good = await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today, dryRun: true });
    expect(good).toMatchObject({ outcome: 'dry_run', read: 10, inserted: 10, rejected: 0 });
    expect(await counts()).toEqual(before);
  });

  it('writes the error report as CSV with personal values withheld', async () => {
    const service = await newService();
    const reportPath = join(scratch, 'bad.errors.csv');
    const report = openErrorReport(reportPath, badFile, 'csv');
    await importReferralCsv(store, badFile, { actor: testSystemActor, service, today, onProblem: (p) => report.add(p) });
    expect(await report.close()).toBe(reportPath);
    const lines = readFileSync(reportPath, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,line,field,value,reason');
    expect(lines[1]).toBe('2,3,referral_received,2026-02-30,is not a real calendar date');
    expect(lines[3]).toBe('4,5,nhs_number,,fails the NHS number Modulus 11 check');
    expect(readFileSync(reportPath, 'utf8')).not.toContain('9434765918');
    expect(readFileSync(reportPath, 'utf8')).not.toContain('Smith');
  });

  it('reports a source record id given twice in one file, and refuses the file', async () => {
    const service = await newService();
    const rows = [...referralRows(3, { seed: 4 })];
    rows[2]!.source_record_id = rows[0]!.source_record_id;
    const file = join(scratch, 'twice.csv');
    writeFileSync(file, toCsv(rows));
    const { problems, onProblem } = collect();
    const summary = await importReferralCsv(store, file, { actor: testSystemActor, service, today, onProblem });
    expect(summary).toMatchObject({ outcome: 'rejected', rejected: 1, written: false });
    expect(problems).toEqual([{ row: 3, line: 4, field: 'source_record_id', value: rows[0]!.source_record_id, reason: 'also appears at row 1: each referral may appear once in a file' }]);
    expect(await referralsOf(service)).toEqual([]);
  });

  it('stops at whole-file problems before writing anything', async () => {
    const service = await newService();
    const before = await counts();
    const header = (text: string) => {
      const file = join(scratch, `header-${Math.random().toString(36).slice(2)}.csv`);
      writeFileSync(file, text);
      return importReferralCsv(store, file, { actor: testSystemActor, service, today });
    };
    await expect(importReferralCsv(store, join(scratch, 'missing.csv'), { actor: testSystemActor, service })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(importReferralCsv(store, scratch, { actor: testSystemActor, service })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', detail: expect.stringContaining('folder') });
    await expect(header('')).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('empty') });
    await expect(header('source_record_id,person_id,referral_received\nR1,P1,2026-01-01\n')).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      detail: expect.stringContaining('missing required columns: referral_source'),
    });
    await expect(header('source_record_id,person_id,referral_received,referral_source,shoe_size\n')).rejects.toMatchObject({
      detail: expect.stringContaining('unknown columns: shoe_size'),
    });
    await expect(header('source_record_id,person_id,referral_received,referral_source,Person_ID\n')).rejects.toMatchObject({
      detail: expect.stringContaining('duplicate columns: person_id'),
    });
    expect(await counts()).toEqual(before);
  });

  it('reads a quote that is never closed as the end of what can be read', async () => {
    const service = await newService();
    const rows = [...referralRows(4, { seed: 5 })];
    const text = toCsv(rows).split('\n');
    text[2] = text[2]!.replace(rows[1]!.given_name, `"${rows[1]!.given_name}`);
    const file = join(scratch, 'unclosed.csv');
    writeFileSync(file, text.join('\n'));
    const { problems, onProblem } = collect();
    const summary = await importReferralCsv(store, file, { actor: testSystemActor, service, today, acceptPartial: true, onProblem });
    expect(summary).toMatchObject({ read: 2, inserted: 1, rejected: 1 });
    expect(problems).toEqual([{ row: 2, line: 3, reason: expect.stringContaining('nothing from line 3 to the end of the file could be read') }]);
  });

  it('takes the only service when none is named, and says which to choose when there are several', async () => {
    await expect(resolveService(store.db, undefined)).rejects.toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('--service') });
    await expect(resolveService(store.db, 'no-such-service')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const service = await newService();
    expect(await resolveService(store.db, service)).toMatchObject({ code: service.split('/')[1] });
    expect(await resolveService(store.db, service.split('/')[1])).toMatchObject({ organisationCode: service.split('/')[0] });
  });

  it('imports into the right one of two organisations with the same service code, and asks which when the code alone is given', async () => {
    // Given two organisations, each with a service "shared-ot".
    const ids: Record<string, number> = {};
    for (const code of ['TWIN-A', 'TWIN-B']) {
      const organisation = await store.db.insertInto('organisation').values({ code, name: code }).returning('id').executeTakeFirstOrThrow();
      ids[code] = (await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'shared-ot', name: 'OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    }
    const rows = [...referralRows(6, { seed: 21 })];
    // When the code alone is given, nothing is written and the choices are named.
    await expect(importReferralRows(store, rows.slice(0, 3), { actor: testSystemActor, service: 'shared-ot', today })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      detail: expect.stringMatching(/TWIN-A\/shared-ot, TWIN-B\/shared-ot/),
    });
    // When each is named with its organisation, each import lands in its own service (lower case and ~ accepted too).
    expect(await importReferralRows(store, rows.slice(0, 3), { actor: testSystemActor, service: 'TWIN-A/shared-ot', today })).toMatchObject({ service: 'TWIN-A/shared-ot', inserted: 3 });
    expect(await importReferralRows(store, rows.slice(3), { actor: testSystemActor, service: 'twin-b~shared-ot', today })).toMatchObject({ service: 'TWIN-B/shared-ot', inserted: 3 });
    const landed = await store.db.selectFrom('referral').select(['service_id', 'source_record_id']).where('service_id', 'in', [ids['TWIN-A']!, ids['TWIN-B']!]).orderBy('source_record_id').execute();
    expect(landed.filter((row) => row.service_id === ids['TWIN-A']).map((row) => row.source_record_id)).toEqual(rows.slice(0, 3).map((row) => row.source_record_id).sort());
    expect(landed.filter((row) => row.service_id === ids['TWIN-B']).map((row) => row.source_record_id)).toEqual(rows.slice(3).map((row) => row.source_record_id).sort());
    // Each organisation holds the people of its own referrals.
    const people = await store.db.selectFrom('person').innerJoin('organisation', 'organisation.id', 'person.organisation_id').select(['organisation.code', 'person.source_person_id']).where('organisation.code', 'in', ['TWIN-A', 'TWIN-B']).execute();
    const peopleOf = (code: string) => people.filter((p) => p.code === code).map((p) => p.source_person_id).sort();
    expect(peopleOf('TWIN-A')).toEqual([...new Set(rows.slice(0, 3).map((row) => row.person_id))].sort());
    expect(peopleOf('TWIN-B')).toEqual([...new Set(rows.slice(3).map((row) => row.person_id))].sort());
  });

  it('imports rows handed over by a generator, in batches, idempotently', async () => {
    const service = await newService();
    const rows = [...referralRows(1234, { seed: 9 })];
    const first = await importReferralRows(store, rows, { actor: testSystemActor, service, today, batchSize: 100 });
    expect(first).toMatchObject({ outcome: 'committed', read: 1234, inserted: 1234, rejected: 0 });
    const total = await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).where('service_id', '=', await serviceId(service)).executeTakeFirstOrThrow();
    expect(total.n).toBe(1234);
    // Every referral has its person, and every accepted one its episode.
    const orphans = await sql<{ n: number }>`
      select count(*) as n from referral r
      left join triage t on t.referral_id = r.id left join episode e on e.referral_id = r.id
      where r.service_id = ${await serviceId(service)} and ((t.outcome = 'accept') <> (e.id is not null))`.execute(store.db);
    expect(orphans.rows[0]!.n).toBe(0);
    const second = await importReferralRows(store, (async function* () { yield* rows; })(), { actor: testSystemActor, service, today, batchSize: 500, acceptPartial: true });
    expect(second).toMatchObject({ outcome: 'committed', read: 1234, inserted: 0, updated: 0, unchanged: 1234 });
  });

  it('checks the keys of generated rows like a header, before anything is written', async () => {
    const service = await newService();
    const before = await counts();
    const [row] = [...referralRows(1, { seed: 2 })];
    await expect(importReferralRows(store, [{ ...row!, shoe_size: '9' }], { actor: testSystemActor, service, today, acceptPartial: true })).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      detail: expect.stringContaining('unknown columns: shoe_size'),
    });
    expect(await counts()).toEqual(before);
  });

  it('copies nothing of a file path or personal data into the import record or audit trail', async () => {
    const service = await newService();
    const file = join(scratch, 'extract-2026-01.csv');
    copyFileSync(goodFile, file);
    const summary = await importReferralCsv(store, file, { actor: testSystemActor, service, today });
    const run = await store.db.selectFrom('import_run').selectAll().where('id', '=', summary.importRun!).executeTakeFirstOrThrow();
    expect(run.file_name).toBe('extract-2026-01.csv');
    const audit = await store.db.selectFrom('audit_event').select('detail').where('subject_id', '=', String(summary.importRun)).executeTakeFirstOrThrow();
    const recorded = JSON.stringify([run, audit, summary]);
    for (const personal of ['9434765919', 'Gwenllïan', 'Ŵyn-Ŷmlyn', '1980-05-04', 'DT1 1AA', 'P001', scratch]) expect(recorded).not.toContain(personal);
  });
});

async function serviceId(service: string): Promise<number> {
  const [organisation, code] = service.split('/');
  const row = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select('service.id').where('organisation.code', '=', organisation!).where('service.code', '=', code!).executeTakeFirstOrThrow();
  return row.id;
}

async function organisationOf(service: string): Promise<number> {
  const row = await store.db.selectFrom('organisation').select('id').where('code', '=', service.split('/')[0]!).executeTakeFirstOrThrow();
  return row.id;
}

async function referralsOf(service: string) {
  return store.db
    .selectFrom('referral')
    .innerJoin('person', 'person.id', 'referral.person_id')
    .select(['referral.id', 'referral.source_record_id', 'referral.status', 'referral.area_code', 'referral.version', 'person.given_name', 'person.family_name'])
    .where('referral.service_id', '=', await serviceId(service))
    .orderBy('referral.source_record_id')
    .execute();
}

async function episodeOf(service: string, sourceRecordId: string) {
  return store.db
    .selectFrom('episode')
    .innerJoin('referral', 'referral.id', 'episode.referral_id')
    .select(['episode.id', 'episode.version', 'episode.clock_stopped_on'])
    .where('referral.service_id', '=', await serviceId(service))
    .where('referral.source_record_id', '=', sourceRecordId)
    .executeTakeFirstOrThrow();
}

/** Versions and update times of every referral, person and episode of a service. */
async function rowVersions(service: string) {
  const id = await serviceId(service);
  const referrals = await store.db.selectFrom('referral').select(['source_record_id', 'version', 'updated_at', 'content_hash']).where('service_id', '=', id).execute();
  const people = await store.db.selectFrom('person').select(['source_person_id', 'updated_at']).where('organisation_id', '=', await organisationOf(service)).execute();
  const episodes = await store.db.selectFrom('episode').select(['referral_id', 'version']).where('service_id', '=', id).execute();
  return {
    referrals: Object.fromEntries(referrals.map((r) => [r.source_record_id, r])),
    people: Object.fromEntries(people.map((p) => [p.source_person_id, p.updated_at])),
    episodes: Object.fromEntries(episodes.map((e) => [e.referral_id, e.version])),
  };
}
