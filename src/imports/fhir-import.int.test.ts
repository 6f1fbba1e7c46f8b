import { testSystemActor } from '../../test/support/actors.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { storeStatus } from '../store/migrate.ts';
import type { RowProblem } from './import.types.ts';
import { openErrorReport } from './import-report.writer.ts';
import { importFhirBundle } from './fhir-import.service.ts';

const fixtures = new URL('../../test/fixtures/imports/', import.meta.url).pathname;
const goodBundle = join(fixtures, 'fhir-bundle.json');
const badBundle = join(fixtures, 'fhir-bundle-bad.json');
const today = '2026-11-21';

let store: TestStore;
let scratch: string;
beforeAll(async () => {
  store = await createTestStore();
  scratch = mkdtempSync(join(tmpdir(), 'roots-fhir-'));
  await store.db.insertInto('ref_postcode').values({ postcode: 'DT1 1AA', area_code: 'E01032643' }).execute();
});
afterAll(async () => {
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

let services = 0;
async function newService(): Promise<{ code: string; id: number; organisationId: number }> {
  services++;
  const organisation = await store.db.insertInto('organisation').values({ code: `FHIR${services}`, name: 'FHIR test' }).returning('id').executeTakeFirstOrThrow();
  const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'OT', setting: 'community_mental_health' }).returning('id').executeTakeFirstOrThrow();
  return { code: `FHIR${services}/ot`, id: service.id, organisationId: organisation.id };
}
const counts = async () => (await storeStatus(store)).counts;
const log = async () => (await storeStatus(store)).log;

