import { describe, expect, it } from 'vitest';
import { formatConfidence, formatCount, formatDate, formatPercent, formatPoints, formatRate, formatRatio, formatWeeks, listOf } from './format.ts';

describe('formatting numbers for people', () => {
  it('writes ratios to 2 significant figures without trailing zeros', () => {
    expect(formatRatio(0.602)).toBe('0.6');
    expect(formatRatio(0.5372)).toBe('0.54');
    expect(formatRatio(0.6749)).toBe('0.67');
    expect(formatRatio(1.04)).toBe('1');
    expect(formatRatio(1.46)).toBe('1.5');
    expect(formatRatio(12.4)).toBe('12');
    expect(formatRatio(123)).toBe('120');
    expect(formatRatio(0.0519)).toBe('0.052');
    expect(formatRatio(-4.14)).toBe('-4.1');
  });
  it('writes weeks and rates to 1 decimal place', () => {
    expect(formatWeeks(9.06)).toBe('9.1');
    expect(formatWeeks(6)).toBe('6.0');
    expect(formatRate(3.6111)).toBe('3.6');
    expect(formatRate(1234.56)).toBe('1,234.6');
  });
  it('writes shares as whole percentages and never rounds a small share to none', () => {
    expect(formatPercent(0.181)).toBe('18%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.004)).toBe('less than 1%');
    expect(formatPercent(0.996)).toBe('more than 99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPoints(-0.0712)).toBe('7');
  });
  it('writes counts, confidence levels, dates and lists', () => {
    expect(formatCount(3015)).toBe('3,015');
    expect(formatConfidence(0.95)).toBe('95%');
    expect(formatConfidence(0.998)).toBe('99.8%');
    expect(formatDate('2024-04-01')).toBe('1 April 2024');
    expect(listOf(['a'])).toBe('a');
    expect(listOf(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('fill', () => {
  it('fills named placeholders and leaves unknown ones', async () => {
    const { fill } = await import('./format.ts');
    expect(fill('{a} to {b} {c}', { a: 1, b: 'two' })).toBe('1 to two {c}');
  });
});
