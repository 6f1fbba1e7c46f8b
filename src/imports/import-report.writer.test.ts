import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { openErrorReport } from './import-report.writer.ts';

const scratch = mkdtempSync(join(tmpdir(), 'roots-report-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('import error report', () => {
  it('given source values that look like formulas, when the report is written, then a spreadsheet cannot run them', async () => {
    const path = join(scratch, 'referrals.errors.csv');
    const report = openErrorReport(path, join(scratch, 'referrals.csv'), 'csv');
    const hostile = ['=HYPERLINK("http://example.com","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    for (const [index, value] of hostile.entries()) await report.add({ row: index + 1, line: index + 2, field: 'referral_source', value, reason: `${value} is not a referral source` });
    expect(await report.close()).toBe(path);
    const rows = parse(readFileSync(path, 'utf8')) as string[][];
    expect(rows[0]).toEqual(['row', 'line', 'field', 'value', 'reason']);
    expect(rows.slice(1).map((row) => row[3])).toEqual(hostile.map((value) => `'${value}`));
    expect(rows.slice(1).map((row) => row[4])).toEqual(hostile.map((value) => `'${value} is not a referral source`));
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual(hostile.map((_, index) => [String(index + 1), String(index + 2)]));
  });
});
