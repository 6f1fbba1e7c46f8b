import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EQUITY_WEIGHTS_OFF, priorityScore, type Priority, type PriorityInput } from './priority-score.ts';

// Roots' default target days per priority (triage).
const TARGET: Record<Priority, number> = { P1: 2, P2: 14, P3: 42, P4: 126 };

function person(overrides: Partial<PriorityInput> = {}): PriorityInput {
  return {
    priority: 'P3',
    targetDays: TARGET.P3,
    waitDays: 21,
    deprivationQuintile: 3,
    inclusionHealthGroup: false,
    interpreterNeeded: false,
    disability: false,
    ...overrides,
  };
}

describe('priority score', () => {
  it('adds clinical priority and the share of target waited, with reasons', () => {
    const score = priorityScore(person());
    expect(score.total).toBe(1.5);
    expect(score.parts).toEqual([
      { part: 'clinical priority', points: 1, reason: 'priority P3' },
      { part: 'time waited', points: 0.5, reason: '21 of 42 target days (50%)' },
    ]);
  });

  it('equity weights are off by default and add their part when a service sets them', () => {
    const deprived = person({ deprivationQuintile: 1, interpreterNeeded: true });
    expect(priorityScore(deprived).total).toBe(1.5);
    const weighted = priorityScore(deprived, { ...EQUITY_WEIGHTS_OFF, mostDeprivedQuintile: 0.5, interpreterNeeded: 0.25 });
    expect(weighted.total).toBe(2.25);
    expect(weighted.parts.map((part) => part.part)).toEqual(['clinical priority', 'time waited', 'mostDeprivedQuintile', 'interpreterNeeded']);
  });

  it('refuses negative weights and waits', () => {
    expect(() => priorityScore(person({ waitDays: -1 }))).toThrow(RangeError);
    expect(() => priorityScore(person(), { ...EQUITY_WEIGHTS_OFF, disability: -1 })).toThrow(RangeError);
  });

  const priority = fc.constantFrom<Priority>('P1', 'P2', 'P3', 'P4');
  const input = fc.record({
    priority,
    waitDays: fc.integer({ min: 0, max: 2_000 }),
    deprivationQuintile: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    inclusionHealthGroup: fc.boolean(),
    interpreterNeeded: fc.boolean(),
    disability: fc.boolean(),
  });
  const weights = fc.record({
    mostDeprivedQuintile: fc.double({ min: 0, max: 3, noNaN: true }),
    inclusionHealthGroup: fc.double({ min: 0, max: 3, noNaN: true }),
    interpreterNeeded: fc.double({ min: 0, max: 3, noNaN: true }),
    disability: fc.double({ min: 0, max: 3, noNaN: true }),
  });

  it('never falls as the wait grows (property)', () => {
    fc.assert(
      fc.property(input, weights, fc.integer({ min: 1, max: 500 }), (base, w, more) => {
        const a = priorityScore({ ...base, targetDays: TARGET[base.priority] }, w).total;
        const b = priorityScore({ ...base, targetDays: TARGET[base.priority], waitDays: base.waitDays + more }, w).total;
        return b >= a;
      }),
    );
  });

  it('a more urgent priority never scores lower for the same wait (property)', () => {
    const order: Priority[] = ['P4', 'P3', 'P2', 'P1'];
    fc.assert(
      fc.property(input, weights, (base, w) => {
        const totals = order.map((p) => priorityScore({ ...base, priority: p, targetDays: TARGET[p] }, w).total);
        return totals.every((total, i) => i === 0 || total >= totals[i - 1]!);
      }),
    );
  });
});
