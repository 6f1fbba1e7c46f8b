/**
 * Test support: random clock event histories for property tests of the clock rules and of their
 * SQL form. Days fall in a short window so that same-day events, pauses without a resume, restarts
 * after a pause, events after the stop and events after the as-of day are all common. Each
 * history keeps the table's rule of at most one event of each kind per episode and day.
 */
import fc from 'fast-check';
import { clockEventKind, clockEventReason } from '../domain/codes.ts';
import type { ClockEvent, ClockRuleSet, PolicyAction } from './clock-rules.ts';

export const HISTORY_FROM = '2026-01-01';
const DAY_MS = 86_400_000;

export function dayAfter(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const reasonsByKind = {
  start: ['referral_received', 'other'],
  pause: ['did_not_attend', 'patient_cancelled', 'patient_unavailable', 'other', 'declined'],
  resume: ['available_again', 'other', 'first_contact'],
  stop: ['first_contact', 'declined', 'validation_removed', 'discharged', 'other'],
} as const;

/** One event: mostly a reason that fits its kind, sometimes any reason at all. */
const event = (span: number): fc.Arbitrary<ClockEvent> =>
  fc.record({ day: fc.integer({ min: 0, max: span }), kind: fc.constantFrom(...clockEventKind.values) }).chain(({ day, kind }) =>
    fc
      .oneof({ weight: 4, arbitrary: fc.constantFrom(...reasonsByKind[kind]) }, { weight: 1, arbitrary: fc.constantFrom(...clockEventReason.values) })
      .map((reason) => ({ occurredOn: dayAfter(HISTORY_FROM, day), kind, reason })),
  );

/**
 * A history of up to `maxEvents` events over `span` days, unique per kind and day. With
 * `withStart`, one of the events is a start (not necessarily the first by day).
 */
export function clockHistory(options: { span?: number; maxEvents?: number; withStart?: boolean } = {}): fc.Arbitrary<ClockEvent[]> {
  const span = options.span ?? 40;
  const events = fc.uniqueArray(event(span), { maxLength: options.maxEvents ?? 10, selector: (e) => `${e.kind} ${e.occurredOn}` });
  if (!options.withStart) return events;
  return fc
    .tuple(fc.integer({ min: 0, max: span }), events)
    .map(([day, rest]) => {
      const start: ClockEvent = { occurredOn: dayAfter(HISTORY_FROM, day), kind: 'start', reason: 'referral_received' };
      return [start, ...rest.filter((e) => !(e.kind === 'start' && e.occurredOn === start.occurredOn))];
    })
    .chain((history) => fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }).map((shuffled) => shuffled));
}

const actions: PolicyAction[] = ['restart', 'pause', 'ignore'];

/** Every rule set the rule types allow (18), each named by its three rules. */
export const EVERY_RULE_SET: ClockRuleSet[] = actions.flatMap((didNotAttend) =>
  actions.flatMap((patientCancelled) =>
    (['pause', 'ignore'] as const).map((patientUnavailable) => ({
      name: `dna ${didNotAttend}, cancelled ${patientCancelled}, unavailable ${patientUnavailable}`,
      didNotAttend,
      patientCancelled,
      patientUnavailable,
    })),
  ),
);

export const anyRuleSet: fc.Arbitrary<ClockRuleSet> = fc.constantFrom(...EVERY_RULE_SET);
