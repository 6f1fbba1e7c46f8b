import { describe, expect, it } from 'vitest';
import { defaultFixedPeriod, financialYear, financialYearOf, fixedPeriodById, fixedPeriods, rollingTwelveMonths, twelveMonthsEndingOn } from './audit.periods.ts';

describe('audit periods', () => {
  it('twelve months ending on a day', () => {
    expect(twelveMonthsEndingOn('2025-11-26')).toEqual({ from: '2024-11-27', to: '2025-11-26' });
    expect(twelveMonthsEndingOn('2024-02-29')).toEqual({ from: '2023-03-02', to: '2024-02-29' });
  });
  it('the rolling 12 months end at the latest complete month', () => {
    expect(rollingTwelveMonths('2026-12-05')).toMatchObject({ id: 'rolling-12', from: '2025-12-01', to: '2026-11-30' });
    expect(rollingTwelveMonths('2026-01-01')).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    expect(rollingTwelveMonths('2024-03-31').to).toBe('2024-02-29');
  });
  it('financial years run 1 April to 31 March', () => {
    expect(financialYear(2024)).toEqual({ id: 'fy2024-25', from: '2024-04-01', to: '2025-03-31', label: 'Financial year 2024-25 (1 April 2024 to 31 March 2025)' });
    expect(financialYear(2099).id).toBe('fy2099-00');
    expect(financialYearOf('2025-03-31')).toBe(2024);
    expect(financialYearOf('2025-04-01')).toBe(2025);
  });
  it('offers the rolling 12 months and the complete financial years holding referrals, newest first', () => {
    expect(fixedPeriods(null, '2026-12-05').map((p) => p.id)).toEqual(['rolling-12']);
    expect(fixedPeriods({ earliest: '2022-06-01', latest: '2026-11-01' }, '2026-12-05').map((p) => p.id)).toEqual(['rolling-12', 'fy2025-26', 'fy2024-25', 'fy2023-24', 'fy2022-23']);
    expect(fixedPeriods({ earliest: '2010-06-01', latest: '2024-01-01' }, '2026-12-05', 3).map((p) => p.id)).toEqual(['rolling-12', 'fy2023-24', 'fy2022-23', 'fy2021-22']);
  });
  it('reads a period id from a URL, refusing anything else and years not yet ended', () => {
    expect(fixedPeriodById('fy2024-25', '2026-12-05')).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
    expect(fixedPeriodById('rolling-12', '2026-12-05')).toMatchObject({ from: '2025-12-01' });
    for (const bad of ['fy2024-26', 'fy2026-27', 'fy1999-00', '2024', 'fy2024-25x', '']) expect(fixedPeriodById(bad, '2026-12-05'), bad).toBeNull();
  });
  it('shows the rolling 12 months by default, or the newest financial year when the data is older', () => {
    const today = '2026-12-05';
    expect(defaultFixedPeriod(fixedPeriods(null, today), null).id).toBe('rolling-12');
    const recent = { earliest: '2024-05-01', latest: '2026-01-10' };
    expect(defaultFixedPeriod(fixedPeriods(recent, today), recent).id).toBe('rolling-12');
    const old = { earliest: '2023-05-01', latest: '2025-01-10' };
    expect(defaultFixedPeriod(fixedPeriods(old, today), old).id).toBe('fy2024-25');
  });
});
