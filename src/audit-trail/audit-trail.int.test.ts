import { testSystemActor } from '../../test/support/actors.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { referralRows } from '../../test/import/referral-rows.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import { importReferralRows } from '../imports/referral-import.service.ts';
import { exportAuditTrail } from './audit-trail.export.ts';
import { recordAuditTrail } from './audit-trail.repository.ts';
import { subjectAccessExport } from './subject-access.ts';

let store: TestStore;
let organisationId: number;
let otherOrganisationId: number;
let staffUserId: number;
const system: Actor = { kind: 'system', name: 'cli' };
const staff = (role: 'administrator' | 'therapist' | 'commissioner', organisation = organisationId): Actor => ({ kind: 'staff', userId: staffUserId, organisationId: organisation, role });

beforeAll(async () => {
  store = await createTestStore();
  organisationId = (await store.db.insertInto('organisation').values({ code: 'NORTH', name: 'North' }).returning('id').executeTakeFirstOrThrow()).id;
  otherOrganisationId = (await store.db.insertInto('organisation').values({ code: 'SOUTH', name: 'South' }).returning('id').executeTakeFirstOrThrow()).id;
  await store.db.insertInto('service').values({ organisation_id: organisationId, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
  staffUserId = (await store.db.insertInto('staff_user').values({ organisation_id: organisationId, email: 'ot@example.org', display_name: 'An OT', role: 'therapist' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await store?.close();
});

/** Every audit trail entry, oldest first. */
const trail = () => store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind', 'subject_id', 'organisation_id', 'detail']).orderBy('id').execute();

/** Collects what an export streams. */
function sink() {
  const chunks: string[] = [];
  return { chunks, write: async (chunk: string) => void chunks.push(chunk), text: () => chunks.join('') };
}

const today = () => new Date().toISOString().slice(0, 10);

describe(`the audit trail on ${testEngine}`, () => {
  it('is append-only in the database: UPDATE, DELETE and TRUNCATE all fail, and the row stays', async () => {
    // Given one entry written by the one writer
    await recordAuditTrail(store.db, { actor: system, action: 'read', subjectKind: 'person', subjectId: 1, organisationId });
    const before = await trail();
    // When anyone (the table owner included) tries to change it, then the database refuses
    await expect(store.db.updateTable('audit_event').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(sql`update audit_event set action = 'create' where id = (select min(id) from audit_event)`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event where true`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_event`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate table audit_event restart identity cascade`.execute(store.db)).rejects.toThrow(/append-only/);
    expect(await trail()).toEqual(before);
  });

  it('takes the sign-in and administration actions added in 0006, and still refuses a made-up one', async () => {
    for (const action of ['sign_in_failed', 'locked_out', 'password_reset'] as const) {
      await recordAuditTrail(store.db, { actor: 'anonymous', action, subjectKind: 'staff_user', subjectId: staffUserId, organisationId });
    }
    expect((await trail()).slice(-3).map((row) => [row.actor, row.action])).toEqual([
      ['anonymous', 'sign_in_failed'],
      ['anonymous', 'locked_out'],
      ['anonymous', 'password_reset'],
    ]);
    await expect(recordAuditTrail(store.db, { actor: system, action: 'rewrite' as never, subjectKind: 'x' })).rejects.toThrow(/check constraint/);
  });
});

describe(`roots audit-trail export on ${testEngine}`, () => {
  it('streams CSV page by page through csv-stringify, neutralising formulas, and records the export', async () => {
    // Given entries whose text would run as a spreadsheet formula, in two organisations
    await recordAuditTrail(store.db, { actor: '=HYPERLINK("http://evil")', action: 'read', subjectKind: '+sum', subjectId: '-1', organisationId, detail: { note: 'a, "quoted" value' } });
    await recordAuditTrail(store.db, { actor: system, action: 'read', subjectKind: 'service', subjectId: 7, organisationId: otherOrganisationId });
    const total = (await trail()).length;
    // When the system actor exports today with pages of 2 entries
    const out = sink();
    const done = await exportAuditTrail(store.db, system, { from: today(), to: today(), format: 'csv', pageSize: 2 }, out.write);
    // Then every entry is there once, written in more than one chunk, with one header
    expect(done.entries).toBe(total);
    expect(out.chunks.length).toBeGreaterThan(2);
    const rows = parse(out.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((row) => row.id)).size).toBe(total);
    const evil = rows.find((row) => row.actor!.includes('HYPERLINK'))!;
    expect(evil).toMatchObject({ actor: `'=HYPERLINK("http://evil")`, subject_kind: "'+sum", subject_id: "'-1", action: 'read' });
    expect(JSON.parse(evil.detail!)).toEqual({ note: 'a, "quoted" value' });
    // And the export itself is the newest entry
    expect((await trail()).at(-1)).toMatchObject({ actor: 'system:cli', action: 'export', subject_kind: 'audit_trail', detail: { from: today(), to: today(), format: 'csv', entries: total } });
  });

  it('writes a JSON array, and keeps an administrator to their own organisation', async () => {
    const ours = (await trail()).filter((row) => row.organisation_id === organisationId).length;
    const out = sink();
    await exportAuditTrail(store.db, staff('administrator'), { from: today(), to: today(), format: 'json', pageSize: 3 }, out.write);
    const entries = JSON.parse(out.text()) as { organisation_id: number | null }[];
    expect(entries.length).toBeGreaterThan(3);
    expect(entries).toHaveLength(ours);
    expect(entries.every((entry) => entry.organisation_id === organisationId)).toBe(true);
    expect((await trail()).at(-1)).toMatchObject({ actor: `staff:${staffUserId}`, action: 'export', organisation_id: organisationId });
  });

  it('finds nothing outside the window, and refuses an impossible day or a window that ends before it starts', async () => {
    const out = sink();
    expect((await exportAuditTrail(store.db, system, { from: '2020-01-01', to: '2020-12-31', format: 'json' }, out.write)).entries).toBe(0);
    expect(JSON.parse(out.text())).toEqual([]);
    await expect(exportAuditTrail(store.db, system, { from: '2026-02-30', to: '2026-03-01', format: 'csv' }, sink().write)).rejects.toThrow(/--from must be a day that exists/);
    await expect(exportAuditTrail(store.db, system, { from: '2026-03-02', to: '2026-03-01', format: 'csv' }, sink().write)).rejects.toThrow(/before --from/);
  });

  it('refuses a therapist, records the refusal and writes nothing', async () => {
    const out = sink();
    await expect(exportAuditTrail(store.db, staff('therapist'), { from: today(), to: today(), format: 'csv' }, out.write)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(out.chunks).toEqual([]);
    expect((await trail()).at(-1)).toMatchObject({ actor: `staff:${staffUserId}`, action: 'denied', subject_kind: 'audit_trail', detail: { wanted: 'export' } });
  });
});

describe(`roots person export (subject access) on ${testEngine}`, () => {
  let personId: number;
  let episodeId: number;
  let nhsNumber: string;

  beforeAll(async () => {
    // Given imported referrals (several people have more than one) and staff work on one episode
    const summary = await importReferralRows(store, referralRows(40, { seed: 11, peopleShare: 0.5 }), { service: 'NORTH/ot', actor: testSystemActor });
    expect(summary.rejected).toBe(0);
    const busiest = await store.db
      .selectFrom('person')
      .innerJoin('referral', 'referral.person_id', 'person.id')
      .innerJoin('episode', 'episode.referral_id', 'referral.id')
      .select(['person.id', 'person.nhs_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('person.nhs_number', 'is not', null)
      .groupBy(['person.id', 'person.nhs_number'])
      .orderBy('n', 'desc')
      .orderBy('person.id')
      .executeTakeFirstOrThrow();
    personId = busiest.id;
    nhsNumber = busiest.nhs_number!;
    episodeId = (await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').select('episode.id').where('referral.person_id', '=', personId).orderBy('episode.id').executeTakeFirstOrThrow()).id;
    await store.db.insertInto('allocation').values({ episode_id: episodeId, staff_user_id: staffUserId, allocated_on: '2025-06-01' }).execute();
    const contact = await store.db.insertInto('contact').values({ episode_id: episodeId, staff_user_id: staffUserId, starts_at: new Date('2025-06-02T10:00:00Z'), mode: 'phone', attendance: 'attended' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('intervention').values({ contact_id: contact.id, kind: 'self_management' }).execute();
    await recordAuditTrail(store.db, { actor: staff('therapist'), action: 'read', subjectKind: 'person', subjectId: personId, organisationId });
    await recordAuditTrail(store.db, { actor: staff('therapist'), action: 'update', subjectKind: 'episode', subjectId: episodeId, organisationId });
    await recordAuditTrail(store.db, { actor: staff('therapist'), action: 'read', subjectKind: 'person', subjectId: personId + 1, organisationId });
  });

  it('gathers every row held about the person, and the audit trail about those rows, and records itself', async () => {
    const person = await store.db.selectFrom('person').select('source_person_id').where('id', '=', personId).executeTakeFirstOrThrow();
    const found = await subjectAccessExport(store.db, system, { organisationCode: 'NORTH', sourcePersonId: person.source_person_id });
    expect(found.organisation).toEqual({ code: 'NORTH', name: 'North' });
    expect(found.people).toHaveLength(1);
    const record = found.people[0]!;
    expect(record.person).toMatchObject({ id: personId, nhs_number: nhsNumber, source_person_id: person.source_person_id });

    // Every table, checked against the database by a join of its own
    const referralIds = (await store.db.selectFrom('referral').select('id').where('person_id', '=', personId).orderBy('id').execute()).map((row) => row.id);
    expect(referralIds.length).toBeGreaterThan(1);
    expect(record.referrals.map((row) => row.id)).toEqual(referralIds);
    const ofPerson = <T extends 'triage' | 'discharge' | 'episode'>(table: T) =>
      sql<{ n: number }>`select count(*) as n from ${sql.table(table)} t join referral r on r.id = t.referral_id where r.person_id = ${personId}`.execute(store.db).then((result) => result.rows[0]!.n);
    expect(record.triage).toHaveLength(await ofPerson('triage'));
    expect(record.discharges).toHaveLength(await ofPerson('discharge'));
    expect(record.episodes).toHaveLength(await ofPerson('episode'));
    const ofEpisodes = (table: 'waiting_clock_event' | 'outcome_response') =>
      sql<{ n: number }>`select count(*) as n from ${sql.table(table)} t join episode e on e.id = t.episode_id join referral r on r.id = e.referral_id where r.person_id = ${personId}`.execute(store.db).then((result) => result.rows[0]!.n);
    expect(record.clockEvents).toHaveLength(await ofEpisodes('waiting_clock_event'));
    expect(record.clockEvents.length).toBeGreaterThan(0);
    expect(record.outcomeResponses).toHaveLength(await ofEpisodes('outcome_response'));
    expect(record.allocations).toEqual([expect.objectContaining({ episode_id: episodeId, staff_user_id: staffUserId })]);
    expect(record.contacts).toEqual([expect.objectContaining({ episode_id: episodeId, mode: 'phone' })]);
    expect(record.interventions).toEqual([expect.objectContaining({ kind: 'self_management' })]);

    // The trail about this person and their records, not about anyone else; the export is in it
    expect(record.auditTrail.map((entry) => [entry.action, entry.subjectKind, entry.subjectId])).toEqual([
      ['read', 'person', String(personId)],
      ['update', 'episode', String(episodeId)],
      ['export', 'person', String(personId)],
    ]);
    expect((await trail()).at(-1)).toMatchObject({ actor: 'system:cli', action: 'export', subject_kind: 'person', subject_id: String(personId), detail: { purpose: 'subject_access', referrals: referralIds.length } });
  });

  it('finds the person by NHS number too (spaces allowed), and refuses a bad one', async () => {
    const spaced = `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
    const found = await subjectAccessExport(store.db, staff('therapist'), { organisationCode: 'NORTH', nhsNumber: spaced });
    expect(found.people.map((record) => record.person.id)).toEqual([personId]);
    await expect(subjectAccessExport(store.db, system, { organisationCode: 'NORTH', nhsNumber: '1234567890' })).rejects.toThrow(/not a valid NHS number/);
    await expect(subjectAccessExport(store.db, system, { organisationCode: 'NORTH' })).rejects.toThrow(/exactly one/);
    await expect(subjectAccessExport(store.db, system, { organisationCode: 'NORTH', sourcePersonId: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a commissioner and staff of another organisation, recording each refusal', async () => {
    const before = (await trail()).length;
    await expect(subjectAccessExport(store.db, staff('commissioner'), { organisationCode: 'NORTH', nhsNumber })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(subjectAccessExport(store.db, staff('therapist', otherOrganisationId), { organisationCode: 'NORTH', nhsNumber })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const after = await trail();
    expect(after.slice(before).map((row) => [row.action, row.subject_kind, row.organisation_id])).toEqual([
      ['denied', 'organisation', organisationId],
      ['denied', 'organisation', organisationId],
    ]);
  });
});
