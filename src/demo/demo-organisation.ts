import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { CompetencyLevel, Pathway, StaffRole } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

export const demoOrganisationCode = 'DEMO';
export const demoServiceCode = 'demo-primary-care';
/** NHS Greater Manchester ICB (its ODS code): commissions both demo services. */
export const demoCommissionerCode = 'QOP';
/** A second, small provider whose service has the SAME code as the demo service (codes are unique per organisation). */
export const demoSmallProviderCode = 'DEMO-SMALL';
/** Commissioning of both demo services runs from this day, continuing. */
export const demoCommissionedFrom = '2020-04-01';

/**
 * Competencies from the green / amber / red model of the Glasgow community rehabilitation case
 * study (Roots of recovery, community rehabilitation chapter): green tasks any occupational
 * therapist can do, amber with support, red for a specialist.
 */
const competencies: { code: string; name: string; level: CompetencyLevel }[] = [
  { code: 'functional-assessment', name: 'Functional assessment of daily living', level: 'green' },
  { code: 'standard-equipment', name: 'Provision of standard equipment', level: 'green' },
  { code: 'self-management', name: 'Self-management and lifestyle advice', level: 'green' },
  { code: 'falls-risk', name: 'Falls risk assessment and prevention', level: 'amber' },
  { code: 'fit-note', name: 'Fit notes and AHP Health and Work Reports', level: 'amber' },
  { code: 'mental-health-first-contact', name: 'First-contact mental health assessment', level: 'amber' },
  { code: 'vocational-rehabilitation', name: 'Vocational rehabilitation', level: 'red' },
  { code: 'complex-seating', name: 'Complex seating and postural management', level: 'red' },
  { code: 'sensory-integration', name: 'Sensory integration for children and young people', level: 'red' },
];

const pathways: Pathway[] = ['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost'];

type DemoOrganisation = 'provider' | 'commissioner' | 'small';
const staff: { email: string; name: string; role: StaffRole; hours: number; competencies: string[]; organisation?: DemoOrganisation }[] = [
  { email: 'lead@demo.roots.invalid', name: 'Alex Morgan (team lead)', role: 'team_lead', hours: 15, competencies: competencies.map((c) => c.code) },
  { email: 'ot1@demo.roots.invalid', name: 'Sam Hughes', role: 'therapist', hours: 37.5, competencies: ['functional-assessment', 'standard-equipment', 'self-management', 'falls-risk'] },
  { email: 'ot2@demo.roots.invalid', name: 'Priya Shah', role: 'therapist', hours: 37.5, competencies: ['functional-assessment', 'self-management', 'mental-health-first-contact', 'fit-note', 'vocational-rehabilitation'] },
  { email: 'ot3@demo.roots.invalid', name: 'Rhys Powell', role: 'therapist', hours: 22.5, competencies: ['functional-assessment', 'standard-equipment', 'complex-seating'] },
  { email: 'ot4@demo.roots.invalid', name: 'Grace Okafor', role: 'therapist', hours: 30, competencies: ['functional-assessment', 'self-management', 'sensory-integration'] },
  { email: 'commissioner@demo.roots.invalid', name: 'Jo Taylor (commissioner, NHS Greater Manchester ICB)', role: 'commissioner', hours: 0, competencies: [], organisation: 'commissioner' },
  { email: 'analyst@demo.roots.invalid', name: 'Chris Evans (analyst)', role: 'analyst', hours: 0, competencies: [] },
  { email: 'admin@demo.roots.invalid', name: 'Roots administrator', role: 'administrator', hours: 0, competencies: [] },
  { email: 'lead@small.demo.roots.invalid', name: 'Dee Roberts (team lead, small provider)', role: 'team_lead', hours: 30, competencies: [], organisation: 'small' },
];

export interface DemoSignIn {
  password: string;
  /** `organisation`: the organisation's code (older sign-in files have none: the demo trust). */
  users: { email: string; role: StaffRole; organisation?: string }[];
}

