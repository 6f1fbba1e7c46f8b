import { sql, type Kysely, type Transaction } from 'kysely';
import type { InclusionGroup, Pathway, PostcodeStatus, Priority, ReferralSource, ReferralStatus, TriageOutcome } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

/**
 * The SQL of triage: the queue, one referral as the triage page shows it, its decisions, and the
 * writes of a decision (triage_decision, append-only, and the triage cache the equity audit's
 * facts read). One query per function; the service calls these after its access check.
 */
type Db = Kysely<Schema> | Transaction<Schema>;

/** The deprivation decile of an area by its own nation's index (the first by name should several be loaded, as the audit does). */
const decileOf = (areaColumn: string) =>
  sql.raw(`(select d.decile from ref_deprivation d where d.area_code = ${areaColumn} order by d.index_name limit 1)`);

export interface TriageServiceRow {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  awaiting: number;
}

/** The services of an organisation with how many referrals await triage in each. */
export async function listServicesToTriage(db: Db, organisationId: number): Promise<TriageServiceRow[]> {
  const { rows } = await sql<TriageServiceRow>`
    select s.id as "serviceId", s.code as "serviceCode", s.name as "serviceName",
      (select count(*)::int from referral r where r.service_id = s.id and r.status = 'received') as awaiting
    from service s where s.organisation_id = ${organisationId} order by s.name, s.code`.execute(db);
  return rows;
}

/** What the queue knows of one referral: enough to flag and order it, nothing more. */
export interface QueueRow {
  referralId: number;
  reference: string;
  receivedOn: string;
  source: ReferralSource;
  status: ReferralStatus;
  urgentRisk: boolean;
  areaCode: string | null;
  dateOfBirth: string | null;
  livesAlone: boolean | null;
  inclusionGroups: InclusionGroup[];
  postcodeStatus: PostcodeStatus;
  interpreterNeeded: boolean | null;
  decile: number | null;
  pathway: Pathway | null;
  priority: Priority | null;
  outcome: TriageOutcome | null;
}

/**
 * The referrals of a service in the queue: those awaiting triage ('untriaged'), those with a
 * current decision ('triaged'), or both. Ordering and paging happen after the risk flags are
 * computed (a pure function), so this returns every row of the chosen kind, narrowed by the
 * filters SQL can apply.
 */
export async function queueRows(
  db: Db,
  serviceId: number,
  filters: { show: 'untriaged' | 'triaged' | 'all'; pathway?: Pathway | undefined; priority?: Priority | undefined; unknownArea?: boolean | undefined },
): Promise<QueueRow[]> {
  const { rows } = await sql<QueueRow>`
    select r.id as "referralId", r.source_record_id as reference, r.received_on as "receivedOn", r.source, r.status,
      r.urgent_risk as "urgentRisk", r.area_code as "areaCode", p.date_of_birth as "dateOfBirth", p.lives_alone as "livesAlone",
      p.inclusion_groups as "inclusionGroups", p.postcode_status as "postcodeStatus", p.interpreter_needed as "interpreterNeeded",
      ${decileOf('r.area_code')} as decile, t.pathway_code as pathway, t.priority, t.outcome
    from referral r
    join person p on p.id = r.person_id
    left join triage t on t.referral_id = r.id
    where r.service_id = ${serviceId}
      and ${filters.show === 'untriaged' ? sql`r.status = 'received'` : filters.show === 'triaged' ? sql`t.referral_id is not null` : sql`true`}
      and ${filters.pathway ? sql`t.pathway_code = ${filters.pathway}` : sql`true`}
      and ${filters.priority ? sql`t.priority = ${filters.priority}` : sql`true`}
      and ${filters.unknownArea ? sql`r.area_code is null` : sql`true`}`.execute(db);
  return rows;
}

export interface ReferralSummary extends QueueRow {
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationId: number;
  organisationCode: string;
  version: number;
  reason: string | null;
  givenName: string | null;
  familyName: string | null;
  nhsNumber: string | null;
  postcode: string | null;
  language: string | null;
  reasonableAdjustments: string | null;
  disability: boolean | null;
}

/** One referral as the triage page shows it. */
export async function findReferralSummary(db: Db, referralId: number): Promise<ReferralSummary | undefined> {
  const { rows } = await sql<ReferralSummary>`
    select r.id as "referralId", r.source_record_id as reference, r.received_on as "receivedOn", r.source, r.status,
      r.urgent_risk as "urgentRisk", r.area_code as "areaCode", p.date_of_birth as "dateOfBirth", p.lives_alone as "livesAlone",
      p.inclusion_groups as "inclusionGroups", p.postcode_status as "postcodeStatus", p.interpreter_needed as "interpreterNeeded",
      ${decileOf('r.area_code')} as decile, t.pathway_code as pathway, t.priority, t.outcome,
      s.id as "serviceId", s.code as "serviceCode", s.name as "serviceName", o.id as "organisationId", o.code as "organisationCode",
      r.version, r.reason, p.given_name as "givenName", p.family_name as "familyName", p.nhs_number as "nhsNumber",
      p.postcode, p.language, p.reasonable_adjustments as "reasonableAdjustments", p.disability
    from referral r
    join person p on p.id = r.person_id
    join service s on s.id = r.service_id
    join organisation o on o.id = s.organisation_id
    left join triage t on t.referral_id = r.id
    where r.id = ${referralId}`.execute(db);
  return rows[0];
}

