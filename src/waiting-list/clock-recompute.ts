/**
 * The waiting-list clock rules of `clock-rules.ts` (`computeClock`) as ONE set-based SQL query
 * over `waiting_clock_event`: every episode's wait recomputed under any rule set, as of any day,
 * without touching data (the query only reads). The equivalence with `computeClock` is tested
 * episode by episode on random event histories (`clock-recompute.int.test.ts`), on both engines.
 *
 * How the state machine of `computeClock` becomes sets. Events are taken in the order of
 * `computeClock` (by day; on one day start, pause, resume, stop; at most one event of each kind per
 * episode and day, by the table's unique key), and only those on or before the as-of day.
 * 1. The live part of the history: from the first start to the first stop after it. An event is
 *    live if a start came before it (or it is one) and no stop that itself came after a start
 *    came before it; "a stop after a start before this event" is "the earliest start before it is
 *    on or before the latest stop before it" (a start sorts before a stop on the same day), so
 *    one running window over the earlier events decides it.
 * 2. A pause event whose rule is `restart` resets everything, so only the last one matters: the
 *    counted wait starts on the day of the last live restart, or else of the first start.
 * 3. Paused days: the clock is paused after a pause event whose rule is `pause` and running after a
 *    resume (a pause while paused and a resume while running change nothing). So each `pause`
 *    event with no restart after it contributes the days up to the next pause-or-resume event,
 *    or up to the stop (or the as-of day) if there is none; consecutive pauses add up to one
 *    interval. Pause events whose rule is `ignore` take no part. One window over the later
 *    events gives the next pause-or-resume and whether a restart follows.
 * So two window passes over the events sorted once by episode, day and kind, and one grouping.
 * An episode whose clock has not started on or before the as-of day has no row (`computeClock`
 * refuses such a history).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { IsoDate, Schema } from '../store/schema.ts';
import type { ClockRuleSet, PolicyAction } from './clock-rules.ts';

/** One episode's wait under a rule set: the same four figures as `computeClock`. */
export interface RecomputedWait {
  episodeId: number;
  startedOn: IsoDate;
  stoppedOn: IsoDate | null;
  pausedDays: number;
  waitDays: number;
}

