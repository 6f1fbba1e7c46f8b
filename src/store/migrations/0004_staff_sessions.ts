import { sql, type Kysely } from 'kysely';

/**
 * Staff sign-in: server-side sessions, sign-in attempts (for lockout and backoff) and what a
 * member of staff's account needs for them (how they authenticate, when deactivated, when their
 * password last changed).
 *
 * A session row's id is the SHA-256 of the random token held in the browser's cookie, never the
 * token itself: a copy of the database signs no one in. Sign-in attempts hold a SHA-256 of the
 * email typed (so an unknown email is locked out exactly like a known one) and of the client
 * address, never the text itself.
 *
 * Forward-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
alter table staff_user
  add column authentication_method text not null default 'password' check (authentication_method in ('password', 'oidc')),
  add column deactivated_at timestamptz,
  add column password_changed_at timestamptz;
update staff_user set deactivated_at = created_at where not active;

create table staff_session (
  id text primary key check (id ~ '^[0-9a-f]{64}$'),
  staff_user_id integer not null references staff_user (id) on delete cascade,
  authentication_method text not null check (authentication_method in ('password', 'oidc')),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in ('sign_out', 'rotated', 'deactivated', 'password_reset')),
  check (expires_at > created_at),
  check ((revoked_at is null) = (revoked_reason is null))
);
create index staff_session_live on staff_session (staff_user_id) where revoked_at is null;

create table sign_in_attempt (
  id bigint generated always as identity primary key,
  attempted_at timestamptz not null,
  account_key text not null check (account_key ~ '^[0-9a-f]{64}$'),
  client_key text not null check (client_key ~ '^[0-9a-f]{64}$'),
  staff_user_id integer references staff_user (id) on delete set null,
  succeeded boolean not null
);
create index sign_in_attempt_account on sign_in_attempt (account_key, attempted_at);
create index sign_in_attempt_client on sign_in_attempt (client_key, attempted_at);
`;
