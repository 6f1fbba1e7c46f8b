import type { Generated } from 'kysely';
import type { Defaulted } from './columns.ts';
import type { StaffRole } from '../../domain/codes.ts';

/** Tables owned by access/: their row types as Kysely sees them. */

export type AuthenticationMethod = 'password' | 'oidc';
export type SessionRevokedReason = 'sign_out' | 'rotated' | 'deactivated' | 'password_reset';

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
  /** 'password' now; 'oidc' (NHS CIS2) later. */
  authentication_method: Defaulted<AuthenticationMethod>;
  deactivated_at: Date | null;
  password_changed_at: Date | null;
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

/** A signed-in member of staff's session. `id` is the SHA-256 of the cookie's token, never the token. */
export interface StaffSessionTable {
  id: string;
  staff_user_id: number;
  authentication_method: AuthenticationMethod;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: SessionRevokedReason | null;
}

/** One sign-in attempt: SHA-256 of the email typed and of the client address, never the text. */
export interface SignInAttemptTable {
  id: Generated<number>;
  attempted_at: Date;
  account_key: string;
  client_key: string;
  staff_user_id: number | null;
  succeeded: boolean;
}
