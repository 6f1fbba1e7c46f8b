import { describe, expect, it } from 'vitest';
import { MEASURE_DEFAULTS, measureCsvRowSchema, parseMeasureCsv, runMeasure } from './measure.input.ts';
import { measureRegistry } from './registry.ts';

// The published phe_sii case (PHEindicatormethods testdata_SII.xlsx, area1) as a CSV with limits.
const SII_CSV = `group,order,population,value,lower,upper
decile 1,1,7291,75.9334590103081,72.7220530546453,79.1448649659708
decile 2,2,7997,78.3442382727843,75.2509802190802,81.4374963264884
decile 3,3,6105,83.8360631041654,80.8697295124759,86.8023966958549
decile 4,4,7666,83.6375399664931,80.157578356036,87.1175015769501
decile 5,5,5790,80.4655031529559,77.1308785969275,83.8001277089842
decile 6,6,6934,81.1156759857022,78.0499986811178,84.1813532902866
decile 7,7,5918,81.6930835718562,79.011578491948,84.3745886517644
decile 8,8,5974,84.1900062060987,81.4457282769343,86.9342841352631
decile 9,9,7147,80.5955641081472,75.827185168894,85.3639430474004
decile 10,10,7534,86.2894349578624,83.2190593454592,89.3598105702656
`;

