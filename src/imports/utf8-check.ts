import { RootsError } from '../errors/roots-error.ts';

/**
 * Checks that a byte stream is UTF-8, chunk by chunk, with the platform decoder
 * (`TextDecoder('utf-8', { fatal: true })`), and on the first byte that is not says so as a
 * whole-file problem: where (line and byte of the file), which byte, and what the file most likely
 * is (a file saved by Excel as plain "CSV" is Windows-1252; "Unicode text" is UTF-16).
 *
 * Memory stays flat: only the 0-3 bytes of a letter split across two chunks are kept.
 */
export class Utf8Check {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes before the current chunk, and line breaks in them. */
  private offset = 0;
  private lines = 0;
  /** The unfinished letter at the end of the last chunk (what the decoder holds). */
  private pending: Uint8Array = new Uint8Array(0);
  private first: number[] = [];

  constructor(private readonly name: string) {}

  /** Checks the next chunk; throws FORMAT_NOT_RECOGNISED at the first byte that is not UTF-8. */
  push(chunk: Uint8Array): void {
    if (this.first.length < 2) this.first.push(...chunk.subarray(0, 2 - this.first.length));
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.failure(this.locate(chunk));
    }
    this.lines += countLineFeeds(chunk, 0, chunk.length);
    this.offset += chunk.length;
    this.pending = unfinishedTail(chunk, this.pending);
  }

  /** The end of the stream: a letter cut off at the very end is not UTF-8 either. */
  end(): void {
    try {
      this.decoder.decode();
    } catch {
      throw this.failure({ index: this.offset - this.pending.length, lines: this.lines, byte: this.pending[0] ?? 0 });
    }
  }

  /** The first bad byte of `chunk` (or of the unfinished letter before it). */
  private locate(chunk: Uint8Array): { index: number; lines: number; byte: number } {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending, 0);
    joined.set(chunk, this.pending.length);
    const valid = (end: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(joined.subarray(0, end), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    // The decoder fails at the byte that makes the text invalid: find it by bisection.
    let good = 0;
    let bad = joined.length;
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      if (valid(mid)) good = mid;
      else bad = mid;
    }
    let at = bad - 1;
    // A letter cut short (a lead byte, then something that does not continue it) is the fault of
    // its lead byte: that is the byte a person would recognise (0xE2 for Windows-1252 "â").
    let lead = at - 1;
    while (lead >= 0 && at - lead <= 3 && isContinuation(joined[lead]!)) lead--;
    if (lead >= 0 && at - lead <= 3 && lead + sequenceLength(joined[lead]!) > at) at = lead;
    const index = this.offset - this.pending.length + at;
    const lines = this.lines + (at > this.pending.length ? countLineFeeds(joined, this.pending.length, at) : 0);
    return { index, lines, byte: joined[at]! };
  }

  private failure({ index, lines, byte }: { index: number; lines: number; byte: number }): RootsError {
    const utf16 = (this.first[0] === 0xff && this.first[1] === 0xfe) || (this.first[0] === 0xfe && this.first[1] === 0xff);
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const windows = new TextDecoder('windows-1252').decode(Uint8Array.of(byte));
    const reads = !utf16 && byte >= 0x80 && /^[^\p{Cc}]$/u.test(windows) ? `, which Windows-1252 reads as "${windows}"` : '';
    return new RootsError('FORMAT_NOT_RECOGNISED', {
      detail:
        `This file is not UTF-8 (it looks like ${utf16 ? 'UTF-16' : 'Windows-1252'}): save it as CSV UTF-8 ` +
        `(in Excel: Save As, "CSV UTF-8 (Comma delimited)") and import it again. ` +
        `The first byte that is not UTF-8 is on line ${lines + 1}, byte ${index + 1} of ${this.name}: ${hex}${reads}. Nothing was imported.`,
    });
  }
}

function isContinuation(byte: number): boolean {
  return byte >= 0x80 && byte <= 0xbf;
}

/** Bytes in the letter a lead byte starts (1 for ASCII and for bytes that cannot lead). */
function sequenceLength(byte: number): number {
  return byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 1;
}

function countLineFeeds(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) if (bytes[index] === 0x0a) count++;
  return count;
}

/** The bytes of a letter begun but not finished at the end of a chunk that decoded cleanly. */
function unfinishedTail(chunk: Uint8Array, before: Uint8Array): Uint8Array {
  const joined = chunk.length >= 4 ? chunk : Uint8Array.from([...before, ...chunk]);
  let start = joined.length - 1;
  while (start >= 0 && joined.length - start <= 4 && isContinuation(joined[start]!)) start--;
  if (start < 0 || joined[start]! < 0x80) return new Uint8Array(0);
  return start + sequenceLength(joined[start]!) > joined.length ? joined.slice(start) : new Uint8Array(0);
}