/** Which episodes to recompute: a whole service (the usual case). */
export interface RecomputeScope {
  serviceId: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a pause event with this rule is in the query: a restart (`X`), a pause (`P`) or nothing.
 * Only these three literals ever reach the SQL text, whatever the rule set holds.
 */
function toggleOf(action: PolicyAction): RawBuilder<unknown> {
  switch (action) {
    case 'restart':
      return sql.lit('X');
    case 'pause':
      return sql.lit('P');
    case 'ignore':
      return sql`null`;
    default:
      throw new RangeError(`not a clock rule: ${String(action)}`);
  }
}

/**
 * The per-episode recompute as a SQL fragment (a `select` with columns episode_id, started_on,
 * stopped_on, paused_days, wait_days), to run on its own or to use as a subquery that SQL
 * aggregates. Reads only.
 */
export function recomputedWaitsSql(scope: RecomputeScope, rules: ClockRuleSet, asOf: IsoDate): RawBuilder<{ episode_id: number; started_on: IsoDate; stopped_on: IsoDate | null; paused_days: number; wait_days: number }> {
  if (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) throw new RangeError(`not a date: ${asOf}`);
  if (!Number.isInteger(scope.serviceId)) throw new RangeError('serviceId must be an integer');
  const asOfDay = sql`cast(${asOf} as date)`;
  const dna = toggleOf(rules.didNotAttend);
  const cancelled = toggleOf(rules.patientCancelled);
  const unavailable = toggleOf(rules.patientUnavailable);
  const ordered = sql.raw('partition by episode_id order by day, ord');
  return sql`
    select episode_id, started_on, stopped_on, paused_days,
      greatest(0, coalesce(stopped_on, ${asOfDay}) - started_on - paused_days) as wait_days
    from (
      select episode_id, started_on, stopped_on,
        closed_paused_days + coalesce(coalesce(stopped_on, ${asOfDay}) - open_pause_on, 0) as paused_days
      from (
        select episode_id,
          coalesce(max(day) filter (where toggle = 'X'), min(day)) as started_on,
          min(day) filter (where kind = 'stop') as stopped_on,
          coalesce(sum(next_toggle_on - day) filter (where toggle = 'P' and restarts_after = 0 and next_toggle_on is not null), 0) as closed_paused_days,
          max(day) filter (where toggle = 'P' and restarts_after = 0 and next_toggle_on is null) as open_pause_on
        from (
          select episode_id, day, kind, toggle,
            min(day) filter (where toggle in ('P', 'R')) over later as next_toggle_on,
            count(*) filter (where toggle = 'X') over later as restarts_after
          from (
            select episode_id, day, ord, kind, toggle,
              min(day) filter (where kind = 'start') over earlier as first_start_before,
              max(day) filter (where kind = 'stop') over earlier as last_stop_before
            from (
              select e.episode_id, e.occurred_on as day, e.kind,
                case e.kind when 'start' then 0 when 'pause' then 1 when 'resume' then 2 else 3 end as ord,
                case
                  when e.kind = 'resume' then 'R'
                  when e.kind <> 'pause' then null
                  when e.reason = 'did_not_attend' then ${dna}
                  when e.reason = 'patient_cancelled' then ${cancelled}
                  when e.reason = 'patient_unavailable' then ${unavailable}
                  else 'P'
                end as toggle
              from waiting_clock_event e
              join episode ep on ep.id = e.episode_id
              where ep.service_id = ${scope.serviceId} and e.occurred_on <= ${asOfDay}
            ) as clock_event
            window earlier as (${ordered} rows between unbounded preceding and 1 preceding)
          ) as with_earlier
          where (kind = 'start' or first_start_before is not null)
            and not coalesce(first_start_before <= last_stop_before, false)
          window later as (${ordered} rows between 1 following and unbounded following)
        ) as live_event
        group by episode_id
      ) as per_episode
    ) as recomputed`;
}

/** Every episode's wait in a service under `rules` as of `asOf`, ordered by episode id (the query alone). */
export function recomputeWaitsQuery(scope: RecomputeScope, rules: ClockRuleSet, asOf: IsoDate) {
  return sql<{ episode_id: number; started_on: IsoDate; stopped_on: IsoDate | null; paused_days: number | string; wait_days: number | string }>`
    select * from (${recomputedWaitsSql(scope, rules, asOf)}) as w order by episode_id`;
}

/** Every episode's wait in a service under `rules` as of `asOf`, by episode id. */
export async function recomputeWaits(db: Kysely<Schema>, scope: RecomputeScope, rules: ClockRuleSet, asOf: IsoDate): Promise<RecomputedWait[]> {
  const { rows } = await recomputeWaitsQuery(scope, rules, asOf).execute(db);
  return rows.map((row) => ({
    episodeId: Number(row.episode_id),
    startedOn: row.started_on,
    stoppedOn: row.stopped_on,
    pausedDays: Number(row.paused_days),
    waitDays: Number(row.wait_days),
  }));
}

/** The 18-week standard of the referral-to-treatment rules, in days. */
export const EIGHTEEN_WEEKS_DAYS = 126;

/** Aggregate waits of the people still waiting on the as-of day under one rule set. */
export interface WaitSummary {
  /** Episodes started and not stopped on the as-of day. */
  waiting: number;
  /** Median wait in days of those waiting (the lower middle value: percentile_disc 0.5); null if none. */
  medianDays: number | null;
  /** 92nd percentile wait in days (percentile_disc 0.92): the RTT standard is 92% within 18 weeks; null if none. */
  p92Days: number | null;
  /** Waiting more than 18 weeks (126 days). */
  over18Weeks: number;
  /** Episodes whose clock stopped on or before the as-of day. */
  stopped: number;
}

/** The summary query alone (one row: waiting, median_days, p92_days, over_18_weeks, stopped). */
export function waitSummaryQuery(scope: RecomputeScope, rules: ClockRuleSet, asOf: IsoDate) {
  return sql<{ waiting: number | string; median_days: number | string | null; p92_days: number | string | null; over_18_weeks: number | string; stopped: number | string }>`
    select
      count(*) filter (where stopped_on is null) as waiting,
      percentile_disc(0.5) within group (order by wait_days) filter (where stopped_on is null) as median_days,
      percentile_disc(0.92) within group (order by wait_days) filter (where stopped_on is null) as p92_days,
      count(*) filter (where stopped_on is null and wait_days > ${EIGHTEEN_WEEKS_DAYS}) as over_18_weeks,
      count(*) filter (where stopped_on is not null) as stopped
    from (${recomputedWaitsSql(scope, rules, asOf)}) as w`;
}

/** The summary of a service's waits under `rules`, aggregated in SQL (no episode rows reach Node). */
export async function summariseWaits(db: Kysely<Schema>, scope: RecomputeScope, rules: ClockRuleSet, asOf: IsoDate): Promise<WaitSummary> {
  const row = (await waitSummaryQuery(scope, rules, asOf).execute(db)).rows[0]!;
  const orNull = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    waiting: Number(row.waiting),
    medianDays: orNull(row.median_days),
    p92Days: orNull(row.p92_days),
    over18Weeks: Number(row.over_18_weeks),
    stopped: Number(row.stopped),
  };
}
