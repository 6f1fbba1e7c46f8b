import type { Generated } from 'kysely';
import type { Defaulted } from './columns.ts';

/** Tables owned by imports/: their row types as Kysely sees them. */

export interface ImportRunTable {
  id: Generated<number>;
  kind: 'referrals_csv' | 'fhir_bundle' | 'synthetic' | 'api';
  service_id: number | null;
  file_name: string;
  file_sha256: string | null;
  started_at: Defaulted<Date>;
  finished_at: Date | null;
  outcome: 'committed' | 'rejected' | 'dry_run' | 'partial';
  rows_read: Defaulted<number>;
  rows_inserted: Defaulted<number>;
  rows_updated: Defaulted<number>;
  rows_unchanged: Defaulted<number>;
  rows_rejected: Defaulted<number>;
}