export interface DecisionRow {
  version: number;
  referralVersion: number;
  triagedOn: string;
  pathway: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
  reason: string | null;
  redirectTo: string | null;
  notes: string | null;
  riskFlags: string[];
  riskScore: number;
  decidedBy: string | null;
  decidedAt: Date;
}

/** Every decision on a referral, newest first. */
export async function listDecisions(db: Db, referralId: number): Promise<DecisionRow[]> {
  const { rows } = await sql<DecisionRow>`
    select d.version, d.referral_version as "referralVersion", d.triaged_on as "triagedOn", d.pathway_code as pathway, d.priority,
      d.outcome, d.reason, d.redirect_to as "redirectTo", d.notes, d.risk_flags as "riskFlags", d.risk_score as "riskScore",
      u.display_name as "decidedBy", d.decided_at as "decidedAt"
    from triage_decision d left join staff_user u on u.id = d.decided_by
    where d.referral_id = ${referralId}
    order by d.version desc`.execute(db);
  return rows;
}

/** The triage a source system sent (the cache row recorded_in 'source'), shown before any decision in Roots. */
export async function findSourceTriage(db: Db, referralId: number): Promise<{ triagedOn: string; pathway: Pathway; priority: Priority | null; outcome: TriageOutcome } | undefined> {
  return db
    .selectFrom('triage')
    .select(['triaged_on as triagedOn', 'pathway_code as pathway', 'priority', 'outcome'])
    .where('referral_id', '=', referralId)
    .where('recorded_in', '=', 'source')
    .executeTakeFirst();
}

export interface DecisionWrite {
  referralId: number;
  referralVersion: number;
  triagedOn: string;
  pathway: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
  reason: string | null;
  redirectTo: string | null;
  notes: string | null;
  riskFlags: string[];
  riskScore: number;
  decidedBy: number | null;
}

/**
 * Appends a decision as the next version of the referral's decisions. The unique
 * (referral_id, version) makes a second writer that read the same latest version fail, even
 * should the caller's row lock be missing.
 */
export async function insertDecision(trx: Db, decision: DecisionWrite): Promise<number> {
  const { rows } = await sql<{ version: number }>`
    insert into triage_decision (referral_id, version, referral_version, triaged_on, pathway_code, priority, outcome, reason,
      redirect_to, notes, risk_flags, risk_score, decided_by)
    values (${decision.referralId},
      (select coalesce(max(version), 0) + 1 from triage_decision where referral_id = ${decision.referralId}),
      ${decision.referralVersion}, ${decision.triagedOn}, ${decision.pathway}, ${decision.priority}, ${decision.outcome},
      ${decision.reason}, ${decision.redirectTo}, ${decision.notes}, ${decision.riskFlags}::text[], ${decision.riskScore}, ${decision.decidedBy})
    returning version`.execute(trx);
  return rows[0]!.version;
}

/** The current decision into the triage cache (replacing the source's or an earlier one). */
export async function writeCurrentTriage(
  trx: Db,
  triage: { referralId: number; triagedOn: string; pathway: Pathway; priority: Priority | null; outcome: TriageOutcome; triagedBy: number | null; notes: string | null; riskFlags: string[] },
): Promise<void> {
  await trx
    .insertInto('triage')
    .values({
      referral_id: triage.referralId,
      triaged_on: triage.triagedOn,
      pathway_code: triage.pathway,
      priority: triage.priority,
      outcome: triage.outcome,
      triaged_by: triage.triagedBy,
      notes: triage.notes,
      risk_flags: triage.riskFlags,
      recorded_in: 'roots',
    })
    .onConflict((conflict) =>
      conflict.column('referral_id').doUpdateSet((eb) => ({
        triaged_on: eb.ref('excluded.triaged_on'),
        pathway_code: eb.ref('excluded.pathway_code'),
        priority: eb.ref('excluded.priority'),
        outcome: eb.ref('excluded.outcome'),
        triaged_by: eb.ref('excluded.triaged_by'),
        notes: eb.ref('excluded.notes'),
        risk_flags: eb.ref('excluded.risk_flags'),
        recorded_in: 'roots',
      })),
    )
    .execute();
}
