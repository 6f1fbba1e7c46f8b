import type { Generated } from 'kysely';
import type { Defaulted } from './columns.ts';
import type { StaffRole } from '../../domain/codes.ts';

/** Tables owned by access/: their row types as Kysely sees them. */

export interface StaffUserTable {
  id: Generated<number>;
  organisation_id: number;
  email: string;
  display_name: string;
  role: StaffRole;
  password_hash: string | null;
  capacity_hours_per_week: Defaulted<number>;
  active: Defaulted<boolean>;
  created_at: Defaulted<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  staff_user_id: number;
  token_sha256: string;
  label: string;
  created_at: Defaulted<Date>;
  expires_at: Date | string;
  revoked_at: Date | null;
}
