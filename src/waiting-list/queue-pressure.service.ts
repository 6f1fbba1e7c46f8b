import { sql, type Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { Pathway, Priority } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { priorityTargetDays } from '../triage/priority.ts';
import { forecastQueue, needsRelief, queueLoad, reliefCapacity, targetCapacity, targetQueueSize, waitingListPressure } from './queue-pressure.ts';

/** Weeks of history demand and capacity are measured over. */
export const HISTORY_WEEKS = 26;
/** Weeks forecast ahead, and the steps relief capacity aims to clear the excess in. */
export const FORECAST_WEEKS = 26;

export interface FlowRow {
  pathway: Pathway;
  priority: Priority;
  /** Accepted referrals received in the last HISTORY_WEEKS weeks. */
  received: number;
  /** Clocks stopped by a first contact in the last HISTORY_WEEKS weeks. */
  seen: number;
  /** People waiting now. */
  waiting: number;
  /** Mean days waited by those waiting now (null when nobody waits). */
  meanWaitDays: number | null;
}

/**
 * The flows of a service's list per pathway and priority, counted in SQL: accepted referrals
 * received and first contacts (clock stops) in the `weeks` weeks up to `asOf`, and the people
 * waiting on `asOf` with their mean wait (start, less paused days, to `asOf`).
 */
export async function listFlows(db: Kysely<Schema>, serviceId: number, asOf: IsoDate, weeks = HISTORY_WEEKS): Promise<FlowRow[]> {
  const at = sql`${asOf}::date`;
  const from = sql`(${at} - ${weeks * 7}::int)`;
  const waiting = sql`(e.clock_stopped_on is null and e.first_contact_on is null and e.clock_started_on <= ${at})`;
  const waitDays = sql`greatest(0, (${at} - e.clock_started_on) - (e.paused_days + case when e.clock_paused_since is not null and e.clock_paused_since < ${at} then ${at} - e.clock_paused_since else 0 end))`;
  const { rows } = await sql<Record<string, unknown>>`
    select e.pathway_code, e.priority,
      count(*) filter (where r.received_on > ${from} and r.received_on <= ${at}) as received,
      count(*) filter (where e.first_contact_on > ${from} and e.first_contact_on <= ${at}) as seen,
      count(*) filter (where ${waiting}) as waiting,
      avg(${waitDays}) filter (where ${waiting}) as mean_wait_days
    from episode e
    join referral r on r.id = e.referral_id
    where e.service_id = ${serviceId}
    group by e.pathway_code, e.priority
    order by e.pathway_code, e.priority`.execute(db);
  return rows.map((row) => ({
    pathway: row.pathway_code as Pathway,
    priority: row.priority as Priority,
    received: Number(row.received),
    seen: Number(row.seen),
    waiting: Number(row.waiting),
    meanWaitDays: row.mean_wait_days === null ? null : Number(row.mean_wait_days),
  }));
}

export interface PressureRow extends FlowRow {
  /** All per week; waits in weeks. */
  demand: number;
  capacity: number;
  targetWaitWeeks: number;
  meanWaitWeeks: number | null;
  targetQueueSize: number;
  /** Capacity that holds the list at its target (NHSRwaitinglist calc_target_capacity, F = 1). */
  targetCapacity: number;
  /** Capacity that brings the list to its target size in FORECAST_WEEKS weeks. */
  reliefCapacity: number;
  needsRelief: boolean;
  /** Queue load (demand / capacity); null when nothing was seen. */
  load: number | null;
  pressure: number | null;
  /** List size at the end of each of the next FORECAST_WEEKS weeks. */
  forecast: number[];
}

/** The NHSRwaitinglist figures for one pathway and priority from its flows (pure; see queue-pressure.ts). */
export function pressureOf(flow: FlowRow, weeks = HISTORY_WEEKS, targetDays = priorityTargetDays): PressureRow {
  const demand = flow.received / weeks;
  const capacity = flow.seen / weeks;
  const targetWaitWeeks = targetDays[flow.priority] / 7;
  const meanWaitWeeks = flow.meanWaitDays === null ? null : flow.meanWaitDays / 7;
  const targetSize = targetQueueSize(demand, targetWaitWeeks);
  return {
    ...flow,
    demand,
    capacity,
    targetWaitWeeks,
    meanWaitWeeks,
    targetQueueSize: targetSize,
    targetCapacity: targetCapacity(demand, targetWaitWeeks),
    reliefCapacity: reliefCapacity(demand, flow.waiting, targetSize, FORECAST_WEEKS),
    needsRelief: needsRelief(flow.waiting, targetSize),
    load: capacity > 0 ? queueLoad(demand, capacity) : null,
    pressure: meanWaitWeeks === null ? null : waitingListPressure(meanWaitWeeks, targetWaitWeeks),
    forecast: forecastQueue({ queueSize: flow.waiting, demand, capacity, steps: FORECAST_WEEKS }),
  };
}

/**
 * Queue pressure of a service's list, per pathway and priority, for staff who may see its
 * aggregates (figures only, no one named). The read is audited.
 */
export async function queuePressure(db: Kysely<Schema>, actor: Actor, serviceId: number, today: IsoDate) {
  const service = await requireServiceAccess(db, actor, serviceId, 'read_identifiable', { on: today, subjectKind: 'queue_pressure' });
  const rows = (await listFlows(db, serviceId, today)).map((flow) => pressureOf(flow));
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'queue_pressure', subjectId: serviceId, organisationId: service.organisationId });
  const totals = Array.from({ length: FORECAST_WEEKS + 1 }, (_, week) => rows.reduce((sum, row) => sum + (week === 0 ? row.waiting : row.forecast[week - 1]!), 0));
  return { rows, totals, historyWeeks: HISTORY_WEEKS, forecastWeeks: FORECAST_WEEKS };
}
