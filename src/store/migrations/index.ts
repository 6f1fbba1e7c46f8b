import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as referralFacts from './0002_referral_facts.ts';
import * as referralOwnership from './0003_referral_ownership.ts';
import * as staffSessions from './0004_staff_sessions.ts';
import * as commissioning from './0005_commissioning.ts';
import * as auditTrail from './0006_audit_trail.ts';
import * as selfReferral from './0007_self_referral.ts';
import * as triageDecisions from './0008_triage_decisions.ts';
import * as referrer from './0009_referrer.ts';
import * as waitingList from './0010_waiting_list.ts';
import * as clockRules from './0011_clock_rules.ts';
import * as validation from './0012_validation.ts';
import * as allocation from './0013_allocation.ts';
import * as caseload from './0014_caseload.ts';
import * as outcomes from './0015_outcomes.ts';
import * as evidence from './0016_evidence.ts';

/**
 * Every migration, in order. Append-only: never edit or reorder a migration that has landed;
 * add a new file and a new line here.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_referral_facts': referralFacts,
  '0003_referral_ownership': referralOwnership,
  '0004_staff_sessions': staffSessions,
  '0005_commissioning': commissioning,
  '0006_audit_trail': auditTrail,
  '0007_self_referral': selfReferral,
  '0008_triage_decisions': triageDecisions,
  '0009_referrer': referrer,
  '0010_waiting_list': waitingList,
  '0011_clock_rules': clockRules,
  '0012_validation': validation,
  '0013_allocation': allocation,
  '0014_caseload': caseload,
  '0015_outcomes': outcomes,
  '0016_evidence': evidence,
};
