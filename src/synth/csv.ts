import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { referralColumns } from '../imports/referral-row.schema.ts';
import type { ReferralCsvRow } from './synthesise.ts';

/** RFC 4180: quote a cell holding a comma, quote or line break; double the quotes inside. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvHeader = `${referralColumns.join(',')}\n`;

const cells = new Array<string>(referralColumns.length);

export function csvLine(row: ReferralCsvRow): string {
  for (let i = 0; i < referralColumns.length; i++) cells[i] = csvCell(row[referralColumns[i]!]);
  return `${cells.join(',')}\n`;
}

/**
 * Streams rows to a UTF-8 CSV file (header first, LF line ends) in constant memory: lines are
 * gathered into chunks of about 1 MB and the writer waits whenever the file falls behind. A
 * synchronous iterable is read synchronously between chunks (an await per row would cost more
 * than making the row). The file is written under a temporary name and renamed when complete,
 * so a failed run never leaves a half file under the real name.
 */
export async function writeReferralCsv(rows: AsyncIterable<ReferralCsvRow> | Iterable<ReferralCsvRow>, path: string): Promise<{ rows: number }> {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  const flush = async (chunk: string) => {
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
  };
  let count = 0;
  try {
    let chunk = csvHeader;
    if (Symbol.iterator in rows) {
      const iterator = rows[Symbol.iterator]();
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        chunk += csvLine(next.value);
        count++;
        if (chunk.length >= CHUNK) {
          await flush(chunk);
          chunk = '';
        }
      }
    } else {
      for await (const row of rows) {
        chunk += csvLine(row);
        count++;
        if (chunk.length >= CHUNK) {
          await flush(chunk);
          chunk = '';
        }
      }
    }
    stream.end(chunk);
    await Promise.race([once(stream, 'finish'), failed]);
    await rename(partial, path);
    return { rows: count };
  } catch (error) {
    // The file may not even be open yet (opening is asynchronous): wait for the stream to close,
    // or the removal could run first and the open create the file after it.
    stream.destroy();
    if (!stream.closed) await once(stream, 'close').catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
}

const CHUNK = 1 << 20;
