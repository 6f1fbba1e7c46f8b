import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import type { CompetencyLevel } from '../domain/codes.ts';
import { addDemoAllocation } from '../demo/allocation-demo.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, demoSmallProviderCode } from '../demo/demo-organisation.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { writeReferrals } from '../referrals/referral.write.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import * as repository from './allocation.repository.ts';
import { allocationWorklist, competencyMatrix, confirmAllocation, setRequiredTasks, updateTherapistCompetencies, viewAllocation } from './allocation.service.ts';

const today = '2026-11-21';
const name = { serviceCode: demoServiceCode, organisationCode: demoOrganisationCode };

describe(`allocation by competency on ${testEngine}`, () => {
  let store: TestStore;
  let service: { id: number; organisationId: number };
  const actors: Record<'lead' | 'therapist' | 'commissioner' | 'smallLead' | 'admin', Actor> = {} as never;
  const staff: Record<string, number> = {};
  const episodes: Record<string, number> = {};

  const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (isRootsError(error) ? error.code : error));

  beforeAll(async () => {
    store = await createTestStore();
    await createDemoOrganisation(store.db, null);
    const row = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'service.organisation_id as organisationId']).where('organisation.code', '=', demoOrganisationCode).where('service.code', '=', demoServiceCode).executeTakeFirstOrThrow();
    service = row;
    expect(await addDemoAllocation(store.db, service, today)).toBe(5);
    // Twice is once.
    expect(await addDemoAllocation(store.db, service, today)).toBe(0);
    const users = await store.db.selectFrom('staff_user').select(['id', 'email', 'organisation_id', 'role', 'display_name']).execute();
    const actorOf = (email: string): Actor => {
      const user = users.find((u) => u.email === email)!;
      return { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
    };
    for (const user of users) staff[user.display_name.split(' ')[0]!] = user.id;
    actors.lead = actorOf('lead@demo.roots.invalid');
    actors.therapist = actorOf('ot1@demo.roots.invalid');
    actors.commissioner = actorOf('commissioner@demo.roots.invalid');
    actors.smallLead = actorOf('lead@small.demo.roots.invalid');
    actors.admin = actorOf('admin@demo.roots.invalid');
    const rows = await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').innerJoin('person', 'person.id', 'referral.person_id').select(['episode.id', 'person.given_name']).where('episode.service_id', '=', service.id).execute();
    for (const r of rows) episodes[r.given_name!] = r.id;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  const version = async (episodeId: number) => (await store.db.selectFrom('episode').select('version').where('id', '=', episodeId).executeTakeFirstOrThrow()).version;

  it('lists the waiting, unallocated episodes most urgent first, and audits the read', async () => {
    const list = await allocationWorklist(store.db, actors.lead, name, 1, today);
    expect(list.rows.map((r) => [r.givenName, r.priority, r.waitDays])).toEqual([
      ['Owain', 'P1', 4],
      ['Nia', 'P2', 8],
      ['Eirlys', 'P2', 12],
      ['Ffion', 'P3', 41],
      ['Tomos', 'P3', 30],
    ].sort((a, b) => String(a[1]).localeCompare(String(b[1])) || Number(b[2]) - Number(a[2])));
    expect(list.total).toBe(5);
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'detail']).where('subject_kind', '=', 'allocation_worklist').where('action', '=', 'read').execute();
    expect(audit.map((a) => a.actor)).toEqual([`staff:${staff.Alex}`]);
  });

  it('shortlists from the store with reasons: competency, named supervision for amber, capacity, hand-overs', async () => {
    const view = await viewAllocation(store.db, actors.lead, episodes.Eirlys!, today);
    expect(view.requiredFromPathway).toBe(true);
    expect(view.required.map((t) => t.code).sort()).toEqual(['falls-risk', 'functional-assessment', 'standard-equipment']);
    expect(view.hoursNeeded).toBe(2);
    const list = view.suggestions.shortlist;
    // Rhys and Alex need no supervision (no hand-over), Rhys has more hours left; then Sam and Grace, amber with Alex named.
    expect(list.map((s) => s.therapistId)).toEqual([staff.Rhys, staff.Alex, staff.Sam, staff.Grace]);
    expect(list.map((s) => s.handOvers)).toEqual([0, 0, 1, 1]);
    const sam = list[2]!;
    expect(sam.tasks.find((t) => t.task === 'falls-risk')).toEqual({ task: 'falls-risk', complexity: 'amber', level: 'amber', supervisorId: staff.Alex, supervisorName: 'Alex Morgan (team lead)' });
    expect(sam.hoursLeft).toBe(37.5);
    expect(view.suggestions.excluded).toEqual([{ therapistId: staff.Priya, name: 'Priya Shah', reasons: ['standard-equipment: no competency', 'falls-risk: no competency'], blockers: [{ kind: 'no_competency', task: 'standard-equipment' }, { kind: 'no_competency', task: 'falls-risk' }] }]);
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'subject_id']).where('subject_kind', '=', 'episode').where('action', '=', 'read').execute();
    expect(audit).toContainEqual({ actor: `staff:${staff.Alex}`, subject_id: String(episodes.Eirlys) });
  });

  it('confirms with the version: the row carries the reasons, rank, hours and who confirmed; a stale version writes nothing', async () => {
    const before = await version(episodes.Eirlys!);
    const confirmed = await confirmAllocation(store.db, actors.lead, episodes.Eirlys!, { staffUserId: staff.Rhys!, expectedVersion: before, note: 'Knows the estate' }, today);
    expect(confirmed.rank).toBe(1);
    expect(confirmed.version).toBe(before + 1);
    const row = await store.db.selectFrom('allocation').selectAll().where('episode_id', '=', episodes.Eirlys!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ staff_user_id: staff.Rhys, confirmed_by: staff.Alex, suggested: true, shortlist_rank: 1, episode_version: before, allocated_on: today, ended_on: null, supervisor_id: null });
    expect(Number(row.weekly_hours)).toBe(2);
    expect(row.reason).toContain('falls-risk: green competency for amber work');
    expect(row.reason).toContain('team lead: Knows the estate');
    // Rhys's caseload weight is now 2 hours, summed from the open allocation.
    const rhys = (await repository.pool(store.db, service.id)).find((m) => m.id === staff.Rhys)!;
    expect([rhys.caseloadHours, rhys.caseloadCount]).toEqual([2, 1]);
    // The same form again (the old version): refused, nothing written.
    expect(await errorOf(confirmAllocation(store.db, actors.lead, episodes.Eirlys!, { staffUserId: staff.Sam!, expectedVersion: before }, today))).toBe('CONFLICT');
    expect(await store.db.selectFrom('allocation').select('id').where('episode_id', '=', episodes.Eirlys!).execute()).toHaveLength(1);
    // With the current version it is still refused: the episode is allocated.
    expect(await errorOf(confirmAllocation(store.db, actors.lead, episodes.Eirlys!, { staffUserId: staff.Sam!, expectedVersion: before + 1 }, today))).toBe('CONFLICT');
    const created = await store.db.selectFrom('audit_event').select(['actor', 'detail']).where('subject_kind', '=', 'allocation').where('action', '=', 'create').execute();
    expect(created).toHaveLength(1);
    const list = await allocationWorklist(store.db, actors.lead, name, 1, today);
    expect(list.rows.map((r) => r.givenName)).not.toContain('Eirlys');
  });

  it('of two team leads confirming at once on the same version, exactly one wins', async () => {
    const episodeId = episodes.Owain!;
    const v = await version(episodeId);
    const results = await Promise.allSettled([
      confirmAllocation(store.db, actors.lead, episodeId, { staffUserId: staff.Sam!, expectedVersion: v }, today),
      confirmAllocation(store.db, actors.lead, episodeId, { staffUserId: staff.Grace!, expectedVersion: v }, today),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(isRootsError((refused[0] as PromiseRejectedResult).reason) && (refused[0] as PromiseRejectedResult).reason.code).toBe('CONFLICT');
    expect(await store.db.selectFrom('allocation').select('id').where('episode_id', '=', episodeId).execute()).toHaveLength(1);
    expect(await version(episodeId)).toBe(v + 1);
  });

  it('never allocates someone without the competency', async () => {
    const v = await version(episodes.Nia!);
    // Nia (mental health) needs first-contact mental health (amber) and self-management: Rhys holds neither.
    expect(await errorOf(confirmAllocation(store.db, actors.lead, episodes.Nia!, { staffUserId: staff.Rhys!, expectedVersion: v }, today))).toBe('VALIDATION_FAILED');
    expect(await store.db.selectFrom('allocation').select('id').where('episode_id', '=', episodes.Nia!).execute()).toHaveLength(0);
  });

  it('required tasks set by the team lead replace the pathway default and move the version on', async () => {
    const catalogue = await repository.catalogue(store.db, service.id);
    const vocational = catalogue.find((t) => t.code === 'vocational-rehabilitation')!;
    const v = await version(episodes.Tomos!);
    const next = await setRequiredTasks(store.db, actors.lead, episodes.Tomos!, { taskIds: [vocational.id], expectedVersion: v });
    expect(next).toBe(v + 1);
    const view = await viewAllocation(store.db, actors.lead, episodes.Tomos!, today);
    expect(view.requiredFromPathway).toBe(false);
    // Red work: only the red-capable (Priya and Alex hold vocational rehabilitation).
    expect(view.suggestions.shortlist.map((s) => s.therapistId).sort()).toEqual([staff.Alex, staff.Priya].sort());
    expect(await errorOf(confirmAllocation(store.db, actors.lead, episodes.Tomos!, { staffUserId: staff.Priya!, expectedVersion: v }, today))).toBe('CONFLICT');
    expect(await errorOf(setRequiredTasks(store.db, actors.lead, episodes.Tomos!, { taskIds: [vocational.id], expectedVersion: v }))).toBe('CONFLICT');
  });

  it('prefers the therapist who knows the person (continuity) on their next episode', async () => {
    await store.db.transaction().execute((trx) =>
      writeReferrals(trx, service, [
        {
          sourceRecordId: 'AGAIN-1',
          person: { sourcePersonId: 'DEMO-ALLOC-P1', nhsNumber: null, givenName: 'Eirlys', familyName: 'Demo', dateOfBirth: '1950-07-01', sex: 'X', ethnicity: null, postcode: null, postcodeGiven: false, areaCode: null, noFixedAddress: false, disability: null, inclusionGroups: [], language: 'en', interpreterNeeded: false },
          referral: { receivedOn: '2026-11-15', source: 'gp', urgentRisk: false },
          triage: { triagedOn: '2026-11-16', pathway: 'frailty_falls', priority: 'P4', outcome: 'accept' },
          waiting: { clockStartedOn: '2026-11-15', pauses: [], firstContactOn: null, contactsAttended: 0, contactsDidNotAttend: 0, contactsCancelled: 0 },
          discharge: null,
          outcome: null,
        },
      ]),
    );
    const again = await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').select('episode.id').where('referral.source_record_id', '=', 'AGAIN-1').executeTakeFirstOrThrow();
    const view = await viewAllocation(store.db, actors.lead, again.id, today);
    expect(view.suggestions.shortlist[0]).toMatchObject({ therapistId: staff.Rhys, continuity: true, handOvers: 0 });
    expect(view.suggestions.shortlist.slice(1).every((s) => s.handOvers >= 1)).toBe(true);
  });

  it('lets the team lead set capacity, travel areas and competencies: amber needs a named supervisor who holds the task', async () => {
    const levels = { 'functional-assessment': { level: 'green' as const, supervisorId: null }, 'falls-risk': { level: 'amber' as const, supervisorId: null } };
    const refused = await updateTherapistCompetencies(store.db, actors.lead, name, staff.Grace!, { capacityHours: 20, areas: ['E08000003'], levels }, today).catch((e: unknown) => e);
    expect(isRootsError(refused) && refused.problems.map((p) => p.field)).toEqual(['supervisor-falls-risk']);
    // Sam holds falls-risk at amber himself: he cannot supervise it.
    const samSupervises = await updateTherapistCompetencies(store.db, actors.lead, name, staff.Grace!, { capacityHours: 20, areas: [], levels: { 'falls-risk': { level: 'amber', supervisorId: staff.Sam! } } }, today).catch((e: unknown) => e);
    expect(isRootsError(samSupervises) && samSupervises.code).toBe('VALIDATION_FAILED');
    await updateTherapistCompetencies(store.db, actors.lead, name, staff.Grace!, { capacityHours: 20, areas: ['e08000003'], levels: { ...levels, 'falls-risk': { level: 'amber', supervisorId: staff.Rhys! } } }, today);
    const matrix = await competencyMatrix(store.db, actors.lead, name, today);
    const grace = matrix.members.find((m) => m.id === staff.Grace)!;
    expect(grace).toMatchObject({ capacityHours: 20, areas: ['E08000003'], competencies: { 'functional-assessment': 'green', 'falls-risk': 'amber' }, supervisors: { 'falls-risk': staff.Rhys } });
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'subject_id']).where('subject_kind', '=', 'staff_competency').where('action', '=', 'update').execute();
    expect(audit).toEqual([{ actor: `staff:${staff.Alex}`, subject_id: String(staff.Grace) }]);
  });

  it('refuses everyone but the service\'s team leads, and records each refusal', async () => {
    const before = Number((await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'denied').executeTakeFirstOrThrow()).n);
    const v = await version(episodes.Ffion!);
    const confirm = (actor: Actor) => confirmAllocation(store.db, actor, episodes.Ffion!, { staffUserId: staff.Grace!, expectedVersion: v }, today);
    expect(await errorOf(allocationWorklist(store.db, actors.therapist, name, 1, today))).toBe('FORBIDDEN');
    expect(await errorOf(viewAllocation(store.db, actors.therapist, episodes.Ffion!, today))).toBe('FORBIDDEN');
    expect(await errorOf(confirm(actors.therapist))).toBe('FORBIDDEN');
    expect(await errorOf(confirm(actors.admin))).toBe('FORBIDDEN');
    expect(await errorOf(competencyMatrix(store.db, actors.therapist, name, today))).toBe('FORBIDDEN');
    expect(await errorOf(updateTherapistCompetencies(store.db, actors.therapist, name, staff.Grace!, { capacityHours: 60, areas: [], levels: {} }, today))).toBe('FORBIDDEN');
    // A commissioner may know the service exists, never its people.
    expect(await errorOf(allocationWorklist(store.db, actors.commissioner, name, 1, today))).toBe('FORBIDDEN');
    expect(await errorOf(viewAllocation(store.db, actors.commissioner, episodes.Ffion!, today))).toBe('NOT_FOUND');
    expect(await errorOf(confirm(actors.commissioner))).toBe('NOT_FOUND');
    // Another provider's team lead: no such service, no such episode.
    expect(await errorOf(allocationWorklist(store.db, actors.smallLead, name, 1, today))).toBe('NOT_FOUND');
    expect(await errorOf(confirm(actors.smallLead))).toBe('NOT_FOUND');
    // ...while the service of the same code that is their own is theirs to allocate.
    expect(await errorOf(allocationWorklist(store.db, actors.smallLead, { serviceCode: demoServiceCode, organisationCode: demoSmallProviderCode }, 1, today))).toBeNull();
    const after = Number((await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'denied').executeTakeFirstOrThrow()).n);
    expect(after - before).toBeGreaterThanOrEqual(10);
    expect(await store.db.selectFrom('allocation').select('id').where('episode_id', '=', episodes.Ffion!).execute()).toHaveLength(0);
    const grace = (await repository.pool(store.db, service.id)).find((m) => m.id === staff.Grace)!;
    expect(grace.capacityHours).toBe(20);
  });

  it('from the store, never suggests anyone without the competency, and amber only with the named supervisor who holds it (property)', async () => {
    const catalogue = await repository.catalogue(store.db, service.id);
    const team = (await repository.pool(store.db, service.id)).map((m) => m.id);
    const level = fc.constantFrom<CompetencyLevel | null>('green', 'amber', 'red', null);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(level, fc.nat(team.length - 1)), { minLength: team.length * catalogue.length, maxLength: team.length * catalogue.length }),
        fc.subarray(catalogue.map((t) => t.id), { minLength: 1, maxLength: 3 }),
        async (cells, taskIds) => {
          // Write the random levels straight into the store (supervisors are anyone in the team but themselves).
          await store.db.deleteFrom('staff_competency').where('staff_user_id', 'in', team).execute();
          const rows = cells.flatMap(([held, s], k) => {
            const staffUserId = team[Math.floor(k / catalogue.length)]!;
            const supervisor = team[s]! === staffUserId ? team[(s + 1) % team.length]! : team[s]!;
            return held === null ? [] : [{ staff_user_id: staffUserId, competency_id: catalogue[k % catalogue.length]!.id, level: held, supervisor_id: held === 'amber' ? supervisor : null }];
          });
          if (rows.length > 0) await store.db.insertInto('staff_competency').values(rows).execute();
          const episodeId = episodes.Ffion!;
          await setRequiredTasks(store.db, actors.lead, episodeId, { taskIds, expectedVersion: await version(episodeId) });
          const view = await viewAllocation(store.db, actors.lead, episodeId, today);
          const held = new Map(rows.map((r) => [`${r.staff_user_id}/${r.competency_id}`, r]));
          for (const suggestion of view.eligible) {
            for (const task of view.required) {
              const own = held.get(`${suggestion.therapistId}/${task.id}`);
              if (!own) return false;
              if (task.level === 'red' && own.level !== 'red') return false;
              if (own.level === 'amber') {
                const supervision = suggestion.supervision.find((x) => x.task === task.code);
                if (!supervision || supervision.supervisorId !== own.supervisor_id) return false;
                const theirs = held.get(`${supervision.supervisorId}/${task.id}`);
                if (!theirs || theirs.level === 'amber') return false;
              }
            }
          }
          // ...and everyone left out really lacks something (or the hours).
          return view.suggestions.excluded.every((x) => (x.blockers ?? []).length > 0);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
