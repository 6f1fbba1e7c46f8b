import { describe, expect, it } from 'vitest';
import { runRoots } from '../support/cli.ts';

// PHEindicatormethods test data (testdata_SII.xlsx, area1, life expectancy, default parameters):
// published SII 6.934616473668819, 95% CI 3.127594617650817 to 10.7586873680794 (simulated,
// 100,000 repetitions), RII 1.0888180804446217 (CI 1.0383690591642838 to 1.1412993360251238).
const pheSii = `group,order,population,value,lower,upper
1,1,7291,75.9334590103081,72.7220530546453,79.1448649659708
2,2,7997,78.3442382727843,75.2509802190802,81.4374963264884
3,3,6105,83.8360631041654,80.8697295124759,86.8023966958549
4,4,7666,83.6375399664931,80.157578356036,87.1175015769501
5,5,5790,80.4655031529559,77.1308785969275,83.8001277089842
6,6,6934,81.1156759857022,78.0499986811178,84.1813532902866
7,7,5918,81.6930835718562,79.011578491948,84.3745886517644
8,8,5974,84.1900062060987,81.4457282769343,86.9342841352631
9,9,7147,80.5955641081472,75.827185168894,85.3639430474004
10,10,7534,86.2894349578624,83.2190593454592,89.3598105702656
`;

// WHO healthequal ordered example: pop 78,91,162,103,105; est 20..60; se 5,7,10,12,14; scale 100.
const whoOrdered = `group,order,population,value,se
1,1,78,20,5
2,2,91,30,7
3,3,162,40,10
4,4,103,50,12
5,5,105,60,14
`;

describe('roots measure', () => {
  it('reproduces PHE\'s published SII and RII', async () => {
    const run = await runRoots(['measure', 'sii'], { input: pheSii });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.measure).toBe('sii');
    expect(Math.abs(result.estimate - 6.934616473668819)).toBeLessThan(1e-6);
    expect(Math.abs(result.rii - 1.0888180804446217)).toBeLessThan(1e-6);
    const [interval] = result.intervals;
    const width = 10.7586873680794 - 3.127594617650817;
    expect(interval.confidence).toBe(0.95);
    expect(Math.abs(interval.lower - 3.127594617650817)).toBeLessThan(0.03 * width);
    expect(Math.abs(interval.upper - 10.7586873680794)).toBeLessThan(0.03 * width);
  });

  it('reproduces WHO\'s published SII through the who-sii measure, several confidence levels at once', async () => {
    const run = await runRoots(['measure', 'who-sii', '--value-type', 'proportion', '--scale', '100', '--confidence', '0.95,0.99'], { input: whoOrdered });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.estimate).toBeCloseTo(44.44502, 4);
    expect(result.intervals).toHaveLength(2);
    expect(result.intervals[0].lower).toBeCloseTo(40.15109, 4);
    expect(result.intervals[0].upper).toBeCloseTo(48.73895, 4);
    expect(result.intervals[1].upper - result.intervals[1].lower).toBeGreaterThan(result.intervals[0].upper - result.intervals[0].lower);
  });

  it('reads the input from a file as well as standard input', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'roots-measure-')), 'groups.csv');
    writeFileSync(file, pheSii);
    const run = await runRoots(['measure', 'rii', '--input', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(Math.abs(JSON.parse(run.stdout).estimate - 1.0888180804446217)).toBeLessThan(1e-6);
  });

  it('lists the measures when no name is given', async () => {
    const run = await runRoots(['measure']);
    expect(run.code).toBe(0);
    const names = JSON.parse(run.stdout).map((m: { measure: string }) => m.measure);
    for (const name of ['sii', 'rii', 'wilson', 'rate', 'dsr', 'isr', 'km', 'd', 'r', 'aci', 'rci', 'who-sii', 'who-rii', 'bgv', 'bgsd', 'cov', 'mdmu', 'mdmw', 'mdbu', 'mdbw', 'mdru', 'mdrw', 'idisu', 'idisw', 'ti', 'mld', 'paf', 'par']) {
      expect(names).toContain(name);
    }
  });

  it('refuses an unknown measure and bad input with catalogue exit codes and no stack trace', async () => {
    const unknown = await runRoots(['measure', 'gini'], { input: pheSii });
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('UNKNOWN_MEASURE');
    const bad = await runRoots(['measure', 'sii'], { input: 'group,order,population,value,se\n1,1,100,abc,1\n' });
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/row 1.*value.*not a number/);
    expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const conflicting = await runRoots(['measure', 'sii', '--favourable', '--adverse'], { input: pheSii });
    expect(conflicting.code).toBe(64);
  });
});
