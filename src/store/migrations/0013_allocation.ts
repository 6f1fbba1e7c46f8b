import { sql, type Kysely } from 'kysely';

/**
 * Allocation by competency (issue 9): the green / amber / red model of the community
 * rehabilitation case study, held so the shortlist can be computed from the store.
 *
 * - `competency` (the service's task catalogue, 0001) gains `pathways`: the pathways a task
 *   usually applies to, so an episode's required tasks default from its pathway.
 * - `staff_competency` gains the level each therapist holds on a task: green (can do it), amber
 *   (can do it with named supervision: `supervisor_id` names the supervisor) or red (a
 *   specialist, able to take red work). Rows from before this migration keep their meaning:
 *   `supported` ones become amber (no supervisor named yet: the check is `not valid`, so those
 *   old rows stand until edited, and every new or edited row must name one), the rest green, or
 *   red on a red task.
 * - `staff_travel_area`: the areas (local authority or smaller area codes) a therapist travels to.
 *   Capacity is `staff_user.capacity_hours_per_week` (0001).
 * - `episode_required_competency`: the catalogue tasks one waiting episode needs.
 * - `allocation` (0001) gains what the confirmation carries: the weekly hours it adds to the
 *   therapist's caseload weight, the episode version it was confirmed against, the shortlist
 *   rank (null when the team lead chose someone outside the top of the list), the named
 *   supervisor for amber work, and when. The partial unique index `allocation_open` (0001)
 *   already stops two open allocations of one episode.
 *
 * Forward-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
alter table competency add column pathways text[] not null default '{}'
  check (pathways <@ array['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost']::text[]);

alter table staff_competency add column level text not null default 'green' check (level in ('green', 'amber', 'red'));
alter table staff_competency add column supervisor_id integer references staff_user (id) on delete restrict;
update staff_competency set level = 'amber' where supported;
update staff_competency sc set level = 'red' from competency c where c.id = sc.competency_id and c.level = 'red' and not sc.supported;
alter table staff_competency add constraint staff_competency_amber_supervised check (level <> 'amber' or supervisor_id is not null) not valid;
alter table staff_competency add constraint staff_competency_not_own_supervisor check (supervisor_id is null or supervisor_id <> staff_user_id);

create table staff_travel_area (
  staff_user_id integer not null references staff_user (id) on delete cascade,
  area_code text not null check (area_code ~ '^[A-Za-z0-9]{2,12}$'),
  primary key (staff_user_id, area_code)
);

create table episode_required_competency (
  episode_id integer not null references episode (id) on delete cascade,
  competency_id integer not null references competency (id) on delete cascade,
  primary key (episode_id, competency_id)
);

alter table allocation add column weekly_hours numeric(4, 1) not null default 1 check (weekly_hours > 0 and weekly_hours <= 40);
alter table allocation add column episode_version integer check (episode_version >= 1);
alter table allocation add column shortlist_rank integer check (shortlist_rank >= 1);
alter table allocation add column supervisor_id integer references staff_user (id);
alter table allocation add column confirmed_at timestamptz not null default now();
-- Caseload weight: the open allocations of each therapist.
create index allocation_staff_open on allocation (staff_user_id) where ended_on is null;
`;
