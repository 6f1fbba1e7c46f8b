import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, demoSmallProviderCode } from '../demo/demo-organisation.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { priorityTargetDays } from '../triage/priority.ts';
import { priorityScore } from './priority-score.ts';
import { listWaiting } from './waiting-list.repository.ts';
import { decideEquityWeights, equityWeightHistory, exportWaitingList, viewWaitingList, waitingListFilters } from './waiting-list.service.ts';

let store: TestStore;
let serviceId: number;
let smallServiceId: number;
const actors = {} as Record<'therapist' | 'lead' | 'analyst' | 'commissioner' | 'smallLead', Actor>;
const today = '2026-06-01';
const filters = (extra: Record<string, string> = {}) => waitingListFilters.parse(extra);

/**
 * Twelve people on the demo service's list with waits chosen by hand (days before 2026-06-01),
 * two already seen and one stopped, so every figure below can be worked out by eye.
 */
const people = [
  { wait: 10, priority: 'P1', quintile: 1, interpreter: true },
  { wait: 100, priority: 'P4', quintile: 5 },
  { wait: 50, priority: 'P3', quintile: 1, groups: ['homeless'] },
  { wait: 30, priority: 'P3', quintile: 3, disability: true },
  { wait: 13, priority: 'P2', quintile: 2 },
  { wait: 200, priority: 'P4', quintile: 1 },
  { wait: 40, priority: 'P3', quintile: 4, groups: ['carer'] },
  { wait: 5, priority: 'P2', quintile: 5 },
  { wait: 0, priority: 'P3', quintile: 1 },
  { wait: 60, priority: 'P3', quintile: 2, seen: true },
  { wait: 70, priority: 'P3', quintile: 2, stopped: true },
  { wait: 20, priority: 'P3', quintile: 3, paused: 5 },
] as const;

