import { sql, type Kysely } from 'kysely';

/**
 * Referral facts for the equity audit: one narrow row per referral with every breakdown and
 * date the audit counts (the area's deprivation and geography included), and one row per
 * referral and outcome instrument with its baseline and final scores. An audit of a million
 * referrals then reads these tables alone, with no joins (docs/adr/0007).
 *
 * The facts are a cache. Statement-level triggers on the source tables record which referrals
 * changed (set-based: one insert per statement, not per row); `roots_refresh_referral_facts()`
 * rebuilds the facts of those referrals. Imports call it when they finish, a reference data
 * import marks every referral (deprivation and geography may have changed), and every audit
 * calls it before reading, so a fact is never read stale.
 *
 * Append-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
create table referral_fact (
  referral_id integer primary key references referral (id) on delete cascade,
  service_id integer not null,
  received_on date not null,
  -- The area at referral, or '~no_area' (no fixed address) or '~unknown'.
  area_key text not null,
  -- The area's nation, national deprivation rank, decile and quintile (its own nation's index),
  -- ICB and local authority; 'no_area' or 'unknown' when there is no known area.
  nation char(1),
  imd_rank integer,
  imd_decile text not null,
  imd_quintile text not null,
  icb text not null,
  local_authority text not null,
  age_band text not null,
  sex text not null,
  ethnicity text not null,
  ethnic_group text not null,
  disability text not null,
  interpreter text not null,
  language text not null,
  inclusion_groups text[] not null,
  pathway text not null,
  referral_source text not null,
  priority text,
  triage_outcome text,
  episode_id integer,
  clock_started_on date,
  first_contact_on date,
  clock_stopped_on date,
  paused_days integer not null default 0,
  attended integer not null default 0,
  did_not_attend integer not null default 0,
  discharged_on date,
  discharge_outcomes text[] not null default '{}'
);
create index referral_fact_service_received on referral_fact (service_id, received_on);

-- One row per referral and outcome instrument with a baseline or a final score, carrying the
-- referral's breakdowns so that PROM change by group reads this table alone.
create table outcome_fact (
  like referral_fact excluding constraints excluding indexes excluding defaults,
  instrument text not null,
  baseline numeric,
  baseline_on date,
  final numeric,
  final_on date,
  primary key (referral_id, instrument),
  foreign key (referral_id) references referral (id) on delete cascade
);
create index outcome_fact_service_received on outcome_fact (service_id, received_on);

-- Referrals whose facts must be rebuilt. No foreign key: a deleted referral just rebuilds nothing.
create table referral_fact_dirty (
  referral_id integer primary key
);

create function roots_mark_facts_by_referral_id() returns trigger
language plpgsql as $$
begin
  insert into referral_fact_dirty (referral_id)
  select distinct referral_id from changed
  on conflict do nothing;
  return null;
end
$$;

create function roots_mark_facts_by_id() returns trigger
language plpgsql as $$
begin
  insert into referral_fact_dirty (referral_id)
  select id from changed
  on conflict do nothing;
  return null;
end
$$;

create function roots_mark_facts_by_person() returns trigger
language plpgsql as $$
begin
  insert into referral_fact_dirty (referral_id)
  select r.id from referral r join (select distinct id from changed) c on r.person_id = c.id
  on conflict do nothing;
  return null;
end
$$;

create function roots_mark_facts_by_episode() returns trigger
language plpgsql as $$
begin
  insert into referral_fact_dirty (referral_id)
  select e.referral_id from episode e join (select distinct episode_id from changed) c on e.id = c.episode_id
  on conflict do nothing;
  return null;
end
$$;

-- PostgreSQL allows transition tables on single-event triggers only, hence one trigger per event.
create trigger referral_facts_insert after insert on referral
  referencing new table as changed for each statement execute function roots_mark_facts_by_id();
create trigger referral_facts_update after update on referral
  referencing new table as changed for each statement execute function roots_mark_facts_by_id();
create trigger person_facts_update after update on person
  referencing new table as changed for each statement execute function roots_mark_facts_by_person();
create trigger triage_facts_insert after insert on triage
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger triage_facts_update after update on triage
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger triage_facts_delete after delete on triage
  referencing old table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger episode_facts_insert after insert on episode
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger episode_facts_update after update on episode
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger episode_facts_delete after delete on episode
  referencing old table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger discharge_facts_insert after insert on discharge
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger discharge_facts_update after update on discharge
  referencing new table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger discharge_facts_delete after delete on discharge
  referencing old table as changed for each statement execute function roots_mark_facts_by_referral_id();
create trigger outcome_facts_insert after insert on outcome_response
  referencing new table as changed for each statement execute function roots_mark_facts_by_episode();
create trigger outcome_facts_update after update on outcome_response
  referencing new table as changed for each statement execute function roots_mark_facts_by_episode();
create trigger outcome_facts_delete after delete on outcome_response
  referencing old table as changed for each statement execute function roots_mark_facts_by_episode();

-- Rebuilds the facts of every referral marked dirty; returns how many it rebuilt. Age is taken at
-- referral, in the audit's six bands (Census 2021 bands: 0-15, 16-24, 25-34, 35-49, 50-64, 65+).
--
-- The marked ids are moved into a temporary table and analysed first, and the rebuild is planned
-- afresh each time (EXECUTE), so one changed referral costs a few index lookups and a million
-- after an import cost one hash join, instead of one cached plan serving both badly.
create function roots_refresh_referral_facts() returns integer
language plpgsql as $$
declare
  rebuilt integer;
begin
  if not exists (select 1 from referral_fact_dirty) then
    return 0;
  end if;
  create temporary table if not exists roots_fact_batch (referral_id integer primary key) on commit drop;
  delete from roots_fact_batch;
  with taken as (
    delete from referral_fact_dirty returning referral_id
  )
  insert into roots_fact_batch select referral_id from taken on conflict do nothing;
  analyze roots_fact_batch;

  execute $rebuild$
  insert into referral_fact
  select
    r.id,
    r.service_id,
    r.received_on,
    coalesce(r.area_code, case when p.postcode_status = 'no_fixed_address' then '~no_area' else '~unknown' end),
    coalesce(dep.nation, a.nation),
    dep.rank,
    coalesce(dep.decile::text, case when r.area_code is null and p.postcode_status = 'no_fixed_address' then 'no_area' else 'unknown' end),
    coalesce(dep.quintile::text, case when r.area_code is null and p.postcode_status = 'no_fixed_address' then 'no_area' else 'unknown' end),
    coalesce(a.icb_code, case when r.area_code is null and p.postcode_status = 'no_fixed_address' then 'no_area' else 'unknown' end),
    coalesce(a.local_authority_code, case when r.area_code is null and p.postcode_status = 'no_fixed_address' then 'no_area' else 'unknown' end),
    case
      when p.date_of_birth is null then 'unknown'
      when extract(year from age(r.received_on, p.date_of_birth)) <= 15 then '0-15'
      when extract(year from age(r.received_on, p.date_of_birth)) <= 24 then '16-24'
      when extract(year from age(r.received_on, p.date_of_birth)) <= 34 then '25-34'
      when extract(year from age(r.received_on, p.date_of_birth)) <= 49 then '35-49'
      when extract(year from age(r.received_on, p.date_of_birth)) <= 64 then '50-64'
      else '65+'
    end,
    coalesce(nullif(p.sex, 'X'), 'unknown'),
    case when p.ethnicity is null or p.ethnicity = '99' then 'unknown' when p.ethnicity = 'Z' then 'not_stated' else p.ethnicity end,
    case
      when p.ethnicity in ('A', 'B', 'C') then 'white'
      when p.ethnicity in ('D', 'E', 'F', 'G') then 'mixed'
      when p.ethnicity in ('H', 'J', 'K', 'L') then 'asian'
      when p.ethnicity in ('M', 'N', 'P') then 'black'
      when p.ethnicity in ('R', 'S') then 'other'
      when p.ethnicity = 'Z' then 'not_stated'
      else 'unknown'
    end,
    case p.disability when true then 'yes' when false then 'no' else 'unknown' end,
    case p.interpreter_needed when true then 'yes' when false then 'no' else 'unknown' end,
    coalesce(p.language, 'unknown'),
    p.inclusion_groups,
    coalesce(t.pathway_code, 'not_triaged'),
    r.source,
    t.priority,
    t.outcome,
    e.id,
    e.clock_started_on,
    e.first_contact_on,
    e.clock_stopped_on,
    coalesce(e.paused_days, 0),
    coalesce(e.contacts_attended, 0),
    coalesce(e.contacts_did_not_attend, 0),
    d.discharged_on,
    coalesce(d.outcomes, '{}')
  from roots_fact_batch dirty
  join referral r on r.id = dirty.referral_id
  join person p on p.id = r.person_id
  left join triage t on t.referral_id = r.id
  left join episode e on e.referral_id = r.id
  left join discharge d on d.referral_id = r.id
  left join ref_area a on a.area_code = r.area_code
  -- An area is ranked by its own nation's index; should several be loaded, the first by name.
  left join (
    select distinct on (area_code) area_code, nation, rank, decile, quintile
    from ref_deprivation order by area_code, index_name
  ) dep on dep.area_code = r.area_code
  on conflict (referral_id) do update set
    service_id = excluded.service_id,
    received_on = excluded.received_on,
    area_key = excluded.area_key,
    nation = excluded.nation,
    imd_rank = excluded.imd_rank,
    imd_decile = excluded.imd_decile,
    imd_quintile = excluded.imd_quintile,
    icb = excluded.icb,
    local_authority = excluded.local_authority,
    age_band = excluded.age_band,
    sex = excluded.sex,
    ethnicity = excluded.ethnicity,
    ethnic_group = excluded.ethnic_group,
    disability = excluded.disability,
    interpreter = excluded.interpreter,
    language = excluded.language,
    inclusion_groups = excluded.inclusion_groups,
    pathway = excluded.pathway,
    referral_source = excluded.referral_source,
    priority = excluded.priority,
    triage_outcome = excluded.triage_outcome,
    episode_id = excluded.episode_id,
    clock_started_on = excluded.clock_started_on,
    first_contact_on = excluded.first_contact_on,
    clock_stopped_on = excluded.clock_stopped_on,
    paused_days = excluded.paused_days,
    attended = excluded.attended,
    did_not_attend = excluded.did_not_attend,
    discharged_on = excluded.discharged_on,
    discharge_outcomes = excluded.discharge_outcomes
  $rebuild$;
  get diagnostics rebuilt = row_count;

  execute $outcomes$
  delete from outcome_fact o using roots_fact_batch dirty where o.referral_id = dirty.referral_id
  $outcomes$;
  execute $outcomes$
  insert into outcome_fact
  select f.*, s.instrument, s.baseline, s.baseline_on, s.final, s.final_on
  from roots_fact_batch dirty
  join referral_fact f on f.referral_id = dirty.referral_id
  join (
    select episode_id, instrument,
      max(score) filter (where timepoint = 'baseline') as baseline,
      max(recorded_on) filter (where timepoint = 'baseline') as baseline_on,
      max(score) filter (where timepoint = 'discharge') as final,
      max(recorded_on) filter (where timepoint = 'discharge') as final_on
    from outcome_response
    where episode_id in (select f2.episode_id from referral_fact f2 join roots_fact_batch b on b.referral_id = f2.referral_id)
    group by episode_id, instrument
  ) s on s.episode_id = f.episode_id
  $outcomes$;
  return rebuilt;
end
$$;
`;
