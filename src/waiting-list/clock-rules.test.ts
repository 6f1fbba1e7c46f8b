import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTINUOUS_CLOCK_RULES, DEFAULT_CLOCK_RULES, computeClock, type ClockEvent, type ClockRuleSet } from './clock-rules.ts';

const received: ClockEvent = { occurredOn: '2026-01-05', kind: 'start', reason: 'referral_received' };

describe('clock rules', () => {
  it('counts from receipt to first treatment', () => {
    const result = computeClock([received, { occurredOn: '2026-02-16', kind: 'stop', reason: 'first_contact' }], DEFAULT_CLOCK_RULES, '2026-06-01');
    expect(result).toMatchObject({ startedOn: '2026-01-05', stoppedOn: '2026-02-16', pausedDays: 0, waitDays: 42 });
  });

  it('runs to the as-of day while waiting, and ignores events after it', () => {
    const result = computeClock([received, { occurredOn: '2026-03-01', kind: 'stop', reason: 'first_contact' }], DEFAULT_CLOCK_RULES, '2026-01-15');
    expect(result).toMatchObject({ stoppedOn: null, waitDays: 10 });
  });

  it('a did-not-attend restarts the clock under the default rules and is ignored by the continuous rules', () => {
    const events: ClockEvent[] = [
      received,
      { occurredOn: '2026-01-26', kind: 'pause', reason: 'did_not_attend' },
      { occurredOn: '2026-02-16', kind: 'stop', reason: 'first_contact' },
    ];
    const restart = computeClock(events, DEFAULT_CLOCK_RULES, '2026-06-01');
    expect(restart).toMatchObject({ startedOn: '2026-01-26', waitDays: 21 });
    expect(restart.rulesApplied).toContain('did_not_attend on 2026-01-26: clock restarted');
    const continuous = computeClock(events, CONTINUOUS_CLOCK_RULES, '2026-06-01');
    expect(continuous).toMatchObject({ startedOn: '2026-01-05', waitDays: 42 });
    expect(continuous.rulesApplied).toContain('did_not_attend on 2026-01-26: clock ran on');
  });

  it('a pause rule stops counting until the resume', () => {
    const rules: ClockRuleSet = { name: 'pause', didNotAttend: 'pause', patientCancelled: 'pause', patientUnavailable: 'pause' };
    const events: ClockEvent[] = [
      received,
      { occurredOn: '2026-01-12', kind: 'pause', reason: 'patient_unavailable' },
      { occurredOn: '2026-01-26', kind: 'resume', reason: 'available_again' },
      { occurredOn: '2026-02-16', kind: 'stop', reason: 'first_contact' },
    ];
    expect(computeClock(events, rules, '2026-06-01')).toMatchObject({ pausedDays: 14, waitDays: 28 });
    // Unavailability ignored: every day counts.
    expect(computeClock(events, CONTINUOUS_CLOCK_RULES, '2026-06-01')).toMatchObject({ pausedDays: 0, waitDays: 42 });
  });

  it('a pause still open at the stop counts up to the stop only', () => {
    const events: ClockEvent[] = [
      received,
      { occurredOn: '2026-01-12', kind: 'pause', reason: 'patient_unavailable' },
      { occurredOn: '2026-01-19', kind: 'stop', reason: 'discharged' },
    ];
    expect(computeClock(events, DEFAULT_CLOCK_RULES, '2026-06-01')).toMatchObject({ pausedDays: 7, waitDays: 7 });
  });

  it('refuses an episode without a start', () => {
    expect(() => computeClock([{ occurredOn: '2026-01-05', kind: 'stop', reason: 'discharged' }], DEFAULT_CLOCK_RULES, '2026-02-01')).toThrow(RangeError);
  });

  it('never gives a negative wait, and paused days never exceed the counted span (property)', () => {
    const kinds = fc.constantFrom<Pick<ClockEvent, 'kind' | 'reason'>>(
      { kind: 'pause', reason: 'did_not_attend' },
      { kind: 'pause', reason: 'patient_cancelled' },
      { kind: 'pause', reason: 'patient_unavailable' },
      { kind: 'resume', reason: 'available_again' },
      { kind: 'stop', reason: 'first_contact' },
      { kind: 'stop', reason: 'discharged' },
    );
    const action = fc.constantFrom<'restart' | 'pause' | 'ignore'>('restart', 'pause', 'ignore');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), kinds), { maxLength: 12 }),
        action,
        action,
        fc.constantFrom<'pause' | 'ignore'>('pause', 'ignore'),
        fc.integer({ min: 0, max: 500 }),
        (raw, didNotAttend, patientCancelled, patientUnavailable, asOfOffset) => {
          const base = Date.parse('2026-01-05T00:00:00Z');
          const date = (offset: number) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
          const events: ClockEvent[] = [received, ...raw.map(([offset, event]) => ({ ...event, occurredOn: date(offset) }))];
          const result = computeClock(events, { name: 'any', didNotAttend, patientCancelled, patientUnavailable }, date(asOfOffset));
          const end = Date.parse(`${result.stoppedOn ?? date(asOfOffset)}T00:00:00Z`);
          const span = Math.round((end - Date.parse(`${result.startedOn}T00:00:00Z`)) / 86_400_000);
          return result.waitDays >= 0 && result.pausedDays >= 0 && result.pausedDays <= Math.max(0, span) && result.waitDays <= Math.max(0, span);
        },
      ),
    );
  });
});
