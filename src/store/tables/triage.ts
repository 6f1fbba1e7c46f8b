import type { Generated } from 'kysely';
import type { IsoDate, Defaulted, RecordedIn } from './columns.ts';
import type { Pathway, Priority, TriageOutcome } from '../../domain/codes.ts';

/** Tables owned by triage/: their row types as Kysely sees them. */

export interface TriageTable {
  referral_id: number;
  triaged_on: IsoDate;
  pathway_code: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
  risk_flags: Defaulted<string[]>;
  triaged_by: number | null;
  notes: string | null;
  recorded_in: Defaulted<RecordedIn>;
}

/** One triage decision made in Roots (migration 0008): append-only, numbered per referral. */
export interface TriageDecisionTable {
  id: Generated<number>;
  referral_id: number;
  version: number;
  referral_version: number;
  triaged_on: IsoDate;
  pathway_code: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
  reason: string | null;
  redirect_to: string | null;
  notes: string | null;
  risk_flags: Defaulted<string[]>;
  risk_score: Defaulted<number>;
  decided_by: number | null;
  decided_at: Defaulted<Date>;
}
