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
