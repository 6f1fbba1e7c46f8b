import { describe, expect, it } from 'vitest';
import { priority } from '../domain/codes.ts';
import { priorityTargetDays, targetDate, targetDays } from './priority.ts';

describe('priority targets (Roots default)', () => {
  it('gives each priority its days, shorter for the more urgent', () => {
    expect(priority.values.map((p) => targetDays(p))).toEqual([2, 14, 42, 126]);
    expect(Object.keys(priorityTargetDays)).toEqual([...priority.values]);
  });
  it('counts calendar days from the triage date, across months and years', () => {
    expect(targetDate('P1', '2026-12-30')).toBe('2027-01-01');
    expect(targetDate('P2', '2026-02-20')).toBe('2026-03-06');
    expect(targetDate('P3', '2026-01-01')).toBe('2026-02-12');
    expect(targetDate('P4', '2028-01-01')).toBe('2028-05-06'); // 2028 is a leap year
  });
  it('refuses something that is not a date', () => {
    expect(() => targetDate('P1', '2026-13-45')).toThrow(/Not a date/);
  });
});
