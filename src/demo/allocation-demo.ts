import { sql, type Kysely } from 'kysely';
import type { Pathway, Priority } from '../domain/codes.ts';
import type { ReferralRecord } from '../referrals/referral.record.ts';
import { writeReferrals } from '../referrals/referral.write.ts';
import type { Schema } from '../store/schema.ts';

/**
 * Allocation demo data for the demo trust's service, so the allocation pages have something on
 * the first run: the catalogue's usual pathways, the levels the demo staff hold (red on the red
 * tasks they hold; amber with a named supervisor for two of them), travel areas (Greater
 * Manchester local authorities), and a few people accepted and waiting, not yet allocated.
 * Written once per service (skipped when the first of its waiting people exists), as synthetic
 * people with no real details.
 */
const usualPathways: Record<string, Pathway[]> = {
  'functional-assessment': ['frailty_falls', 'community_rehab'],
  'standard-equipment': ['frailty_falls', 'community_rehab'],
  'self-management': ['mental_health', 'work_health'],
  'falls-risk': ['frailty_falls'],
  'fit-note': ['work_health'],
  'mental-health-first-contact': ['mental_health'],
  'sensory-integration': ['children_families'],
};

/** Per demo member of staff: amber tasks (with the supervisor's email), extra green tasks, travel areas. */
const profile: Record<string, { amber?: Record<string, string>; green?: string[]; areas: string[] }> = {
  'lead@demo.roots.invalid': { areas: ['E08000003'] },
  'ot1@demo.roots.invalid': { amber: { 'falls-risk': 'lead@demo.roots.invalid' }, areas: ['E08000003', 'E08000007'] },
  'ot2@demo.roots.invalid': { amber: { 'fit-note': 'lead@demo.roots.invalid' }, areas: ['E08000004', 'E08000005'] },
  'ot3@demo.roots.invalid': { green: ['falls-risk'], areas: ['E08000006', 'E08000007'] },
  'ot4@demo.roots.invalid': { amber: { 'falls-risk': 'lead@demo.roots.invalid' }, green: ['standard-equipment'], areas: ['E08000001', 'E08000002'] },
};

const waiting: { given: string; pathway: Pathway; priority: Priority; days: number }[] = [
  { given: 'Eirlys', pathway: 'frailty_falls', priority: 'P2', days: 12 },
  { given: 'Tomos', pathway: 'work_health', priority: 'P3', days: 30 },
  { given: 'Nia', pathway: 'mental_health', priority: 'P2', days: 8 },
  { given: 'Owain', pathway: 'community_rehab', priority: 'P1', days: 4 },
  { given: 'Ffion', pathway: 'children_families', priority: 'P3', days: 41 },
];

export async function addDemoAllocation(db: Kysely<Schema>, service: { id: number; organisationId: number }, today: string): Promise<number> {
  const first = await db.selectFrom('referral').select('id').where('service_id', '=', service.id).where('source_record_id', '=', 'DEMO-ALLOC-1').executeTakeFirst();
  if (first) return 0;
  const staff = new Map((await db.selectFrom('staff_user').select(['id', 'email']).where('organisation_id', '=', service.organisationId).execute()).map((row) => [row.email, row.id]));
  const competencies = new Map((await db.selectFrom('competency').select(['id', 'code']).where('service_id', '=', service.id).execute()).map((row) => [row.code, row.id]));
  const daysAgo = (days: number) => {
    const day = new Date(`${today}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - days);
    return day.toISOString().slice(0, 10);
  };
  return db.transaction().execute(async (trx) => {
    for (const [code, pathways] of Object.entries(usualPathways)) {
      await trx.updateTable('competency').set({ pathways }).where('service_id', '=', service.id).where('code', '=', code).execute();
    }
    // Red tasks held are held at red: the demo's specialists.
    await sql`update staff_competency sc set level = 'red' from competency c
              where c.id = sc.competency_id and c.service_id = ${service.id} and c.level = 'red'`.execute(trx);
    for (const [email, p] of Object.entries(profile)) {
      const userId = staff.get(email);
      if (userId === undefined) continue;
      for (const code of p.green ?? []) {
        const competencyId = competencies.get(code);
        if (competencyId === undefined) continue;
        await trx.insertInto('staff_competency').values({ staff_user_id: userId, competency_id: competencyId, level: 'green' }).onConflict((oc) => oc.columns(['staff_user_id', 'competency_id']).doUpdateSet({ level: 'green', supervisor_id: null })).execute();
      }
      for (const [code, supervisorEmail] of Object.entries(p.amber ?? {})) {
        const competencyId = competencies.get(code);
        const supervisorId = staff.get(supervisorEmail);
        if (competencyId === undefined || supervisorId === undefined) continue;
        await trx
          .insertInto('staff_competency')
          .values({ staff_user_id: userId, competency_id: competencyId, level: 'amber', supported: true, supervisor_id: supervisorId })
          .onConflict((oc) => oc.columns(['staff_user_id', 'competency_id']).doUpdateSet({ level: 'amber', supported: true, supervisor_id: supervisorId }))
          .execute();
      }
      await trx.deleteFrom('staff_travel_area').where('staff_user_id', '=', userId).execute();
      if (p.areas.length > 0) await trx.insertInto('staff_travel_area').values(p.areas.map((area_code) => ({ staff_user_id: userId, area_code }))).execute();
    }
    const records: ReferralRecord[] = waiting.map((person, index) => ({
      sourceRecordId: `DEMO-ALLOC-${index + 1}`,
      person: {
        sourcePersonId: `DEMO-ALLOC-P${index + 1}`,
        nhsNumber: null,
        givenName: person.given,
        familyName: 'Demo',
        dateOfBirth: person.pathway === 'children_families' ? '2015-03-04' : '1950-07-0' + String(1 + index),
        sex: 'X',
        ethnicity: null,
        postcode: null,
        postcodeGiven: false,
        areaCode: null,
        noFixedAddress: false,
        disability: null,
        inclusionGroups: [],
        language: 'en',
        interpreterNeeded: false,
      },
      referral: { receivedOn: daysAgo(person.days), source: 'gp', urgentRisk: false },
      triage: { triagedOn: daysAgo(Math.max(0, person.days - 2)), pathway: person.pathway, priority: person.priority, outcome: 'accept' },
      waiting: { clockStartedOn: daysAgo(person.days), pauses: [], firstContactOn: null, contactsAttended: 0, contactsDidNotAttend: 0, contactsCancelled: 0 },
      discharge: null,
      outcome: null,
    }));
    const result = await writeReferrals(trx, service, records);
    return result.inserted;
  });
}
