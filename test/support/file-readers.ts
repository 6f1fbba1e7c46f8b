import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { crc32 } from '../../src/equity/outputs/zip.writer.ts';

/**
 * Readers used only to check files Roots writes, independent of the code that writes them: CSV
 * through csv-parse (RFC 4180), ZIP through its central directory with every CRC-32 checked.
 */

/** A CSV file's records, byte-order mark removed; records must end in CRLF, as RFC 4180 says. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, recordDelimiter: '\r\n' }) as string[][];
}

/** Every entry of a ZIP, read through its central directory, each entry's CRC-32 checked. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < entries; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(offset)).toBe(0x04034b50);
    const dataStart = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = method === 8 ? zlib.inflateRawSync(zip.subarray(dataStart, dataStart + size)) : zip.subarray(dataStart, dataStart + size);
    // Node's own CRC-32 where it has one (20.15+), so the writer's is not checked against itself.
    const check = (zlib as { crc32?: (data: Buffer) => number }).crc32;
    expect(check ? check(data) : crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** Text of an XML element or attribute with the five predefined entities undone. */
export const unescapeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