describe('parseMeasureCsv', () => {
  it('reads the documented columns into groups', () => {
    const groups = parseMeasureCsv(SII_CSV);
    expect(groups).toHaveLength(10);
    expect(groups[0]).toEqual({ group: 'decile 1', order: 1, population: 7291, value: 75.9334590103081, lower: 72.7220530546453, upper: 79.1448649659708 });
  });

  it('matches headers ignoring case, spaces and underscores, accepts aliases, a byte-order mark and quoted thousands', () => {
    const groups = parseMeasureCsv('\uFEFFGroup,Time,Events,Censored,National_Population\n"w1",1,"1,234",5,"6,200,000"\n');
    expect(groups[0]).toEqual({ group: 'w1', order: 1, count: 1234, censored: 5, nationalPopulation: 6_200_000, population: 1239, value: 1234 / 1239 });
  });

  it('derives population from the denominator and value from count / denominator', () => {
    expect(parseMeasureCsv('group,count,denominator\na,65,100\n')[0]).toEqual({ group: 'a', count: 65, denominator: 100, population: 100, value: 0.65 });
  });

  it('lists every bad row with row number, line, field, value and reason', () => {
    const text = 'group,order,population,value,se\nq1,1,abc,70,1\nq2,2,-5,71,1\n,3,100,72,1\nq4,4,100,7O,1\n';
    let message = '';
    try {
      parseMeasureCsv(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("row 1 (line 2): population = 'abc': is not a number");
    expect(message).toContain("row 2 (line 3): population = '-5': must be zero or more");
    expect(message).toContain("row 3 (line 4): group = '': is required");
    expect(message).toContain("row 4 (line 5): value = '7O': is not a number");
    expect(message).toMatch(/has 4 problem/);
  });

  it('refuses unknown columns, duplicate fields, half a pair of limits, and missing values', () => {
    expect(() => parseMeasureCsv('group,popultion,value\na,1,2\n')).toThrow(/unknown column\(s\) 'popultion'/);
    expect(() => parseMeasureCsv('group,lower,lower_cl,value,population\na,1,2,3,4\n')).toThrow(/same field/);
    expect(() => parseMeasureCsv('group,population,value,lower\na,10,2,1\n')).toThrow(/upper = '': lower and upper must be given together/);
    expect(() => parseMeasureCsv('group,population\na,10\n')).toThrow(/value = '': is required/);
    expect(() => parseMeasureCsv('')).toThrow(/empty/);
    expect(() => parseMeasureCsv('group,population,value\na,1\n')).toThrow(/could not be read/);
  });

  it('the row schema stands alone for other callers (e.g. the API)', () => {
    const parsed = measureCsvRowSchema.safeParse({ group: 'x', population: '10', value: '1.5', se: '' });
    expect(parsed.success && parsed.data).toEqual({ group: 'x', population: 10, value: 1.5 });
  });
});

describe('runMeasure', () => {
  it('applies the defaults and returns the documented JSON shape (the published phe_sii case)', () => {
    const result = runMeasure('sii', parseMeasureCsv(SII_CSV), {});
    expect(result.measure).toBe('sii');
    expect(Math.abs((result.estimate as number) - 6.934616473668819)).toBeLessThan(1e-12);
    expect(result.intervals).toHaveLength(1);
    expect(result.intervals[0]!.confidence).toBe(0.95);
    expect(result.intervalMethod).toBe('analytic');
    expect(result.method).toMatch(/phe_sii/);
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({ measure: 'sii', intervals: [{ confidence: 0.95 }] });
    expect(MEASURE_DEFAULTS).toEqual({ valueType: 'normal', transform: false, scale: 1, favourable: true, confidence: [0.95], reps: 100_000, seed: 1 });
  });

  it('runs the PHE RII with a simulated interval and reports repetitions, seed and simulation error', () => {
    const result = runMeasure('rii', parseMeasureCsv(SII_CSV), { confidence: [0.95, 0.998], reps: 20_000, seed: 9 });
    expect(result.label).toBe('PHE RII');
    expect(result.intervalMethod).toBe('monte-carlo');
    expect(result.simulation).toMatchObject({ reps: 20_000, seed: 9 });
    expect(result.simulation!.limitStandardErrors.map((e) => e.confidence)).toEqual([0.95, 0.998]);
    expect(Math.abs((result.estimate as number) - 1.0888180804446217)).toBeLessThan(1e-12);
  });

  it('runs the NHS England method only with national populations', () => {
    expect(() => runMeasure('sii', parseMeasureCsv(SII_CSV), { method: 'nhse' })).toThrow(/national population/);
    expect(() => runMeasure('sii', parseMeasureCsv(SII_CSV), { method: 'who' })).toThrow(/no method 'who'/);
  });

  it('runs the DSR from age-band rows (PHE testresults_DSR, testdata_small per 100,000)', () => {
    const counts = [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4];
    const populations = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207];
    const csv = `age_band,count,population\n${counts.map((c, i) => `band ${i + 1},${c},${populations[i]}`).join('\n')}\n`;
    const result = runMeasure('dsr', parseMeasureCsv(csv), { scale: 100_000, confidence: [0.95, 0.998] });
    expect(result.estimate).toBeCloseTo(1103.212025300104, 9);
    expect(result.intervals[1]!.upper).toBeCloseTo(1530.0328948244762, 9);
  });

  it('runs Kaplan-Meier from time, events and censored columns', () => {
    const csv = 'time,events,censored,group\n1,1,0,a\n2,1,0,b\n3,1,0,c\n4,1,0,d\n';
    expect(runMeasure('km', parseMeasureCsv(csv), {}).estimate).toBe(2.5);
  });

  it('says what is wrong with the call', () => {
    const groups = parseMeasureCsv(SII_CSV);
    expect(() => runMeasure('nope', groups, {})).toThrow(/unknown measure 'nope'; available: .*sii/);
    expect(() => runMeasure('sii', groups.map(({ order: _o, ...g }) => g), {})).toThrow(/needs an order for every group/);
    expect(() => runMeasure('sii', groups, { confidence: [95] })).toThrow(/strictly between 0 and 1/);
    expect(() => runMeasure('wilson', groups, { method: 'x' })).toThrow(/only one method/);
  });

  it('every PHE measure is registered', () => {
    for (const name of ['wilson', 'rate', 'dsr', 'isr', 'mean', 'median', 'sii', 'rii', 'km']) expect(measureRegistry.has(name)).toBe(true);
  });
});
