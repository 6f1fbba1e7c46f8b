import { sql, type Kysely } from 'kysely';

/**
 * Who owns a referral (docs/adr/0008-who-owns-a-referral.md). A referral created by an import
 * is owned by its source until staff act on it in Roots; from then a re-import updates only
 * what the source owns (the person, the received date, the source fields) and never deletes or
 * overwrites the journey recorded in Roots.
 *
 * - `recorded_in` on triage, discharge, clock events and outcome responses says where each
 *   row was recorded: 'source' (written by an import) or 'roots' (staff, in Roots).
 * - `referral.staff_acted_at` is set, once, when the first row recorded in Roots lands on the
 *   referral. The triggers below set it, so no writer can forget to.
 * - `referral.journey_hash` is the hash of the journey (triage, waiting list, outcome,
 *   discharge) the source last sent, so that a re-import can tell whether the file's journey
 *   changed since and report, per row, that it was not applied.
 *
 * Append-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
alter table referral
  add column staff_acted_at timestamptz,
  add column journey_hash text;

alter table triage add column recorded_in text not null default 'source' check (recorded_in in ('source', 'roots'));
alter table discharge add column recorded_in text not null default 'source' check (recorded_in in ('source', 'roots'));
alter table waiting_clock_event add column recorded_in text not null default 'source' check (recorded_in in ('source', 'roots'));
alter table outcome_response add column recorded_in text not null default 'source' check (recorded_in in ('source', 'roots'));

create function roots_staff_acted_by_referral_id() returns trigger
language plpgsql as $$
begin
  update referral set staff_acted_at = now() where id = new.referral_id and staff_acted_at is null;
  return null;
end
$$;

create function roots_staff_acted_by_episode() returns trigger
language plpgsql as $$
begin
  update referral set staff_acted_at = now()
  where id = (select referral_id from episode where id = new.episode_id) and staff_acted_at is null;
  return null;
end
$$;

-- Row-level, but fired only for rows recorded in Roots: imports (recorded_in 'source') pay nothing.
create trigger triage_staff_acted after insert or update on triage
  for each row when (new.recorded_in = 'roots') execute function roots_staff_acted_by_referral_id();
create trigger discharge_staff_acted after insert or update on discharge
  for each row when (new.recorded_in = 'roots') execute function roots_staff_acted_by_referral_id();
create trigger clock_event_staff_acted after insert or update on waiting_clock_event
  for each row when (new.recorded_in = 'roots') execute function roots_staff_acted_by_episode();
create trigger outcome_response_staff_acted after insert or update on outcome_response
  for each row when (new.recorded_in = 'roots') execute function roots_staff_acted_by_episode();
`;
