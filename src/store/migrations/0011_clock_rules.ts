import { sql, type Kysely } from 'kysely';

/**
 * Each service's waiting-list access policy (waiting-list/clock-rules.ts): what a did-not-attend,
 * a cancellation by the person and a spell of unavailability do to the clock. The defaults are
 * the referral-to-treatment style rule Roots applied before (restart, restart, pause).
 *
 * The episode row caches the clock under the service's rules (started, stopped, paused days);
 * `clock_paused_since` says the clock is paused now, so a wait read today does not count the
 * open pause. The one writer of clock events (waiting-list/clock-event.writer.ts) keeps these in
 * step with the `waiting_clock_event` rows.
 *
 * Append-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
alter table service
  add column clock_did_not_attend text not null default 'restart'
    check (clock_did_not_attend in ('restart', 'pause', 'ignore')),
  add column clock_patient_cancelled text not null default 'restart'
    check (clock_patient_cancelled in ('restart', 'pause', 'ignore')),
  add column clock_patient_unavailable text not null default 'pause'
    check (clock_patient_unavailable in ('pause', 'ignore'));

alter table episode
  add column clock_paused_since date;

create index waiting_clock_event_episode on waiting_clock_event (episode_id, occurred_on);
`;