describe(`FHIR bundle import on ${testEngine}`, () => {
  it('maps Patient, ServiceRequest, Encounter and QuestionnaireResponse (UK Core) to referrals', async () => {
    const service = await newService();
    const summary = await importFhirBundle(store, goodBundle, { actor: testSystemActor, service: service.code, today });
    expect(summary).toMatchObject({ outcome: 'committed', read: 3, inserted: 3, rejected: 0, source: 'fhir-bundle.json' });

    const people = await store.db.selectFrom('person').selectAll().where('organisation_id', '=', service.organisationId).orderBy('id').execute();
    expect(people.map((p) => ({ ...p, id: undefined, pseudonym: undefined, created_at: undefined, updated_at: undefined, organisation_id: undefined }))).toMatchObject([
      {
        source_person_id: 'https://example-trust.nhs.uk/Id/mrn|MRN0001', nhs_number: '9434765919', given_name: 'Gwenllïan', family_name: 'Ŵyn-Ŷmlyn',
        date_of_birth: '1980-05-04', sex: '2', ethnicity: 'C', postcode: 'DT1 1AA', postcode_status: 'resolved', area_code: 'E01032643',
      },
      {
        source_person_id: 'nhs-number|4010232137', nhs_number: '4010232137', given_name: 'Dafydd Rhys', family_name: 'Llŷr',
        date_of_birth: '1949-11-30', sex: '1', ethnicity: null, postcode: 'ZZ9 9ZZ', postcode_status: 'unknown', area_code: null,
      },
    ]);

    const referrals = await store.db.selectFrom('referral').select(['id', 'source_record_id', 'received_on', 'source', 'status', 'person_id']).where('service_id', '=', service.id).orderBy('source_record_id').execute();
    expect(referrals.map(({ id: _id, person_id: _p, ...r }) => r)).toEqual([
      { source_record_id: 'FHIR-001', received_on: '2026-01-05', source: 'other', status: 'discharged' },
      { source_record_id: 'FHIR-002', received_on: '2026-01-20', source: 'carer', status: 'received' },
      { source_record_id: 'FHIR-003', received_on: '2026-03-01', source: 'self', status: 'received' },
    ]);
    expect(referrals[0]!.person_id).toBe(referrals[2]!.person_id);

    const episode = await store.db.selectFrom('episode').selectAll().where('referral_id', '=', referrals[0]!.id).executeTakeFirstOrThrow();
    expect(episode).toMatchObject({ pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-01-05', clock_stopped_on: '2026-02-02', first_contact_on: '2026-02-02', contacts_attended: 2, contacts_cancelled: 1 });
    const responses = await store.db.selectFrom('outcome_response').select(['instrument', 'timepoint', 'recorded_on', 'score']).where('episode_id', '=', episode.id).orderBy('recorded_on').execute();
    expect(responses).toEqual([
      { instrument: 'SWEMWBS', timepoint: 'baseline', recorded_on: '2026-02-02', score: 17.43 },
      { instrument: 'SWEMWBS', timepoint: 'discharge', recorded_on: '2026-03-30', score: 24.11 },
    ]);
    const discharge = await store.db.selectFrom('discharge').selectAll().where('referral_id', '=', referrals[0]!.id).executeTakeFirstOrThrow();
    expect(discharge).toMatchObject({ discharged_on: '2026-04-01', reason: 'goals_met', outcomes: ['gp_appointment_avoided', 'self_management_plan'] });
    const run = await store.db.selectFrom('import_run').selectAll().where('id', '=', summary.importRun!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: 'fhir_bundle', outcome: 'committed', rows_inserted: 3 });
    expect(run.file_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('imports the same bundle twice without changing anything', async () => {
    const service = await newService();
    await importFhirBundle(store, goodBundle, { actor: testSystemActor, service: service.code, today });
    const before = await counts();
    const logBefore = await log();
    const versions = await sql`select source_record_id, version, updated_at from referral where service_id = ${service.id} order by 1`.execute(store.db);
    const again = await importFhirBundle(store, goodBundle, { actor: testSystemActor, service: service.code, today });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await counts()).toEqual(before);
    expect(await log()).toEqual({ import_run: logBefore.import_run! + 1, audit_event: logBefore.audit_event! + 1 });
    expect((await sql`select source_record_id, version, updated_at from referral where service_id = ${service.id} order by 1`.execute(store.db)).rows).toEqual(versions.rows);
  });

  it('refuses a bundle with a bad NHS number, naming the entry and FHIR path of every problem', async () => {
    const service = await newService();
    const before = await counts();
    const logBefore = await log();
    const problems: RowProblem[] = [];
    const summary = await importFhirBundle(store, badBundle, { actor: testSystemActor, service: service.code, today, onProblem: (p) => void problems.push(p) });
    expect(summary).toMatchObject({ outcome: 'rejected', written: false, read: 5, rejected: 4 });
    expect(await counts()).toEqual(before);
    expect(await log()).toEqual({ import_run: logBefore.import_run! + 1, audit_event: logBefore.audit_event! + 1 });
    expect(problems).toEqual([
      { row: 1, field: 'nhs_number', path: 'Bundle.entry[0].resource.identifier[0].value', value: '', reason: 'fails the NHS number Modulus 11 check' },
      { row: 3, field: 'sex', path: 'Bundle.entry[2].resource.gender', value: 'woman', reason: 'must be male, female, other or unknown' },
      { row: 4, field: 'person_id', path: 'Bundle.entry[4].resource.subject.reference', reason: 'does not lead to a Patient in this bundle (reference not found)' },
      { row: 5, path: 'Bundle.entry[5].resource.basedOn', reason: 'Encounter is not based on a ServiceRequest in this bundle, so it cannot be imported' },
    ]);

    const partial = await importFhirBundle(store, badBundle, { actor: testSystemActor, service: service.code, today, acceptPartial: true });
    expect(partial).toMatchObject({ outcome: 'partial', inserted: 1, rejected: 4 });
    const landed = await store.db.selectFrom('referral').select(['source_record_id', 'source']).where('service_id', '=', service.id).execute();
    expect(landed).toEqual([{ source_record_id: 'GOOD-001', source: 'other' }]);
  });

  it('writes the FHIR error report with entry and path columns, without personal values', async () => {
    const service = await newService();
    const path = join(scratch, 'bundle.errors.csv');
    const report = openErrorReport(path, badBundle, 'fhir');
    await importFhirBundle(store, badBundle, { actor: testSystemActor, service: service.code, today, dryRun: true, onProblem: (p) => report.add(p) });
    await report.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('entry,path,field,value,reason');
    expect(lines[1]).toBe('1,Bundle.entry[0].resource.identifier[0].value,nhs_number,,fails the NHS number Modulus 11 check');
    expect(readFileSync(path, 'utf8')).not.toContain('9434765918');
  });

  it('stops at files that are not bundles Roots can import', async () => {
    const service = await newService();
    const file = (name: string, text: string) => {
      const path = join(scratch, name);
      writeFileSync(path, text);
      return importFhirBundle(store, path, { actor: testSystemActor, service: service.code, today });
    };
    await expect(file('not.json', '{"resourceType": "Bundle",')).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('not JSON') });
    await expect(file('patient.json', '{"resourceType": "Patient"}')).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('resourceType must be "Bundle"') });
    await expect(file('search.json', '{"resourceType": "Bundle", "type": "searchset", "entry": []}')).rejects.toMatchObject({ detail: expect.stringContaining('must be transaction, batch or collection') });
    await expect(file('empty.json', '{"resourceType": "Bundle", "type": "batch", "entry": []}')).rejects.toMatchObject({ detail: expect.stringContaining('no ServiceRequest') });
    await expect(importFhirBundle(store, join(scratch, 'absent.json'), { actor: testSystemActor, service: service.code })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
