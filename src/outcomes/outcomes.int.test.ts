import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import { refreshReferralFacts } from '../equity/audit/audit.queries.ts';
import { waitingEpisode } from '../../test/support/outcomes.fixture.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { createStaffUser } from '../../test/support/sign-in.ts';
import { dischargeEpisode, recordOutcome, saveWorkReport, viewEpisodeOutcomes, type WorkReportInput } from './outcomes.service.ts';

const today = '2026-11-21';
const staff = (user: { id: number; organisationId: number; role: Actor extends infer A ? (A extends { role: infer R } ? R : never) : never }): Actor => ({ kind: 'staff', userId: user.id, organisationId: user.organisationId, role: user.role });

// Given a service with people on its waiting list, when a therapist records outcomes, discharges
// and writes a work report, then scores follow the published tables, the equity audit's facts
// show them after the refresh the audit runs, the clock stops through its writer, a second
// discharge is refused, commissioners and other organisations are refused, and every read and
// change is in the audit trail.
describe(`outcomes, discharge and work reports on ${testEngine}`, () => {
  let store: TestStore;
  let ot: Actor;
  let lead: Actor;
  let admin: Actor;
  let commissioner: Actor;
  let outsider: Actor;
  let service: { id: number; organisationId: number };

  beforeAll(async () => {
    store = await createTestStore();
    const mine = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const icb = (await store.db.insertInto('organisation').values({ code: 'ICB', name: 'ICB', kind: 'commissioner' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = (await store.db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    const serviceId = (await store.db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    await store.db.insertInto('commissioning').values({ commissioner_organisation_id: icb, service_id: serviceId, commissioned_from: '2026-01-01' }).execute();
    service = { id: serviceId, organisationId: mine };
    ot = staff(await createStaffUser(store, { organisationId: mine, role: 'therapist' }));
    lead = staff(await createStaffUser(store, { organisationId: mine, role: 'team_lead' }));
    admin = staff(await createStaffUser(store, { organisationId: mine, role: 'administrator' }));
    commissioner = staff(await createStaffUser(store, { organisationId: icb, role: 'commissioner' }));
    outsider = staff(await createStaffUser(store, { organisationId: theirs, role: 'therapist' }));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('scores SWEMWBS from seven answers by the table, shows the change against its named threshold, and the audit facts carry baseline and final', async () => {
    const { referralId, episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-1');
    // Raw 17 -> 16.88 (baseline); raw 23 -> 20.73 (review); raw 27 -> 24.11 (discharge).
    const baseline = await recordOutcome(store.db, ot, episodeId, { instrument: 'SWEMWBS', timepoint: 'baseline', recordedOn: '2026-10-05', items: [2, 2, 3, 2, 3, 2, 3] }, today);
    expect(baseline.score).toBe(16.88);
    await recordOutcome(store.db, ot, episodeId, { instrument: 'SWEMWBS', timepoint: 'review', recordedOn: '2026-10-20', items: [3, 3, 4, 3, 4, 3, 3] }, today);
    await recordOutcome(store.db, lead, episodeId, { instrument: 'SWEMWBS', timepoint: 'discharge', recordedOn: '2026-11-10', items: [4, 4, 4, 4, 4, 4, 3] }, today);
    const view = await viewEpisodeOutcomes(store.db, ot, episodeId, today, 'outcomes');
    const swemwbs = view.instruments.find((entry) => entry.instrument === 'SWEMWBS')!;
    expect(swemwbs.responses.map((r) => [r.timepoint, r.score, r.change?.change ?? null, r.change?.verdict ?? null])).toEqual([
      ['baseline', 16.88, null, null],
      ['review', 20.73, 3.85, 'improved'],
      ['discharge', 24.11, 7.23, 'improved'],
    ]);
    expect(swemwbs.responses[1]!.change!.threshold!.source).toContain('Shah');
    expect(swemwbs.responses[0]!.itemScores).toEqual({ items: [2, 2, 3, 2, 3, 2, 3], raw: 17 });
    await refreshReferralFacts(store.db);
    const fact = await store.db.selectFrom('outcome_fact').select(['instrument', 'baseline', 'baseline_on', 'final', 'final_on', 'pathway']).where('referral_id', '=', referralId).execute();
    expect(fact.map((f) => ({ ...f, baseline: Number(f.baseline), final: Number(f.final), baseline_on: String(f.baseline_on).slice(0, 10), final_on: String(f.final_on).slice(0, 10) }))).toEqual([
      { instrument: 'SWEMWBS', baseline: 16.88, baseline_on: '2026-10-05', final: 24.11, final_on: '2026-11-10', pathway: 'work_health' },
    ]);
    const rows = await store.db.selectFrom('outcome_response').select(['recorded_in', 'recorded_by']).where('episode_id', '=', episodeId).execute();
    expect(rows.every((row) => row.recorded_in === 'roots' && row.recorded_by !== null)).toBe(true);
  });

  it('scores GAS, FFT and the score-only instruments, refusing values off their scales and a second response at one timepoint', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-2');
    const gas = await recordOutcome(store.db, ot, episodeId, { instrument: 'GAS', timepoint: 'baseline', recordedOn: '2026-10-05', goals: [{ attainment: -1 }, { attainment: -1 }, { attainment: -1 }] }, today);
    expect(gas.score).toBe(36.31);
    const end = await recordOutcome(store.db, ot, episodeId, { instrument: 'GAS', timepoint: 'discharge', recordedOn: '2026-11-05', goals: [{ attainment: 2, weight: 2 }, { attainment: -1, weight: 1 }] }, today);
    expect(end.score).toBe(62.05);
    await recordOutcome(store.db, ot, episodeId, { instrument: 'FFT', timepoint: 'discharge', recordedOn: '2026-11-05', answer: 2 }, today);
    await recordOutcome(store.db, ot, episodeId, { instrument: 'COPM_PERFORMANCE', timepoint: 'baseline', recordedOn: '2026-10-05', score: 3.4 }, today);
    await recordOutcome(store.db, ot, episodeId, { instrument: 'COPM_PERFORMANCE', timepoint: 'review', recordedOn: '2026-10-25', score: 5.2 }, today);
    await recordOutcome(store.db, ot, episodeId, { instrument: 'TOMS', timepoint: 'baseline', recordedOn: '2026-10-05', score: 2.5 }, today);
    const view = await viewEpisodeOutcomes(store.db, ot, episodeId, today, 'outcomes');
    const copm = view.instruments.find((entry) => entry.instrument === 'COPM_PERFORMANCE')!;
    expect(copm.responses[1]!.change).toMatchObject({ change: 1.8, verdict: 'no_meaningful_change', threshold: { change: 2 } });
    expect(view.instruments.find((entry) => entry.instrument === 'GAS')!.responses[1]!.change).toMatchObject({ change: 25.74, verdict: 'improved' });
    expect(view.instruments.find((entry) => entry.instrument === 'FFT')!.responses[0]!.change).toBeNull();

    const refused = async (input: Parameters<typeof recordOutcome>[3]) => {
      const error = await recordOutcome(store.db, ot, episodeId, input, today).catch((e: unknown) => e);
      return (error as { code?: string; problems?: { field?: string }[] });
    };
    expect(await refused({ instrument: 'SWEMWBS', timepoint: 'review', recordedOn: '2026-10-20', items: [3, 3, 3, 3, 3, 3, 6] })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'items.6' }] });
    expect(await refused({ instrument: 'SWEMWBS', timepoint: 'review', recordedOn: '2026-10-20', items: [3, 3, 3] })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'items' }] });
    expect(await refused({ instrument: 'GAS', timepoint: 'review', recordedOn: '2026-10-20', goals: [{ attainment: 3 }] })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'goals.0.attainment' }] });
    expect(await refused({ instrument: 'TOMS', timepoint: 'review', recordedOn: '2026-10-20', score: 3.3 })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'score' }] });
    expect(await refused({ instrument: 'MOHOST', timepoint: 'review', recordedOn: '2026-12-20', score: 3 })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'recordedOn' }] });
    expect(await refused({ instrument: 'MOHOST', timepoint: 'review', recordedOn: '2026-09-20', score: 3 })).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'recordedOn' }] });
    expect(await refused({ instrument: 'TOMS', timepoint: 'baseline', recordedOn: '2026-10-06', score: 3 })).toMatchObject({ code: 'ALREADY_EXISTS' });
    // The database holds the same ranges: a writer that skipped the service still cannot store one off the scale.
    await expect(store.db.insertInto('outcome_response').values({ episode_id: episodeId, instrument: 'COPM_SATISFACTION', timepoint: 'baseline', recorded_on: '2026-10-05', score: 11, item_scores: null }).execute()).rejects.toThrow();
  });

  it('discharges a person still waiting: clock stopped through the writer, status moved, allocation ended, facts updated; a second discharge is refused', async () => {
    const { referralId, episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-3');
    const therapistRow = await store.db.selectFrom('staff_user').select('id').where('role', '=', 'therapist').executeTakeFirstOrThrow();
    await store.db.insertInto('allocation').values({ episode_id: episodeId, staff_user_id: therapistRow.id, allocated_on: '2026-10-10' }).execute();
    const result = await dischargeEpisode(store.db, ot, episodeId, { dischargedOn: '2026-11-12', reason: 'goals_met', outcomes: ['gp_appointment_avoided', 'stayed_in_work'] }, today);
    expect(result).toEqual({ referralId, clockStopped: true, allocationsEnded: 1 });
    const events = await store.db.selectFrom('waiting_clock_event').select(['kind', 'reason', 'recorded_in']).where('episode_id', '=', episodeId).orderBy('id').execute();
    expect(events).toEqual([
      { kind: 'start', reason: 'referral_received', recorded_in: 'roots' },
      { kind: 'stop', reason: 'discharged', recorded_in: 'roots' },
    ]);
    const episode = await store.db.selectFrom('episode').select('clock_stopped_on').where('id', '=', episodeId).executeTakeFirstOrThrow();
    expect(String(episode.clock_stopped_on).slice(0, 10)).toBe('2026-11-12');
    const referral = await store.db.selectFrom('referral').select('status').where('id', '=', referralId).executeTakeFirstOrThrow();
    expect(referral.status).toBe('discharged');
    const allocation = await store.db.selectFrom('allocation').select('ended_on').where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    expect(String(allocation.ended_on).slice(0, 10)).toBe('2026-11-12');
    await refreshReferralFacts(store.db);
    const fact = await store.db.selectFrom('referral_fact').select(['discharged_on', 'discharge_outcomes', 'clock_stopped_on']).where('referral_id', '=', referralId).executeTakeFirstOrThrow();
    expect({ ...fact, discharged_on: String(fact.discharged_on).slice(0, 10), clock_stopped_on: String(fact.clock_stopped_on).slice(0, 10) }).toEqual({
      discharged_on: '2026-11-12',
      discharge_outcomes: ['gp_appointment_avoided', 'stayed_in_work'],
      clock_stopped_on: '2026-11-12',
    });
    const again = await dischargeEpisode(store.db, lead, episodeId, { dischargedOn: '2026-11-13', reason: 'other', outcomes: [] }, today).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'ALREADY_EXISTS' });
    const view = await viewEpisodeOutcomes(store.db, ot, episodeId, today, 'discharge');
    expect(view.mayDischarge).toBe(false);
    expect(view.discharge).toMatchObject({ reason: 'goals_met', recordedIn: 'roots' });
  });

  it('discharges someone already seen without a second clock stop, and refuses unknown codes', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-4');
    const { recordClockEvents } = await import('../waiting-list/clock-event.writer.ts');
    await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-10-15', kind: 'stop', reason: 'first_contact' }]));
    await store.db.updateTable('referral').set({ status: 'in_treatment' }).where('id', '=', (await store.db.selectFrom('episode').select('referral_id').where('id', '=', episodeId).executeTakeFirstOrThrow()).referral_id).execute();
    const bad = await dischargeEpisode(store.db, ot, episodeId, { dischargedOn: '2026-11-12', reason: 'goals_met', outcomes: ['cured' as never] }, today).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'outcomes' }] });
    const result = await dischargeEpisode(store.db, ot, episodeId, { dischargedOn: '2026-11-12', reason: 'goals_met', outcomes: ['returned_to_work'] }, today);
    expect(result.clockStopped).toBe(false);
    const stops = await store.db.selectFrom('waiting_clock_event').select('reason').where('episode_id', '=', episodeId).where('kind', '=', 'stop').execute();
    expect(stops).toEqual([{ reason: 'first_contact' }]);
  });

  const report = (fields: Partial<WorkReportInput> = {}): WorkReportInput => ({
    fitness: 'may_be_fit',
    phasedReturn: true,
    alteredHours: true,
    difficulties: 'Fatigue after two hours at a desk; difficulty with the commute at peak times.',
    recommendations: 'Start at four hours a day for four weeks, with a later start.',
    practitionerName: 'Sam Hughes',
    hcpcNumber: 'ot 12345',
    assessedOn: '2026-11-02',
    reviewOn: '2026-12-02',
    expectedVersion: 0,
    ...fields,
  });

  it('saves the work report as versions, validating the HCPC number and the advice, and refuses a stale save', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-5');
    const problems = async (input: WorkReportInput) => ((await saveWorkReport(store.db, ot, episodeId, input, today).catch((e: unknown) => e)) as { problems?: { field?: string }[] }).problems?.map((p) => p.field);
    expect(await problems(report({ hcpcNumber: 'GMC1234567' }))).toEqual(['hcpcNumber']);
    expect(await problems(report({ hcpcNumber: 'XX12345' }))).toEqual(['hcpcNumber']);
    expect(await problems(report({ fitness: 'fit' }))).toEqual(['adjustments']);
    expect(await problems(report({ recommendations: '' }))).toEqual(['recommendations']);
    expect(await problems(report({ reviewOn: '2026-11-01' }))).toEqual(['reviewOn']);
    expect(await problems(report({ difficulties: '' }))).toEqual(['difficulties']);
    expect(await saveWorkReport(store.db, ot, episodeId, report(), today)).toEqual({ version: 1 });
    const stale = await saveWorkReport(store.db, lead, episodeId, report({ alteredHours: false }), today).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect(await saveWorkReport(store.db, lead, episodeId, report({ alteredHours: false, expectedVersion: 1 }), today)).toEqual({ version: 2 });
    const view = await viewEpisodeOutcomes(store.db, admin, episodeId, today, 'work_report_print');
    expect(view.workReport).toMatchObject({ version: 2, hcpcNumber: 'OT12345', phasedReturn: true, alteredHours: false, reviewOn: '2026-12-02' });
    expect(view.mayRecord).toBe(false);
    expect(await store.db.selectFrom('work_report').select('version').where('episode_id', '=', episodeId).execute()).toHaveLength(2);
    // The person's subject access export holds every version, and the trail about them.
    const { subjectAccessExport } = await import('../audit-trail/subject-access.ts');
    const exported = await subjectAccessExport(store.db, admin, { organisationCode: 'MINE', sourcePersonId: 'P-OUT-5' });
    expect(exported.people[0]!.workReports.map((row) => row.version)).toEqual([1, 2]);
    expect(exported.people[0]!.auditTrail.filter((entry) => entry.subjectKind === 'work_report')).toHaveLength(2);
  });

  it('refuses commissioners, other organisations and administrators\' writes, and audits every read, change and refusal', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, ot, 'OUT-6');
    await expect(viewEpisodeOutcomes(store.db, commissioner, episodeId, today, 'outcomes')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewEpisodeOutcomes(store.db, outsider, episodeId, today, 'outcomes')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewEpisodeOutcomes(store.db, ot, 999_999, today, 'outcomes')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(recordOutcome(store.db, commissioner, episodeId, { instrument: 'FFT', timepoint: 'discharge', recordedOn: '2026-11-05', answer: 1 }, today)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(recordOutcome(store.db, admin, episodeId, { instrument: 'FFT', timepoint: 'discharge', recordedOn: '2026-11-05', answer: 1 }, today)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dischargeEpisode(store.db, outsider, episodeId, { dischargedOn: '2026-11-05', reason: 'goals_met' }, today)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await viewEpisodeOutcomes(store.db, admin, episodeId, today, 'outcomes');
    const created = await recordOutcome(store.db, ot, episodeId, { instrument: 'FFT', timepoint: 'discharge', recordedOn: '2026-11-05', answer: 1 }, today);
    const trail = await store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind', 'subject_id', 'detail']).orderBy('id').execute();
    const label = (actor: Actor) => (actor.kind === 'staff' ? `staff:${actor.userId}` : '');
    expect(trail.filter((e) => e.action === 'denied' && e.actor === label(commissioner)).length).toBe(2);
    expect(trail.filter((e) => e.action === 'denied' && e.actor === label(outsider)).length).toBe(2);
    expect(trail.filter((e) => e.action === 'denied' && e.actor === label(admin) && e.subject_kind === 'episode' && e.subject_id === String(episodeId))).toHaveLength(1);
    expect(trail.some((e) => e.action === 'read' && e.actor === label(admin) && e.subject_kind === 'episode' && e.subject_id === String(episodeId))).toBe(true);
    expect(trail.some((e) => e.action === 'create' && e.subject_kind === 'outcome_response' && e.subject_id === String(created.responseId))).toBe(true);
    expect(trail.some((e) => e.action === 'update' && e.subject_kind === 'referral' && (e.detail as { change?: string }).change === 'discharge')).toBe(true);
    expect(trail.some((e) => e.subject_kind === 'work_report' && e.action === 'create')).toBe(true);
    expect(trail.some((e) => e.subject_kind === 'work_report' && e.action === 'update')).toBe(true);
  });
});
