import { sql, type Kysely } from 'kysely';

/**
 * The audit trail grows for sign-in and export (issue 7):
 *
 * - more actions: `sign_in_failed` (a wrong email or password), `locked_out` (sign-in refused
 *   after repeated failures) and `password_reset`, for the sign-in and administration work;
 * - an index on `occurred_at`, so `roots audit-trail export --from --to` reads a window by
 *   index, page by page.
 *
 * The table stays append-only: the statement trigger of 0001 still refuses update, delete and
 * truncate. Forward-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
alter table audit_event drop constraint audit_event_action_check;
alter table audit_event add constraint audit_event_action_check check (action in (
  'read', 'create', 'update', 'delete', 'import', 'export', 'sign_in', 'sign_out', 'denied',
  'sign_in_failed', 'locked_out', 'password_reset'
));
create index audit_event_occurred_at on audit_event (occurred_at, id);
`;
