import { testSystemActor } from '../../test/support/actors.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import type { RowProblem } from '../imports/import.types.ts';
import { importReferralCsv } from '../imports/referral-import.service.ts';
import { storeStatus } from '../store/migrate.ts';
import { recordTriage } from './triage.service.ts';

/**
 * Who owns a referral (docs/adr/0008). Given a CSV import and staff triage of some of its
 * referrals in Roots, when the file is imported again with those rows (and others) changed,
 * then the staff work is intact, what the source owns is updated, each conflict is reported on
 * its row, the other rows change as before, and the same file twice still changes nothing.
 */
const fixtures = new URL('../../test/fixtures/imports/', import.meta.url).pathname;
const goodFile = join(fixtures, 'referrals-good.csv');
const today = '2026-11-21';
const service = 'OWN/ot';

let store: TestStore;
let scratch: string;
let serviceId: number;
let therapist: Actor;
let commissioner: Actor;
let outsider: Actor;

beforeAll(async () => {
  store = await createTestStore();
  scratch = mkdtempSync(join(tmpdir(), 'roots-ownership-'));
  await store.db
    .insertInto('ref_postcode')
    .values([
      { postcode: 'DT1 1AA', area_code: 'E01032643', terminated: null },
      { postcode: 'DT1 1AB', area_code: 'E01020518', terminated: null },
    ])
    .execute();
  const own = await store.db.insertInto('organisation').values({ code: 'OWN', name: 'Own' }).returning('id').executeTakeFirstOrThrow();
  const other = await store.db.insertInto('organisation').values({ code: 'OTHER', name: 'Other' }).returning('id').executeTakeFirstOrThrow();
  serviceId = (await store.db.insertInto('service').values({ organisation_id: own.id, code: 'ot', name: 'OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
  const staff = async (organisationId: number, role: 'therapist' | 'commissioner' | 'team_lead', email: string): Promise<Actor> => {
    const user = await store.db.insertInto('staff_user').values({ organisation_id: organisationId, email, display_name: role, role }).returning('id').executeTakeFirstOrThrow();
    return { kind: 'staff', userId: user.id, organisationId, role };
  };
  therapist = await staff(own.id, 'therapist', 'therapist@example.org');
  commissioner = await staff(own.id, 'commissioner', 'commissioner@example.org');
  outsider = await staff(other.id, 'team_lead', 'lead@example.org');
});
afterAll(async () => {
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The good fixture with some cells of some rows changed (no cell there holds a comma). */
function changedFile(name: string, changes: Record<string, Record<string, string>>): string {
  const [header, ...lines] = readFileSync(goodFile, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\n');
  const columns = header!.split(',');
  const out = lines.map((line) => {
    const cells = line.split(',');
    for (const [column, value] of Object.entries(changes[cells[0]!] ?? {})) cells[columns.indexOf(column)] = value;
    return cells.join(',');
  });
  const path = join(scratch, name);
  writeFileSync(path, [header, ...out].join('\n') + '\n');
  return path;
}

const referralId = async (sourceRecordId: string) =>
  (await store.db.selectFrom('referral').select('id').where('service_id', '=', serviceId).where('source_record_id', '=', sourceRecordId).executeTakeFirstOrThrow()).id;

async function journeyOf(sourceRecordId: string) {
  const id = await referralId(sourceRecordId);
  const referral = await store.db
    .selectFrom('referral')
    .innerJoin('person', 'person.id', 'referral.person_id')
    .select(['referral.status', 'referral.source', 'referral.version', 'referral.area_code', 'person.postcode', 'referral.staff_acted_at'])
    .where('referral.id', '=', id)
    .executeTakeFirstOrThrow();
  const triage = await store.db.selectFrom('triage').select(['triaged_on', 'pathway_code', 'priority', 'outcome', 'triaged_by', 'recorded_in']).where('referral_id', '=', id).executeTakeFirst();
  const discharge = await store.db.selectFrom('discharge').select(['discharged_on', 'reason', 'recorded_in']).where('referral_id', '=', id).executeTakeFirst();
  const episode = await store.db.selectFrom('episode').select(['id', 'pathway_code', 'priority', 'clock_started_on', 'clock_stopped_on']).where('referral_id', '=', id).executeTakeFirst();
  const clock = episode
    ? await store.db.selectFrom('waiting_clock_event').select(['kind', 'occurred_on', 'recorded_in']).where('episode_id', '=', episode.id).orderBy('occurred_on').orderBy('kind').execute()
    : [];
  const outcomes = episode
    ? await store.db.selectFrom('outcome_response').select(['timepoint', 'score', 'recorded_in']).where('episode_id', '=', episode.id).orderBy('timepoint').execute()
    : [];
  return { referral, triage, discharge, episode, clock, outcomes };
}

const notices = () => {
  const seen: RowProblem[] = [];
  return { seen, onNotice: (notice: RowProblem) => void seen.push(notice) };
};

describe(`who owns a referral, on ${testEngine}`, () => {
  it('keeps staff triage through a re-import that changes the row, updates what the source owns and reports the conflict on its row', async () => {
    // Given the file imported, and staff triaging two of its referrals in Roots:
    // R001 (not triaged in the file) accepted, R003 (accepted in the file) raised to P1.
    await importReferralCsv(store, goodFile, { actor: testSystemActor, service, today });
    const [idR001, idR003] = [await referralId('R001'), await referralId('R003')];
    const triaged = await (async () => {
      const one = await recordTriage(store.db, therapist, idR001, { triagedOn: '2026-01-06', pathway: 'mental_health', priority: 'P2', outcome: 'accept' });
      const three = await recordTriage(store.db, therapist, idR003, { triagedOn: '2026-01-09', pathway: 'mental_health', priority: 'P1', outcome: 'accept', notes: 'risk noted on the phone' });
      return [one, three];
    })();
    expect(triaged.map((t) => t.status)).toEqual(['waiting', 'in_treatment']);
    const staffR001 = await journeyOf('R001');
    expect(staffR001.triage).toEqual({ triaged_on: '2026-01-06', pathway_code: 'mental_health', priority: 'P2', outcome: 'accept', triaged_by: (therapist as { userId: number }).userId, recorded_in: 'roots' });
    expect(staffR001.referral.staff_acted_at).not.toBeNull();
    expect(staffR001.clock).toEqual([{ kind: 'start', occurred_on: '2026-01-05', recorded_in: 'roots' }]);
    const staffR003 = await journeyOf('R003');
    const untouched = await journeyOf('R005');
    expect(untouched.referral.staff_acted_at).toBeNull();

    // When the file comes again with R001 triaged and discharged by the source, a new postcode
    // and referral source; R003 discharged with a final score; and R004 (no one acted on it in
    // Roots) discharged for another reason:
    const changed = changedFile('changed.csv', {
      R001: { postcode: 'DT1 1AB', referral_source: 'gp', triage_date: '2026-01-07', pathway: 'signpost', triage_outcome: 'advice_discharge', discharge_date: '2026-01-07', discharge_reason: 'advice_given' },
      R003: { discharge_date: '2026-03-20', discharge_reason: 'goals_met', outcome_final_score: '25' },
      R004: { discharge_reason: 'moved_away' },
    });
    const { seen, onNotice } = notices();
    const summary = await importReferralCsv(store, changed, { actor: testSystemActor, service, today, onNotice });

    // Then the rows are updated, and each conflict is reported on its row and line.
    expect(summary).toMatchObject({ outcome: 'committed', inserted: 0, updated: 3, unchanged: 7, rejected: 0, notices: 2 });
    expect(seen).toEqual([
      { row: 1, line: 2, reason: expect.stringMatching(/^triaged in Roots on 2026-01-06; the file's triage, waiting list, outcome and discharge were not applied/) },
      { row: 3, line: 4, reason: expect.stringMatching(/^triaged in Roots on 2026-01-09;/) },
    ]);
    // R001: the staff triage and its clock are intact; what the source owns is updated.
    const afterR001 = await journeyOf('R001');
    expect(afterR001.triage).toEqual(staffR001.triage);
    expect(afterR001.discharge).toBeUndefined();
    expect(afterR001.clock).toEqual(staffR001.clock);
    expect(afterR001.episode).toEqual(staffR001.episode);
    expect(afterR001.referral).toMatchObject({ status: 'waiting', source: 'gp', postcode: 'DT1 1AB', area_code: 'E01020518', version: staffR001.referral.version + 1 });
    // R003: staff triage, the source's earlier clock and baseline kept; the file's discharge not applied.
    const afterR003 = await journeyOf('R003');
    expect(afterR003.triage).toEqual(staffR003.triage);
    expect(afterR003.triage).toMatchObject({ priority: 'P1', recorded_in: 'roots' });
    expect(afterR003.discharge).toBeUndefined();
    expect(afterR003.outcomes).toEqual(staffR003.outcomes);
    expect(afterR003.clock).toEqual(staffR003.clock);
    expect(afterR003.episode).toMatchObject({ priority: 'P1' });
    expect(afterR003.referral.status).toBe('in_treatment');
    // R004, which the source still owns, is rewritten as before.
    expect((await journeyOf('R004')).discharge).toEqual({ discharged_on: '2026-04-01', reason: 'moved_away', recorded_in: 'source' });

    // And the same file again changes nothing and reports nothing.
    const before = (await storeStatus(store)).counts;
    const again = notices();
    const second = await importReferralCsv(store, changed, { actor: testSystemActor, service, today, onNotice: again.onNotice });
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 10, notices: 0 });
    expect(again.seen).toEqual([]);
    expect((await storeStatus(store)).counts).toEqual(before);
    expect(await journeyOf('R001')).toEqual(afterR001);
  });

  it('updates a row staff have acted on without a notice when the file changed only what the source owns', async () => {
    const file = changedFile('postcode-only.csv', {
      R001: { postcode: 'DT1 1AA', referral_source: 'gp', triage_date: '2026-01-07', pathway: 'signpost', triage_outcome: 'advice_discharge', discharge_date: '2026-01-07', discharge_reason: 'advice_given' },
      R003: { discharge_date: '2026-03-20', discharge_reason: 'goals_met', outcome_final_score: '25' },
      R004: { discharge_reason: 'moved_away' },
    });
    const { seen, onNotice } = notices();
    const dryRun = await importReferralCsv(store, file, { actor: testSystemActor, service, today, dryRun: true, onNotice });
    expect(dryRun).toMatchObject({ updated: 1, unchanged: 9, notices: 0 });
    const summary = await importReferralCsv(store, file, { actor: testSystemActor, service, today, onNotice });
    expect(summary).toMatchObject({ updated: 1, unchanged: 9, notices: 0 });
    expect(seen).toEqual([]);
    expect((await journeyOf('R001')).referral).toMatchObject({ postcode: 'DT1 1AA', status: 'waiting' });
    expect((await journeyOf('R001')).triage).toMatchObject({ recorded_in: 'roots', outcome: 'accept' });
  });

  it('reports the conflict in a dry run as a write would, and writes nothing', async () => {
    // R003 and R004 as last imported; R001's journey changed again.
    const file = changedFile('dry.csv', {
      R001: { triage_date: '2026-01-08', pathway: 'work_health', triage_outcome: 'redirect', postcode: 'DT1 1AA', referral_source: 'gp' },
      R003: { discharge_date: '2026-03-20', discharge_reason: 'goals_met', outcome_final_score: '25' },
      R004: { discharge_reason: 'moved_away' },
    });
    const { seen, onNotice } = notices();
    const before = await journeyOf('R001');
    const summary = await importReferralCsv(store, file, { actor: testSystemActor, service, today, dryRun: true, onNotice });
    expect(summary).toMatchObject({ written: false, notices: 1 });
    expect(seen).toEqual([{ row: 1, line: 2, reason: expect.stringContaining('triaged in Roots on 2026-01-06') }]);
    expect(await journeyOf('R001')).toEqual(before);
  });

  it('lets only staff who may see and change the referral triage it, and audits a refusal', async () => {
    const id = await referralId('R005');
    const decision = { triagedOn: '2026-01-10', pathway: 'signpost', priority: null, outcome: 'redirect' } as const;
    const attempt = (actor: Actor) => recordTriage(store.db, actor, id, decision).catch((error: unknown) => error);
    expect(await attempt(commissioner)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await attempt(outsider)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await attempt({ kind: 'system', name: 'cli' })).toMatchObject({ code: 'NOT_FOUND' });
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'subject_id']).where('action', '=', 'denied').where('subject_kind', '=', 'referral').execute();
    expect(denied).toHaveLength(3);
    expect(denied.every((row) => row.subject_id === String(id))).toBe(true);
    expect((await journeyOf('R005')).triage).toMatchObject({ recorded_in: 'source', outcome: 'advice_discharge' });
    // A bad decision is refused field by field, and nothing changes.
    const bad = await recordTriage(store.db, therapist, id, { ...decision, triagedOn: '2026-02-30', outcome: 'accept' }).catch((error: unknown) => error);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', problems: expect.arrayContaining([expect.objectContaining({ field: 'triagedOn' }), expect.objectContaining({ field: 'priority' })]) });
    const early = await recordTriage(store.db, therapist, id, { ...decision, triagedOn: '2026-01-01' }).catch((error: unknown) => error);
    expect(early).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'triagedOn', reason: 'is before the referral was received' }] });
    // The staff triage is audited as a change to the referral, without personal data.
    const audited = await store.db.selectFrom('audit_event').select(['actor', 'detail']).where('action', '=', 'update').where('subject_kind', '=', 'referral').execute();
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ actor: `staff:${(therapist as { userId: number }).userId}`, detail: { change: 'triage', outcome: 'accept' } });
  });
});
