import { BENCH_ACTOR } from './actor.ts';
import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { importReferralCsv } from '../src/imports/referral-import.service.ts';
import { importReferencePack } from '../src/reference/reference.import.ts';
import type { Store } from '../src/store/database.ts';
import { createBenchService, freshStore, referenceDir, syntheticCsv, type BenchEngine } from './datasets.ts';
import { timed, withPeakMemory, type BenchResult } from './lib.ts';

/**
 * Import throughput on each engine, beside the engine's own COPY of the same rows into a plain
 * table (no validation, no constraints, no indexes: the floor for moving these bytes in), and
 * the time to import the reference pack.
 */
export async function importBench(people = Number(process.env.ROOTS_BENCH_IMPORT_PEOPLE ?? 200_000)): Promise<BenchResult[]> {
  const { path, rows } = await syntheticCsv(people);
  const results: BenchResult[] = [];
  for (const engine of ['pglite', 'postgresql'] as BenchEngine[]) {
    const store = await freshStore(engine, 'roots_bench_import');
    try {
      const reference = await timed(() => importReferencePack(store, referenceDir));
      results.push({
        suite: 'reference',
        case: 'sample reference pack (13 files, about 600,000 rows)',
        engine,
        value: reference.seconds,
        unit: 's',
        note: `${reference.result.datasets.length} datasets`,
      });
      await createBenchService(store);
      const imported = await withPeakMemory(() => timed(() => importReferralCsv(store, path, { actor: BENCH_ACTOR, service: 'BENCH/england-ot', today: '2026-03-31' })));
      const summary = imported.result.result;
      if (summary.inserted !== rows) throw new Error(`expected ${rows} rows imported on ${engine}, got ${summary.inserted} (rejected ${summary.rejected})`);
      const copySeconds = await copyIntoPlainTable(store, path);
      results.push({
        suite: 'import',
        case: `roots import referrals, ${rows.toLocaleString('en-GB')} synthetic rows`,
        engine,
        value: rows / imported.result.seconds,
        unit: 'rows/s',
        peer: { name: `${engine === 'postgresql' ? 'PostgreSQL' : 'PGlite'} COPY into a plain table`, value: rows / copySeconds },
        ratioMeaning: 'Roots / COPY',
        note: `${imported.result.seconds.toFixed(1)} s, peak RSS ${Math.round(imported.peakMb)} MB, facts and statistics refreshed; COPY ${copySeconds.toFixed(2)} s`,
      });
    } finally {
      await store.close();
    }
  }
  return results;
}

/** COPY of the CSV into a table of text columns, the same bytes the import reads. */
async function copyIntoPlainTable(store: Store, path: string): Promise<number> {
  const handle = await open(path, 'r');
  const { buffer } = await handle.read({ buffer: Buffer.alloc(8192), position: 0 });
  await handle.close();
  const header = buffer.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',');
  await sql.raw(`create table copy_peer (${header.map((column) => `"${column.replaceAll('"', '')}" text`).join(', ')})`).execute(store.db);
  const copy = `copy copy_peer from STDIN with (format csv, header true)`;
  if (store.engine === 'postgresql') {
    const client = await store.pool!.connect();
    try {
      const { seconds } = await timed(() => pipeline(createReadStream(path), client.query(copyFrom(copy))));
      return seconds;
    } finally {
      client.release();
    }
  }
  const blob = new Blob([readFileSync(path)]);
  const { seconds } = await timed(() => store.pglite!.query(copy.replace('STDIN', `'/dev/blob'`), [], { blob }));
  return seconds;
}
