/**
 * Waiting-list clock rules: the wait of one episode computed from its clock event rows
 * (`waiting_clock_event`, ADR 0004) under a service's access policy. Pure: the same events under
 * a different rule set give that rule's wait without touching data.
 *
 * The clock starts at receipt of the referral and stops at first treatment or a non-treatment
 * decision (discharge, declined, removed at validation). What a did-not-attend or a patient
 * cancellation does is the service's access policy, one of:
 * - `restart`: the clock starts again from that day (as the NHS referral-to-treatment rules treat
 *   a did-not-attend at the first appointment: "nullified and restarted");
 * - `pause`: the clock stops counting until the matching resume event (or, without one, until
 *   the next contact event);
 * - `ignore`: the clock runs on.
 * Patient unavailability pauses the clock when the policy says `pause` and is ignored otherwise.
 * Every result names the rules that changed it, so a wait can be explained.
 */
import type { ClockEventKind, ClockEventReason } from '../domain/codes.ts';

export type { ClockEventKind, ClockEventReason };

export interface ClockEvent {
  /** YYYY-MM-DD. */
  occurredOn: string;
  kind: ClockEventKind;
  reason: ClockEventReason;
}

export type PolicyAction = 'restart' | 'pause' | 'ignore';

export interface ClockRuleSet {
  name: string;
  didNotAttend: PolicyAction;
  patientCancelled: PolicyAction;
  patientUnavailable: 'pause' | 'ignore';
}

/** The rule Roots applies when a service has not chosen: the referral-to-treatment style. */
export const DEFAULT_CLOCK_RULES: ClockRuleSet = {
  name: 'restart on did-not-attend or patient cancellation; pause while unavailable',
  didNotAttend: 'restart',
  patientCancelled: 'restart',
  patientUnavailable: 'pause',
};

/** Every day counts from receipt to first treatment. */
export const CONTINUOUS_CLOCK_RULES: ClockRuleSet = {
  name: 'continuous from receipt',
  didNotAttend: 'ignore',
  patientCancelled: 'ignore',
  patientUnavailable: 'ignore',
};

export interface ClockResult {
  /** The day the counted wait starts (after any restart). */
  startedOn: string;
  /** The day the clock stopped, or null while waiting. */
  stoppedOn: string | null;
  /** Days not counted because the clock was paused (paused intervals never overlap). */
  pausedDays: number;
  /** The day the pause still open at the as-of day began, or null when the clock is not paused. */
  pausedSince: string | null;
  /** Counted days from start to the stop (or the as-of day), less paused days; never below 0. */
  waitDays: number;
  /** The rule set's name and each rule that changed the result, in order. */
  rulesApplied: string[];
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${date}`);
  return Math.round(time / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function actionFor(event: ClockEvent, rules: ClockRuleSet): PolicyAction {
  switch (event.reason) {
    case 'did_not_attend':
      return rules.didNotAttend;
    case 'patient_cancelled':
      return rules.patientCancelled;
    case 'patient_unavailable':
      return rules.patientUnavailable;
    default:
      return event.kind === 'pause' ? 'pause' : 'ignore';
  }
}

/**
 * The wait of one episode under `rules`, as of `asOf` (YYYY-MM-DD; events after it are not yet
 * known). Events may come in any order; they are taken by date, and on one date in the order
 * start, pause, resume, stop.
 */
export function computeClock(events: readonly ClockEvent[], rules: ClockRuleSet, asOf: string): ClockResult {
  const order: Record<ClockEventKind, number> = { start: 0, pause: 1, resume: 2, stop: 3 };
  const asOfDay = dayNumber(asOf);
  const sorted = events
    .map((event) => ({ event, day: dayNumber(event.occurredOn) }))
    .filter(({ day }) => day <= asOfDay)
    .sort((a, b) => a.day - b.day || order[a.event.kind] - order[b.event.kind]);
  const first = sorted.find(({ event }) => event.kind === 'start');
  if (!first) throw new RangeError('an episode clock needs a start event');

  const rulesApplied = [rules.name];
  let start = first.day;
  let pausedDays = 0;
  let pausedSince: number | null = null;
  let stop: number | null = null;

  for (const { event, day } of sorted) {
    if (day < start || stop !== null) continue;
    if (event.kind === 'stop') {
      if (pausedSince !== null) {
        pausedDays += day - pausedSince;
        pausedSince = null;
      }
      stop = day;
      continue;
    }
    if (event.kind === 'resume') {
      if (pausedSince !== null) {
        pausedDays += day - pausedSince;
        pausedSince = null;
      }
      continue;
    }
    if (event.kind === 'start') continue;
    const action = actionFor(event, rules);
    if (action === 'restart') {
      start = day;
      pausedDays = 0;
      pausedSince = null;
      rulesApplied.push(`${event.reason} on ${event.occurredOn}: clock restarted`);
    } else if (action === 'pause' && pausedSince === null) {
      pausedSince = day;
      rulesApplied.push(`${event.reason} on ${event.occurredOn}: clock paused`);
    } else if (action === 'ignore' && event.reason !== 'other') {
      rulesApplied.push(`${event.reason} on ${event.occurredOn}: clock ran on`);
    }
  }

  const end = stop ?? asOfDay;
  const openPause = pausedSince;
  if (pausedSince !== null) pausedDays += end - pausedSince;
  const waitDays = Math.max(0, end - start - pausedDays);
  return {
    startedOn: dateOf(start),
    stoppedOn: stop === null ? null : dateOf(stop),
    pausedDays,
    pausedSince: openPause === null ? null : dateOf(openPause),
    waitDays,
    rulesApplied,
  };
}
