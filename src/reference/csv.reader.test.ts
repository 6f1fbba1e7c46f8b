import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCsvFile, openCsv, readCsvHeader } from './csv.reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'roots-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string) {
  const csv = await openCsv(await describeCsvFile(path));
  const records: string[][] = [];
  for await (const record of csv.records) records.push(record);
  return { header: csv.header, records, sha256: csv.sha256() };
}

describe('streaming CSV reader', () => {
  it('drops a UTF-8 byte-order mark, reads CRLF line ends and quoted fields with commas and quotes', async () => {
    const text = '\uFEFFcode,name,rank\r\nE01000001,"City of London 001A","29,199"\r\nE01000002,"A ""quoted"" name",3\r\n';
    const { header, records } = await readAll(write('bom.csv', text));
    expect(header).toEqual(['code', 'name', 'rank']);
    expect(records).toEqual([
      ['E01000001', 'City of London 001A', '29,199'],
      ['E01000002', 'A "quoted" name', '3'],
    ]);
  });

  it('reads gzip by its magic bytes, whatever the file is called, and hashes the bytes on disk', async () => {
    const bytes = gzipSync(Buffer.from('a,b\n1,2\n3,4\n'));
    const path = write('compressed-but-named.csv', bytes);
    expect((await describeCsvFile(path)).gzip).toBe(true);
    const { records, sha256 } = await readAll(path);
    expect(records).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('skips blank lines and keeps a header-only file as zero records', async () => {
    expect((await readAll(write('blank-lines.csv', 'a,b\n\n1,2\n\n'))).records).toEqual([['1', '2']]);
    expect((await readAll(write('header-only.csv', 'a,b\n'))).records).toEqual([]);
  });

  it('reads just the header without reading the file to the end', async () => {
    expect(await readCsvHeader(await describeCsvFile(write('header.csv', 'x, y ,z\n1,2,3\n')))).toEqual(['x', 'y', 'z']);
  });

  it('names the file and the line when a row has the wrong number of fields', async () => {
    const path = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    await expect(readAll(path)).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringMatching(/ragged\.csv.*line 3/) });
  });

  it('reports an unclosed quote as a malformed file', async () => {
    await expect(readAll(write('quote.csv', 'a,b\n"1,2\n'))).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringContaining('quote.csv') });
  });

  it('reports damaged gzip data', async () => {
    const bytes = gzipSync(Buffer.from('a,b\n'.repeat(2000)));
    const path = write('cut.csv.gz', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readAll(path)).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringMatching(/cut\.csv\.gz.*gzip/) });
  });

  it('reports an empty file and a missing file', async () => {
    await expect(readAll(write('empty.csv', ''))).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringContaining('empty') });
    await expect(describeCsvFile(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
