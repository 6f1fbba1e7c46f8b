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

export function csvLine(row: ReferralCsvRow): string {
  let line = csvCell(row[referralColumns[0]]);
  for (let i = 1; i < referralColumns.length; i++) line += `,${csvCell(row[referralColumns[i]!])}`;
  return `${line}\n`;
}

/**
 * Streams rows to a UTF-8 CSV file (header first, LF line ends) in constant memory: lines are
 * gathered into chunks of about 1 MB and the writer waits whenever the file falls behind. The
 * file is written under a temporary name and renamed when complete, so a failed run never leaves
 * a half file under the real name.
 */
export async function writeReferralCsv(rows: AsyncIterable<ReferralCsvRow> | Iterable<ReferralCsvRow>, path: string): Promise<{ rows: number }> {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  let count = 0;
  try {
    let chunk = csvHeader;
    for await (const row of rows) {
      chunk += csvLine(row);
      count++;
      if (chunk.length >= 1 << 20) {
        if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
        chunk = '';
      }
    }
    stream.end(chunk);
    await Promise.race([once(stream, 'finish'), failed]);
    await rename(partial, path);
    return { rows: count };
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
