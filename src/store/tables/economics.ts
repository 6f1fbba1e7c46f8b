import type { Generated } from 'kysely';
import type { Defaulted } from './columns.ts';

/** Tables owned by economics/: their row types as Kysely sees them. */

export type EvidencePack = 'report' | 'open' | 'non_commercial' | 'local';
export type EvidenceKind = 'unit_cost' | 'gross_outcome_rate' | 'net_effect' | 'return_ratio' | 'assumption' | 'count';
export type EvidenceConfidence = 'high' | 'moderate' | 'low';

export interface EvidenceFigureTable {
  id: Generated<number>;
  key: string;
  version: number;
  pack: EvidencePack;
  edition: string;
  label: string;
  kind: EvidenceKind;
  /** numeric: read back as a string by both drivers. */
  low: string | number | null;
  central: string | number;
  high: string | number | null;
  unit: string;
  price_year: number | null;
  geography: string;
  source_title: string;
  source_organisation: string;
  source_year: number | null;
  source_locator: string | null;
  source_url: string | null;
  report_reference: string | null;
  licence: string;
  confidence: EvidenceConfidence;
  traced: boolean;
  notes: string | null;
  recorded_by: number | null;
  recorded_by_label: string;
  recorded_at: Defaulted<Date>;
}

export interface EvidenceAcceptanceTable {
  id: Generated<number>;
  figure_id: number;
  reason: string;
  accepted_by: number | null;
  accepted_by_label: string;
  accepted_at: Defaulted<Date>;
}
