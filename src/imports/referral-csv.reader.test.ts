import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from './import.types.ts';
import { openReferralCsv } from './referral-csv.reader.ts';

const scratch = mkdtempSync(join(tmpdir(), 'roots-csv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function read(text: string | Buffer): Promise<{ columns: string[]; rows: SourceRow[]; sha256: string | null }> {
  const path = join(scratch, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const csv = await openReferralCsv(path);
  const rows: SourceRow[] = [];
  for await (const row of csv.rows) rows.push(row);
  return { columns: csv.columns, rows, sha256: csv.sha256() };
}
const header = 'source_record_id,person_id,referral_received,referral_source,given_name';

describe('referral CSV reader', () => {
  it('reads a byte-order mark, CRLF line ends, quoted commas and line breaks, and Welsh letters', async () => {
    const text = `\uFEFF${header}\r\nR1,P1,2026-01-01,self,Ŵyn\r\n"R2","P2","2026-01-02","gp","Ŷmlyn, ""Jr""\r\nline two"\r\n\r\nR3,P3,2026-01-03,gp,Siân\r\n`;
    const { columns, rows, sha256 } = await read(text);
    expect(columns).toEqual(['source_record_id', 'person_id', 'referral_received', 'referral_source', 'given_name']);
    expect(rows).toEqual([
      { row: 1, line: 2, cells: { source_record_id: 'R1', person_id: 'P1', referral_received: '2026-01-01', referral_source: 'self', given_name: 'Ŵyn' } },
      { row: 2, line: 3, cells: { source_record_id: 'R2', person_id: 'P2', referral_received: '2026-01-02', referral_source: 'gp', given_name: 'Ŷmlyn, "Jr"\r\nline two' } },
      { row: 3, line: 6, cells: { source_record_id: 'R3', person_id: 'P3', referral_received: '2026-01-03', referral_source: 'gp', given_name: 'Siân' } },
    ]);
    expect(sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('counts lines the same with LF line ends, and leaves blank cells out', async () => {
    const { rows } = await read(`${header}\nR1,P1,2026-01-01,self,"a\nb\nc"\nR2,P2,2026-01-02,gp,\n`);
    expect(rows.map((row) => [row.row, row.line])).toEqual([[1, 2], [2, 5]]);
    expect(rows[1]!.cells).toEqual({ source_record_id: 'R2', person_id: 'P2', referral_received: '2026-01-02', referral_source: 'gp' });
  });

  it('hands on rows it cannot read as problems, in file order, and reads on', async () => {
    const { rows } = await read(`${header}\nR1,P1,2026-01-01,self,Jo"nes\nR2,P2,2026-01-02,gp\nR3,P3,2026-01-03,gp,Siân\n`);
    expect(rows.map((row) => [row.row, row.line, row.cells?.source_record_id ?? row.problems?.[0]?.reason])).toEqual([
      [1, 2, expect.stringContaining('broken quoting: a quote appears inside a field')],
      [2, 3, 'has 4 fields but the header has 5'],
      [3, 4, 'R3'],
    ]);
  });

  it('reports a quote never closed as the unreadable rest of the file', async () => {
    const { rows } = await read(`${header}\nR1,P1,2026-01-01,self,Ann\nR2,P2,2026-01-02,gp,"Bea\nR3,P3,2026-01-03,gp,Cai\n`);
    expect(rows).toEqual([
      expect.objectContaining({ row: 1, cells: expect.objectContaining({ source_record_id: 'R1' }) }),
      { row: 2, line: 3, problems: [{ reason: 'broken quoting: a quoted field is never closed, so nothing from line 3 to the end of the file could be read' }] },
    ]);
  });

  it('normalises header names and refuses unknown, duplicate and missing columns at once', async () => {
    expect((await read(` Source_Record_ID ,PERSON_ID,referral_received,referral_source\n`)).columns).toEqual(['source_record_id', 'person_id', 'referral_received', 'referral_source']);
    await expect(read('source_record_id,,person_id,person_id,colour\n')).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      detail: expect.stringMatching(/duplicate columns: person_id; unknown columns: \(column 2 has no name\), colour; missing required columns: referral_received, referral_source/),
    });
    await expect(read('')).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('is empty') });
    await expect(read('"source_record_id,person_id\n')).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('header line') });
  });

  it('reports a cell far longer than any record once, as too long, and stops cleanly', async () => {
    const { rows, sha256 } = await read(`${header}\nR1,P1,2026-01-01,self,Ann\nR2,P2,2026-01-02,gp,${'x'.repeat(10_000_000)}\nR3,P3,2026-01-03,gp,Cai\n`);
    expect(rows).toEqual([
      expect.objectContaining({ row: 1, cells: expect.objectContaining({ source_record_id: 'R1' }) }),
      {
        row: 2,
        line: 3,
        problems: [{ reason: 'the record starting on line 3 is longer than 1,000,000 characters (a cell this long, or a quote that is never closed): reading stopped there, so nothing from line 3 to the end of the file was read' }],
      },
    ]);
    // The file was not read to its end: no checksum is claimed for it.
    expect(sha256).toBeNull();
  });

  it('says a Windows-1252 file is not UTF-8, and where, before reading any row', async () => {
    const bytes = Buffer.concat([Buffer.from(`${header}\nR1,P1,2026-01-01,self,Ann\nR2,P2,2026-01-02,gp,Si`), Buffer.from([0xe2]), Buffer.from('n\n')]);
    await expect(read(bytes)).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      detail: expect.stringMatching(/is not UTF-8 \(it looks like Windows-1252\): save it as CSV UTF-8.*line 3, byte 121 .*0xE2.*"â"/),
    });
  });

  it('finds the first byte that is not UTF-8 beyond the first chunk of a large file, after valid multi-byte letters', async () => {
    const good = Array.from({ length: 3000 }, (_, i) => `R${i},P${i},2026-01-01,self,Siân Ŵyn 日本`).join('\n');
    const prefix = Buffer.from(`${header}\n${good}\nRX,PX,2026-01-01,self,Caf`);
    const bytes = Buffer.concat([prefix, Buffer.from([0xe9]), Buffer.from('\n')]);
    await expect(read(bytes)).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      detail: expect.stringContaining(`line 3002, byte ${prefix.length + 1} `),
    });
  });

  it('says a UTF-16 file (Excel "Unicode text") is not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n`, 'utf16le')]);
    await expect(read(bytes)).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringMatching(/is not UTF-8 \(it looks like UTF-16\): save it as CSV UTF-8/) });
  });

  it('checks a pipe as it streams: the rows before the first byte that is not UTF-8 come, then the read fails', async () => {
    const fifo = join(scratch, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const good = Array.from({ length: 3000 }, (_, i) => `R${i},P${i},2026-01-01,self,Siân`).join('\n');
    const writer = writeFile(fifo, Buffer.concat([Buffer.from(`${header}\n${good}\nRX,PX,2026-01-01,self,Caf`), Buffer.from([0xe9, 0x0a])]));
    const csv = await openReferralCsv(fifo);
    let read = 0;
    const failure = await (async () => {
      for await (const row of csv.rows) if (row.cells) read++;
    })().catch((error: unknown) => error);
    await writer.catch(() => {});
    expect(failure).toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', detail: expect.stringContaining('is not UTF-8 (it looks like Windows-1252)') });
    expect((failure as { detail: string }).detail).toContain('line 3002, byte ');
    expect(read).toBeLessThan(3001);
    expect(csv.sha256()).toBeNull();
  });
});