/**
 * Creates the demo organisation, its primary care OT service (pathways, competency catalogue,
 * one team) and its staff, all sharing one freshly generated password; NHS Greater Manchester
 * ICB (a commissioner organisation, with the demo commissioner) commissioning that service and
 * the service of a second, small provider (same service code, its own team lead). Returns the
 * sign-in details, or null when the demo organisation already exists.
 */
export async function createDemoOrganisation(db: Kysely<Schema>, icbCode: string | null): Promise<DemoSignIn | null> {
  const existing = await db.selectFrom('organisation').select('id').where('code', '=', demoOrganisationCode).executeTakeFirst();
  if (existing) return null;
  const password = `roots-${randomBytes(6).toString('base64url')}`;
  const passwordHash = await hash(password, { algorithm: 2 /* argon2id */ });

  await db.transaction().execute(async (trx) => {
    const organisation = await trx
      .insertInto('organisation')
      .values({ code: demoOrganisationCode, name: 'Roots Demonstration NHS Trust' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const service = await trx
      .insertInto('service')
      .values({
        organisation_id: organisation.id,
        code: demoServiceCode,
        name: 'Primary care occupational therapy (demonstration)',
        setting: 'primary_care',
        icb_code: icbCode,
        // The public self-referral at /refer sends referrals here.
        accepts_self_referral: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('service_pathway').values(pathways.map((pathway_code) => ({ service_id: service.id, pathway_code }))).execute();
    const commissioner = await trx
      .insertInto('organisation')
      .values({ code: demoCommissionerCode, name: 'NHS Greater Manchester Integrated Care Board', kind: 'commissioner' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const small = await trx
      .insertInto('organisation')
      .values({ code: demoSmallProviderCode, name: 'Roots Small Provider CIC (demonstration)' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const smallService = await trx
      .insertInto('service')
      .values({
        organisation_id: small.id,
        code: demoServiceCode,
        name: 'Primary care occupational therapy (small provider, demonstration)',
        setting: 'primary_care',
        icb_code: icbCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('service_pathway').values(pathways.map((pathway_code) => ({ service_id: smallService.id, pathway_code }))).execute();
    await trx
      .insertInto('commissioning')
      .values([service.id, smallService.id].map((service_id) => ({ commissioner_organisation_id: commissioner.id, service_id, commissioned_from: demoCommissionedFrom })))
      .execute();
    const organisationOf = { provider: organisation.id, commissioner: commissioner.id, small: small.id } as const;
    const competencyRows = await trx
      .insertInto('competency')
      .values(competencies.map((c) => ({ service_id: service.id, ...c })))
      .returning(['id', 'code'])
      .execute();
    const competencyId = new Map(competencyRows.map((row) => [row.code, row.id]));
    const team = await trx.insertInto('team').values({ service_id: service.id, name: 'Primary care OT team' }).returning('id').executeTakeFirstOrThrow();
    for (const member of staff) {
      const user = await trx
        .insertInto('staff_user')
        .values({
          organisation_id: organisationOf[member.organisation ?? 'provider'],
          email: member.email,
          display_name: member.name,
          role: member.role,
          password_hash: passwordHash,
          capacity_hours_per_week: member.hours,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if ((member.role === 'therapist' || member.role === 'team_lead') && (member.organisation ?? 'provider') === 'provider') {
        await trx.insertInto('team_member').values({ team_id: team.id, staff_user_id: user.id }).execute();
      }
      if (member.competencies.length > 0) {
        await trx
          .insertInto('staff_competency')
          .values(member.competencies.map((code) => ({ staff_user_id: user.id, competency_id: competencyId.get(code)!, supported: false })))
          .execute();
      }
    }
  });
  const codeOf = { provider: demoOrganisationCode, commissioner: demoCommissionerCode, small: demoSmallProviderCode } as const;
  return { password, users: staff.map(({ email, role, organisation }) => ({ email, role, organisation: codeOf[organisation ?? 'provider'] })) };
}
