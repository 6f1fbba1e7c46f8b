import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { referralColumns } from '../imports/referral-row.schema.ts';
import { csvCell, csvLine, writeReferralCsv } from './csv.ts';
import { fixtureFrame } from '../../test/support/synth-frame.fixture.ts';
import { parseAgeGradient, parseAreaScope, parseEthnicityGradient, resolveSynthOptions } from './options.ts';
import { generateReferralRows, type ReferralCsvRow } from './synthesise.ts';

describe('synth options', () => {
  it('reads area scopes', () => {
    expect(parseAreaScope('england')).toEqual({ kind: 'england' });
    expect(parseAreaScope('Wales')).toEqual({ kind: 'wales' });
    expect(parseAreaScope('icb:e54000008')).toEqual({ kind: 'icb', code: 'E54000008' });
    expect(parseAreaScope('la:E06000059')).toEqual({ kind: 'la', code: 'E06000059' });
    expect(() => parseAreaScope('scotland')).toThrow(/england, wales, icb:CODE or la:CODE/);
  });

  it('reads ethnicity and age gradients', () => {
    expect(parseEthnicityGradient('white=1, Asian=0.8,black=0.85')).toEqual({ white: 1, asian: 0.8, black: 0.85 });
    expect(() => parseEthnicityGradient('purple=2')).toThrow(/not one of/);
    expect(() => parseEthnicityGradient('white')).toThrow(/must be written like/);
    expect(parseAgeGradient('0-15=1.2,65+=0.7')).toEqual([
      { from: 0, to: 15, multiplier: 1.2 },
      { from: 65, to: null, multiplier: 0.7 },
    ]);
    expect(() => parseAgeGradient('15-0=2')).toThrow(/not an age range/);
  });

  it('fills in defaults and reports every bad value at once', () => {
    const options = resolveSynthOptions({ people: 10, gradients: { deprivation: 0.5 } });
    expect(options.gradients).toMatchObject({ deprivation: 0.5, need: 1.5, ethnicity: { white: 1 } });
    expect(options.yearEnd).toBe('2025-03-31');
    try {
      resolveSynthOptions({ people: 0, yearEnd: '2025-02-30', gradients: { wait: -1 }, missing: { ethnicityBlank: 1.5 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
      const fields = (error as { problems: { field: string }[] }).problems.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['people', 'year-end', 'gradient-wait', 'ethnicity-blank']));
    }
  });
});

describe('synth CSV', () => {
  it('quotes only cells that need it', () => {
    expect(csvCell("O'Brien")).toBe("O'Brien");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    const row = Object.fromEntries(referralColumns.map((c) => [c, ''])) as ReferralCsvRow;
    expect(csvLine({ ...row, source_record_id: 'R1', given_name: 'Llŷr' })).toBe(`R1${',,,,,'}Llŷr${','.repeat(referralColumns.length - 6)}\n`);
  });

  it('writes a UTF-8 file that reads back to the same rows, the same bytes for the same seed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'roots-synth-csv-'));
    try {
      const frame = fixtureFrame({ perDecile: 2, welshAreas: 4 });
      const options = resolveSynthOptions({ people: 800, seed: 31 });
      const rows = [...generateReferralRows(options, frame)];
      const [a, b, c] = ['a.csv', 'b.csv', 'c.csv'].map((name) => join(folder, name)) as [string, string, string];
      expect(await writeReferralCsv(rows, a)).toEqual({ rows: rows.length });
      await writeReferralCsv(generateReferralRows(options, frame), b);
      await writeReferralCsv(generateReferralRows({ ...options, seed: 32 }, frame), c);
      expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
      expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
      expect(parse(readFileSync(a), { columns: true })).toEqual(rows);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('leaves no file behind when writing fails', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'roots-synth-csv-'));
    try {
      const failing = (function* () {
        yield Object.fromEntries(referralColumns.map((c) => [c, 'x'])) as ReferralCsvRow;
        throw new Error('generator failed');
      })();
      await expect(writeReferralCsv(failing, join(folder, 'out.csv'))).rejects.toThrow('generator failed');
      expect(() => readFileSync(join(folder, 'out.csv'))).toThrow();
      expect(() => readFileSync(join(folder, 'out.csv.partial'))).toThrow();
      await expect(writeReferralCsv([], join(folder, 'missing', 'out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