function daysBefore(days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  store = await createTestStore();
  const db = store.db;
  await createDemoOrganisation(db, null);
  const services = await db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'organisation.code']).where('service.code', '=', demoServiceCode).execute();
  serviceId = services.find((s) => s.code === demoOrganisationCode)!.id;
  smallServiceId = services.find((s) => s.code === demoSmallProviderCode)!.id;
  const staff = await db.selectFrom('staff_user').select(['id', 'email', 'organisation_id', 'role']).execute();
  const actorOf = (email: string): Actor => {
    const user = staff.find((s) => s.email === email)!;
    return { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
  };
  actors.therapist = actorOf('ot1@demo.roots.invalid');
  actors.lead = actorOf('lead@demo.roots.invalid');
  actors.analyst = actorOf('analyst@demo.roots.invalid');
  actors.commissioner = actorOf('commissioner@demo.roots.invalid');
  actors.smallLead = actorOf('lead@small.demo.roots.invalid');

  const organisationId = staff.find((s) => s.email === 'lead@demo.roots.invalid')!.organisation_id;
  // One area per deprivation quintile.
  for (let q = 1; q <= 5; q++) {
    await db.insertInto('ref_area').values({ area_code: `E0100000${q}`, area_kind: 'lsoa11', nation: 'E', icb_code: null, local_authority_code: null, area_name: `Q${q}`, msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null }).execute();
    await db.insertInto('ref_deprivation').values({ index_name: 'IMD2019', nation: 'E', area_code: `E0100000${q}`, score: 50 - q, rank: q * 100, area_count: 32844, decile: q * 2 - 1, quintile: q }).execute();
  }
  for (const [i, p] of people.entries()) {
    const person = await db
      .insertInto('person')
      .values({
        organisation_id: organisationId,
        source_person_id: `w${i}`,
        given_name: `Given${i}`,
        family_name: i === 3 ? '=HYPERLINK("x")' : `Family${i}`,
        postcode_status: 'resolved',
        area_code: `E0100000${p.quintile}`,
        inclusion_groups: ('groups' in p ? [...p.groups] : []) as never,
        interpreter_needed: 'interpreter' in p ? p.interpreter : false,
        disability: 'disability' in p ? p.disability : false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const started = daysBefore(p.wait + ('paused' in p ? p.paused : 0));
    const referral = await db
      .insertInto('referral')
      .values({ service_id: serviceId, person_id: person.id, source_record_id: `wr${i}`, received_on: started, source: 'gp', area_code: `E0100000${p.quintile}`, status: 'waiting' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stop = 'seen' in p || 'stopped' in p ? daysBefore(1) : null;
    await db
      .insertInto('episode')
      .values({
        referral_id: referral.id,
        service_id: serviceId,
        pathway_code: i % 2 ? 'frailty_falls' : 'mental_health',
        priority: p.priority,
        clock_started_on: started,
        paused_days: 'paused' in p ? p.paused : 0,
        first_contact_on: 'seen' in p ? stop : null,
        clock_stopped_on: stop,
      })
      .execute();
  }
});

afterAll(async () => {
  await store?.close();
});

describe(`waiting list (${testEngine})`, () => {
  it('lists only people still waiting, with waits in days less paused days', async () => {
    const view = await viewWaitingList(store.db, actors.therapist, serviceId, filters({ sort: 'wait' }), today);
    expect(view.total).toBe(10);
    expect(view.rows.map((row) => row.waitDays)).toEqual([200, 100, 50, 40, 30, 20, 13, 10, 5, 0]);
    const paused = view.rows.find((row) => row.waitDays === 20)!;
    expect(paused.pausedDays).toBe(5);
  });

  it('targets and breach status follow the priority targets', async () => {
    const { rows } = await viewWaitingList(store.db, actors.therapist, serviceId, filters({ sort: 'wait' }), today);
    const byWait = new Map(rows.map((row) => [row.waitDays, row]));
    expect(byWait.get(10)).toMatchObject({ priority: 'P1', targetDays: priorityTargetDays.P1, breach: 'breached' });
    expect(byWait.get(13)).toMatchObject({ priority: 'P2', breach: 'at_risk' }); // 13 of 14 days
    expect(byWait.get(5)).toMatchObject({ priority: 'P2', breach: 'within' });
    expect(byWait.get(200)).toMatchObject({ priority: 'P4', breach: 'breached' });
    const breached = await viewWaitingList(store.db, actors.therapist, serviceId, filters({ breach: 'breached', sort: 'wait' }), today);
    expect(breached.rows.map((row) => row.waitDays)).toEqual([200, 50, 10]);
  });

  it('the score SQL orders by equals the pure priority score, part by part', async () => {
    const { rows } = await viewWaitingList(store.db, actors.therapist, serviceId, filters(), today);
    for (const row of rows) {
      expect(row.score).toBe(row.scoreParts.reduce((sum, part) => Math.round((sum + part.points) * 1000) / 1000, 0));
    }
    const scores = rows.map((row) => row.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The P1 person, 10 days against a 2-day target: 3 + 5 = 8, first.
    expect(rows[0]).toMatchObject({ priority: 'P1', waitDays: 10, score: 8 });
  });

  it('filters by pathway and priority, and pages', async () => {
    const p3 = await viewWaitingList(store.db, actors.therapist, serviceId, filters({ priority: 'P3' }), today);
    expect(p3.total).toBe(5);
    const falls = await viewWaitingList(store.db, actors.therapist, serviceId, filters({ pathway: 'frailty_falls' }), today);
    expect(falls.rows.every((row) => row.pathway === 'frailty_falls')).toBe(true);
    const page = await listWaiting(store.db, { serviceId, asOf: today, targetDays: priorityTargetDays, weights: { mostDeprivedQuintile: 0, inclusionHealthGroup: 0, interpreterNeeded: 0, disability: 0 }, sort: 'wait', page: 2, pageSize: 4 });
    expect(page.total).toBe(10);
    expect(page.rows.map((row) => row.waitDays)).toEqual([30, 20, 13, 10]);
    const past = await listWaiting(store.db, { serviceId, asOf: today, targetDays: priorityTargetDays, weights: { mostDeprivedQuintile: 0, inclusionHealthGroup: 0, interpreterNeeded: 0, disability: 0 }, sort: 'wait', page: 9, pageSize: 4 });
    expect(past).toEqual({ rows: [], total: 10 });
  });

  it('a team lead sets equity weights: recorded with the reason, audited, and the order changes', async () => {
    const before = await viewWaitingList(store.db, actors.therapist, serviceId, filters(), today);
    const deprivedP3 = before.rows.find((row) => row.waitDays === 0)!;
    await decideEquityWeights(store.db, actors.lead, serviceId, { mostDeprivedQuintile: '2', inclusionHealthGroup: '1', interpreterNeeded: '0', disability: '0.5', reason: 'Most deprived fifth wait longest (audit 2026)' }, today);
    const after = await viewWaitingList(store.db, actors.therapist, serviceId, filters(), today);
    const same = after.rows.find((row) => row.episodeId === deprivedP3.episodeId)!;
    expect(same.score).toBe(deprivedP3.score + 2);
    expect(same.scoreParts.map((part) => part.part)).toContain('mostDeprivedQuintile');
    const homeless = after.rows.find((row) => row.waitDays === 50)!;
    // P3 (1), 50 of 42 days (1.19), quintile 1 (+2), homeless (+1).
    expect(homeless.score).toBe(priorityScore({ priority: 'P3', targetDays: 42, waitDays: 50, deprivationQuintile: 1, inclusionHealthGroup: true, interpreterNeeded: false, disability: false }, { mostDeprivedQuintile: 2, inclusionHealthGroup: 1, interpreterNeeded: 0, disability: 0.5 }).total);
    expect(homeless.score).toBe(5.19);
    // A carer is not an inclusion-health group.
    expect(after.rows.find((row) => row.waitDays === 40)!.scoreParts.map((part) => part.part)).not.toContain('inclusionHealthGroup');
    const { history, current } = await equityWeightHistory(store.db, actors.lead, serviceId, today);
    expect(history[0]).toMatchObject({ mostDeprivedQuintile: 2, inclusionHealthGroup: 1, disability: 0.5, reason: 'Most deprived fifth wait longest (audit 2026)', decidedBy: `staff:${(actors.lead as { userId: number }).userId}` });
    expect(current.decisionId).toBe(history[0]!.id);
    const audited = await store.db.selectFrom('audit_event').select(['action', 'actor']).where('subject_kind', '=', 'equity_weights').where('action', '=', 'update').execute();
    expect(audited).toHaveLength(1);
  });

  it('decisions are append-only in the database', async () => {
    await expect(store.db.updateTable('equity_weight_decision').set({ reason: 'edited' }).execute()).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('equity_weight_decision').execute()).rejects.toThrow(/append-only/);
    // Deleting a service takes its decisions with it (the cascade is allowed; nothing else is).
    const other = await store.db.insertInto('organisation').values({ code: 'GONE', name: 'Gone Trust' }).returning('id').executeTakeFirstOrThrow();
    const gone = await store.db.insertInto('service').values({ organisation_id: other.id, code: 'gone-ot', name: 'Gone OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('equity_weight_decision').values({ service_id: gone.id, reason: 'r', decided_by: null, decided_by_label: 'system:test' }).execute();
    await store.db.deleteFrom('service').where('id', '=', gone.id).execute();
    expect(await store.db.selectFrom('equity_weight_decision').select('id').where('service_id', '=', gone.id).execute()).toEqual([]);
  });

  it('refuses bad weights with the field named, and saves nothing', async () => {
    const count = async () => (await store.db.selectFrom('equity_weight_decision').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const error = await decideEquityWeights(store.db, actors.lead, serviceId, { mostDeprivedQuintile: '-1', inclusionHealthGroup: 'x', interpreterNeeded: '0', disability: '0', reason: ' ' }, today).catch((e: unknown) => e);
    expect(isRootsError(error) && error.code).toBe('VALIDATION_FAILED');
    expect(isRootsError(error) && error.problems.map((p) => p.field).sort()).toEqual(['inclusionHealthGroup', 'mostDeprivedQuintile', 'reason']);
    expect(await count()).toBe(before);
  });

  it('only a team lead of the service decides weights; others are refused and the refusal audited', async () => {
    for (const actor of [actors.therapist, actors.smallLead]) {
      const error = await decideEquityWeights(store.db, actor, serviceId, { mostDeprivedQuintile: '1', inclusionHealthGroup: '0', interpreterNeeded: '0', disability: '0', reason: 'r' }, today).catch((e: unknown) => e);
      expect(isRootsError(error) && error.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    }
    const denied = await store.db.selectFrom('audit_event').select('actor').where('action', '=', 'denied').where('subject_kind', '=', 'equity_weights').execute();
    expect(denied.map((row) => row.actor)).toContain(`staff:${(actors.therapist as { userId: number }).userId}`);
  });

  it('analysts, commissioners and other organisations cannot see the list; every read is audited', async () => {
    for (const actor of [actors.analyst, actors.commissioner, actors.smallLead]) {
      const error = await viewWaitingList(store.db, actor, serviceId, filters(), today).catch((e: unknown) => e);
      expect(isRootsError(error) && error.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    }
    const small = await viewWaitingList(store.db, actors.smallLead, smallServiceId, filters(), today);
    expect(small.total).toBe(0);
    const reads = await store.db.selectFrom('audit_event').select(['actor', 'detail']).where('action', '=', 'read').where('subject_kind', '=', 'waiting_list').execute();
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(JSON.stringify(read.detail)).not.toMatch(/Given|Family/);
  });

  it('exports the filtered list as CSV with formulas neutralised, and audits the export', async () => {
    const csv = await exportWaitingList(store.db, actors.therapist, serviceId, filters({ sort: 'wait' }), today);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^episode,nhs_number,given_name,family_name/);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    const exports = await store.db.selectFrom('audit_event').select('detail').where('action', '=', 'export').where('subject_kind', '=', 'waiting_list').execute();
    expect(exports).toHaveLength(1);
  });
});
