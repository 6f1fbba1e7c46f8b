import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import { createDemoOrganisation } from '../demo/demo-organisation.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { builtInEvidence } from './evidence-seed.ts';
import { acceptFigure, evidenceHistory, exportEvidence, importEvidence, listEvidence, recordFigure, seedEvidence } from './evidence.service.ts';

let store: TestStore;
const actors = {} as Record<'admin' | 'lead' | 'therapist' | 'commissioner', Actor>;
const system: Actor = { kind: 'system', name: 'test' };

beforeAll(async () => {
  store = await createTestStore();
  await createDemoOrganisation(store.db, null);
  const staff = await store.db.selectFrom('staff_user').select(['id', 'email', 'organisation_id', 'role']).execute();
  const actorOf = (email: string): Actor => {
    const user = staff.find((s) => s.email === email)!;
    return { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
  };
  actors.admin = actorOf('admin@demo.roots.invalid');
  actors.lead = actorOf('lead@demo.roots.invalid');
  actors.therapist = actorOf('ot1@demo.roots.invalid');
  actors.commissioner = actorOf('commissioner@demo.roots.invalid');
});
afterAll(async () => store?.close());

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isRootsError(error)).toBe(true);
  return error as { code: string; problems: { row?: number; field?: string }[] };
};
const figureCount = async () => Number((await store.db.selectFrom('evidence_figure').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe(`the evidence register (${testEngine})`, () => {
  it('seeds the built-in packs once, leaving existing keys alone', async () => {
    const first = await seedEvidence(store.db, system, ['report', 'open']);
    const expected = builtInEvidence.filter((f) => f.pack !== 'non_commercial').length;
    expect(first).toMatchObject({ rows: expected, created: expected, unchanged: 0 });
    const again = await seedEvidence(store.db, system);
    expect(again.created).toBe(builtInEvidence.length - expected);
    expect(await figureCount()).toBe(builtInEvidence.length);
  });

  it('lists current figures for any signed-in member of staff, each saying whether it may headline', async () => {
    const { figures } = await listEvidence(store.db, actors.commissioner);
    const saving = figures.find((f) => f.key === 'ican.saving_per_person')!;
    expect(saving).toMatchObject({ central: 327.59, traced: false, version: 1, recordedBy: 'system:test' });
    expect(saving.headline.eligible).toBe(false);
    const onlyUntraced = await listEvidence(store.db, actors.therapist, { traced: false });
    expect(onlyUntraced.figures.every((f) => !f.traced)).toBe(true);
    expect((await refusal(listEvidence(store.db, null))).code).toBe('UNAUTHENTICATED');
  });

  it('an administrator records a new version; an unchanged figure writes nothing; the basis change is warned', async () => {
    const [current] = await exportEvidence(store.db, actors.admin, { pack: 'non_commercial' });
    const gp = (await exportEvidence(store.db, actors.admin)).find((f) => f.key === 'pssru.gp_contact_hour')!;
    expect(current).toBeTruthy();
    expect(await recordFigure(store.db, actors.admin, gp)).toEqual({ key: 'pssru.gp_contact_hour', version: 1, outcome: 'unchanged' });
    const next = await recordFigure(store.db, actors.admin, { ...gp, edition: 'PSSRU Unit Costs 2021', central: 190, priceYear: 2021 });
    expect(next).toEqual({ key: 'pssru.gp_contact_hour', version: 2, outcome: 'new_version' });
    const history = await evidenceHistory(store.db, actors.therapist, 'pssru.gp_contact_hour');
    expect(history.map((f) => [f.version, f.central])).toEqual([
      [1, 184],
      [2, 190],
    ]);
    const { basisWarnings } = await listEvidence(store.db, actors.lead);
    expect(basisWarnings).toEqual([expect.objectContaining({ key: 'pssru.gp_contact_hour', changes: ['price year: 2020 → 2021'] })]);
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'action', 'detail']).where('subject_kind', '=', 'evidence').where('action', '=', 'update').execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses edits by anyone but an administrator, and records the refusal', async () => {
    const gp = (await exportEvidence(store.db, actors.admin)).find((f) => f.key === 'pssru.gp_contact_hour')!;
    for (const actor of [actors.lead, actors.therapist, actors.commissioner]) {
      expect((await refusal(recordFigure(store.db, actor, { ...gp, central: 1 }))).code).toBe('FORBIDDEN');
    }
    const denied = await store.db.selectFrom('audit_event').select('actor').where('subject_kind', '=', 'evidence').where('action', '=', 'denied').execute();
    expect(denied).toHaveLength(3);
  });

  it('imports all or nothing, reporting every bad row', async () => {
    const before = await figureCount();
    const good = { ...builtInEvidence[0]!, key: 'local.new_figure', pack: 'local' as const };
    const rejected = await refusal(importEvidence(store.db, actors.admin, [good, { ...good, key: 'local.bad', central: 2 }, { ...good, key: 'local.new_figure' }, { nonsense: true }]));
    expect(rejected.code).toBe('IMPORT_REJECTED');
    expect([...new Set(rejected.problems.map((p) => p.row))]).toEqual([2, 3, 4]);
    expect(await figureCount()).toBe(before);
    expect((await refusal(importEvidence(store.db, actors.admin, { not: 'an array' }))).code).toBe('FORMAT_NOT_RECOGNISED');
    const report = await importEvidence(store.db, actors.admin, [good, ...(await exportEvidence(store.db, actors.admin, { pack: 'open' }))]);
    expect(report).toEqual({ rows: 3, created: 1, newVersions: 0, unchanged: 2 });
  });

  it('lets a team lead accept an untraced figure with a reason, which brings it into headlines', async () => {
    const saving = (await listEvidence(store.db, actors.lead)).figures.find((f) => f.key === 'ican.saving_per_person')!;
    expect((await refusal(acceptFigure(store.db, actors.therapist, saving.id, { reason: 'x' }))).code).toBe('FORBIDDEN');
    expect((await refusal(acceptFigure(store.db, actors.lead, saving.id, { reason: ' ' }))).code).toBe('VALIDATION_FAILED');
    const traced = (await listEvidence(store.db, actors.lead)).figures.find((f) => f.key === 'greenbook.discount_rate')!;
    expect((await refusal(acceptFigure(store.db, actors.lead, traced.id, { reason: 'why not' }))).code).toBe('BAD_REQUEST');
    await acceptFigure(store.db, actors.lead, saving.id, { reason: 'Agreed with the ICB as a local estimate' });
    const after = (await listEvidence(store.db, actors.lead)).figures.find((f) => f.key === 'ican.saving_per_person')!;
    expect(after.headline).toEqual({ eligible: true, why: `untraced, accepted by staff:${(actors.lead as { userId: number }).userId}: Agreed with the ICB as a local estimate` });
  });

  it('keeps figures append-only in the database itself', async () => {
    await expect(store.db.updateTable('evidence_figure').set({ central: 1 }).where('key', '=', 'ican.people_seen').execute()).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('evidence_acceptance').execute()).rejects.toThrow(/append-only/);
  });
});
