import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTORY_FROM, anyRuleSet, clockHistory, dayAfter } from './clock-events.arbitrary.ts';
import { computeClock } from './clock-rules.ts';

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const asOfDay = fc.integer({ min: 0, max: 50 }).map((day) => dayAfter(HISTORY_FROM, day));
const runs = { numRuns: 2000 };

/** A history, a rule set and an as-of day on or after the history's start. */
const started = fc.tuple(clockHistory({ withStart: true }), anyRuleSet, asOfDay).filter(([events, , asOf]) => events.some((e) => e.kind === 'start' && e.occurredOn <= asOf));

describe('clock rules, properties', () => {
  it('never give a negative wait or negative paused days', () => {
    fc.assert(
      fc.property(started, ([events, rules, asOf]) => {
        const result = computeClock(events, rules, asOf);
        expect(result.waitDays).toBeGreaterThanOrEqual(0);
        expect(result.pausedDays).toBeGreaterThanOrEqual(0);
      }),
      runs,
    );
  });

  it('never stop before the start, nor start before the first start or after the as-of day', () => {
    fc.assert(
      fc.property(started, ([events, rules, asOf]) => {
        const result = computeClock(events, rules, asOf);
        const firstStart = events.filter((e) => e.kind === 'start' && e.occurredOn <= asOf).map((e) => e.occurredOn).sort()[0]!;
        expect(result.startedOn >= firstStart).toBe(true);
        expect(result.startedOn <= asOf).toBe(true);
        if (result.stoppedOn !== null) {
          expect(result.stoppedOn >= result.startedOn).toBe(true);
          expect(result.stoppedOn <= asOf).toBe(true);
        }
      }),
      runs,
    );
  });

  it('paused intervals never overlap: paused and counted days add up to exactly the calendar days, so wait <= calendar days', () => {
    fc.assert(
      fc.property(started, ([events, rules, asOf]) => {
        const result = computeClock(events, rules, asOf);
        const calendar = days(result.startedOn, result.stoppedOn ?? asOf);
        // Overlapping pauses would count a day twice and push paused days past the calendar.
        expect(result.pausedDays).toBeLessThanOrEqual(calendar);
        expect(result.waitDays + result.pausedDays).toBe(calendar);
        expect(result.waitDays).toBeLessThanOrEqual(calendar);
      }),
      runs,
    );
  });

  it('paused days equal a day-by-day count of paused days (each day paused at most once)', () => {
    // An independent model: from the counted start (after any restart), walk the calendar day by
    // day and mark a day paused if the clock is paused at the end of it. A restart rule never
    // pauses (pausing() is false for it), and the last restart is the counted start.
    const order = { start: 0, pause: 1, resume: 2, stop: 3 } as const;
    fc.assert(
      fc.property(started, ([events, rules, asOf]) => {
        const result = computeClock(events, rules, asOf);
        const end = result.stoppedOn ?? asOf;
        const relevant = events
          .filter((e) => e.occurredOn >= result.startedOn && e.occurredOn <= end)
          .sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || order[a.kind] - order[b.kind]);
        const pausing = (reason: string) =>
          reason === 'did_not_attend' ? rules.didNotAttend === 'pause' : reason === 'patient_cancelled' ? rules.patientCancelled === 'pause' : reason === 'patient_unavailable' ? rules.patientUnavailable === 'pause' : true;
        let paused = false;
        let marked = 0;
        for (let day = result.startedOn; day < end; day = dayAfter(day, 1)) {
          for (const e of relevant.filter((x) => x.occurredOn === day)) {
            if (e.kind === 'resume') paused = false;
            else if (e.kind === 'pause' && pausing(e.reason)) paused = true;
          }
          if (paused) marked += 1;
        }
        expect(result.pausedDays).toBe(marked);
      }),
      runs,
    );
  });

  it('do not depend on the order the events come in, nor on events after the stop or the as-of day', () => {
    fc.assert(
      fc.property(started, fc.integer({ min: 1, max: 30 }), ([events, rules, asOf], later) => {
        const result = computeClock(events, rules, asOf);
        expect(computeClock([...events].reverse(), rules, asOf)).toEqual(result);
        const after = dayAfter(result.stoppedOn ?? asOf, later);
        const extra = [
          { occurredOn: after, kind: 'pause', reason: 'did_not_attend' },
          { occurredOn: after, kind: 'start', reason: 'referral_received' },
          { occurredOn: after, kind: 'resume', reason: 'available_again' },
        ] as const;
        const withLater = [...events, ...extra.filter((x) => !events.some((e) => e.kind === x.kind && e.occurredOn === x.occurredOn))];
        expect(computeClock(withLater, rules, asOf)).toEqual(result);
      }),
      runs,
    );
  });
});
