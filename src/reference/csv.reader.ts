import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { RootsError } from '../errors/roots-error.ts';

/**
 * Streaming reader for the published CSV files, plain or gzip-compressed (detected by the gzip
 * magic bytes, not the file name). Byte-order marks are dropped, CRLF and LF line ends both work,
 * quoted fields may hold commas and quotes. The SHA-256 of the file as stored on disk is computed
 * in the same pass, so each file is read once.
 */

export interface CsvFile {
  path: string;
  /** Size on disk, for progress bars. */
  bytes: number;
  gzip: boolean;
}

export interface CsvStream {
  header: string[];
  /** Data records in file order; the header is not repeated. Read once. */
  records: AsyncIterable<string[]>;
  /** SHA-256 (hex) of the bytes on disk; complete once `records` has been read to the end. */
  sha256(): string;
  /** Stops reading early (when the records are not wanted to the end). */
  close(): Promise<void>;
}

export interface CsvReadOptions {
  /** Called with the number of bytes read from disk, chunk by chunk. */
  onBytes?: (bytes: number) => void;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export async function describeCsvFile(path: string): Promise<CsvFile> {
  let bytes: number;
  const head = Buffer.alloc(2);
  try {
    bytes = (await stat(path)).size;
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${path}: ${(error as Error).message}`, cause: error });
  }
  return { path, bytes, gzip: head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] };
}

/** SHA-256 (hex) of a file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads the header row only (to recognise a file's layout before importing anything). */
export async function readCsvHeader(file: CsvFile): Promise<string[]> {
  const stream = await openCsv(file);
  await stream.close();
  return stream.header;
}

/** Opens a CSV file for one pass: resolves once the header is read, then streams the records. */
export async function openCsv(file: CsvFile, options: CsvReadOptions = {}): Promise<CsvStream> {
  const hash = createHash('sha256');
  let digest: string | undefined;
  let header: string[] | undefined;
  const name = basename(file.path);

  async function* read(): AsyncGenerator<string[]> {
    const source = createReadStream(file.path, { highWaterMark: 1 << 20 });
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        options.onBytes?.(chunk.length);
        done(null, chunk);
      },
    });
    const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false });
    const stages = file.gzip ? [source, tap, createGunzip({ chunkSize: 1 << 18 }), parser] : [source, tap, parser];
    let failure: unknown;
    // An error anywhere in the pipeline destroys the parser, which ends the loop below by throwing.
    pipeline(stages as unknown as [Readable, Transform], (error) => {
      if (error) failure = error;
    });
    let line = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        line++;
        if (header === undefined) {
          header = record.map((field) => field.trim());
          continue;
        }
        yield record;
      }
    } catch (error) {
      throw describeReadFailure(name, failure ?? error, line);
    } finally {
      source.destroy();
    }
    if (failure) throw describeReadFailure(name, failure, line);
    if (header === undefined) throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${name} is empty: there is no header row` });
  }

  const generator = read();
  // Pulling the first record reads the header (and throws for an empty or damaged file).
  const first = await generator.next();
  async function* records(): AsyncGenerator<string[]> {
    if (first.done) return;
    yield first.value;
    yield* generator;
  }
  return {
    header: header!,
    records: records(),
    sha256: () => (digest ??= hash.digest('hex')),
    close: async () => {
      await generator.return(undefined);
    },
  };
}

function describeReadFailure(name: string, error: unknown, line: number): RootsError {
  if (error instanceof RootsError) return error;
  if (error instanceof CsvError) {
    const where = typeof error.lines === 'number' ? `line ${error.lines}` : `near line ${line + 1}`;
    return new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `${name}: not a well-formed CSV file at ${where}: ${error.message}`,
      cause: error,
    });
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((error as Error)?.message ?? '')) {
    return new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `${name}: the gzip data is damaged or cut short (${(error as Error).message})`,
      cause: error,
    });
  }
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${name}: ${(error as Error).message}`, cause: error });
  }
  return new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${name}: cannot be read as CSV: ${(error as Error)?.message ?? String(error)}`, cause: error });
}
