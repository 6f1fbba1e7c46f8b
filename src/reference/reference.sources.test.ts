import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadReferencePack } from './reference.download.ts';
import { referenceLayouts } from './reference.parser.ts';
import { OGL_V3, REFERENCE_ATTRIBUTION, referenceSources, type ReferenceSource } from './reference.sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'roots-download-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the catalogue of official sources', () => {
  it('has one source for every dataset the importer reads, each naming its layouts', () => {
    const datasets = new Set(referenceLayouts.map((layout) => layout.dataset.name));
    expect(new Set(referenceSources.map((source) => source.dataset))).toEqual(datasets);
    expect(referenceSources).toHaveLength(datasets.size);
    for (const source of referenceSources) {
      expect(source.layouts.length, source.dataset).toBeGreaterThan(0);
      expect(source.layouts.every((layout) => layout.columns.length > 0)).toBe(true);
    }
  });

  it('gives each a publisher, an https page, the OGL v3.0 and Crown copyright attribution, and a link or instructions', () => {
    for (const source of referenceSources) {
      expect(source.publisher, source.dataset).not.toBe('');
      expect(new URL(source.page).protocol).toBe('https:');
      expect(source.licence).toEqual(OGL_V3);
      expect(source.attribution).toMatch(/© Crown copyright/);
      expect(source.attribution).toMatch(/Open Government Licence v3\.0/);
      if (source.download) expect(new URL(source.download.url).protocol).toBe('https:');
      else expect(source.manual, source.dataset).toMatch(/\w/);
    }
  });

  it('carries the OS and Royal Mail lines on the postcode lookup, and in the one attribution text for reports', () => {
    const nspl = referenceSources.find((source) => source.dataset === 'nspl')!;
    for (const text of [nspl.attribution, REFERENCE_ATTRIBUTION]) {
      expect(text).toContain('Contains OS data © Crown copyright and database right');
      expect(text).toContain('Contains Royal Mail data © Royal Mail copyright and database right');
      expect(text).toContain('Contains National Statistics data © Crown copyright and database right');
    }
    expect(REFERENCE_ATTRIBUTION).toContain('Open Government Licence v3.0');
    for (const publisher of ['Ministry of Housing, Communities and Local Government', 'Welsh Government', 'Scottish Government', 'Northern Ireland Statistics and Research Agency', 'Office for National Statistics']) {
      expect(REFERENCE_ATTRIBUTION).toContain(publisher);
    }
  });

  it('downloads the English IMD as File 7, a CSV the importer reads as it is', () => {
    const england = referenceSources.find((source) => source.dataset === 'england_imd2019')!;
    expect(england.download?.url).toMatch(/^https:\/\/assets\.publishing\.service\.gov\.uk\/.*File_7_.*\.csv$/);
  });
});

describe('roots reference download', () => {
  const england = referenceSources.find((source) => source.dataset === 'england_imd2019')!;
  const file7 = [
    '"LSOA code (2011)","LSOA name (2011)","Local Authority District code (2019)","Local Authority District name (2019)","Index of Multiple Deprivation (IMD) Score","Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"',
    'E01000001,City of London 001A,E09000001,City of London,6.208,29199',
  ].join('\r\n');

  it('fails with NETWORK_UNAVAILABLE naming what could not be reached when there is no internet', async () => {
    const offline = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND assets.publishing.service.gov.uk'), { code: 'ENOTFOUND' }) });
    }) as typeof fetch;
    const error = await downloadReferencePack(dir, { fetch: offline }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK_UNAVAILABLE', exitCode: 69 });
    expect((error as Error).message).toContain(england.download!.url);
    expect((error as Error).message).toContain('assets.publishing.service.gov.uk cannot be found');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails the same way with the real fetch against a port where nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const unreachable: ReferenceSource = { ...england, download: { url: `http://127.0.0.1:${port}/file7.csv`, fileName: 'file7.csv' } };
    await expect(downloadReferencePack(dir, { sources: [unreachable], timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'NETWORK_UNAVAILABLE',
      message: expect.stringMatching(/127\.0\.0\.1:\d+ cannot be reached \[ECONNREFUSED\]/),
    });
  });

  it('reports a publisher that answers with an error status', async () => {
    const missing = (async () => new Response('gone', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(downloadReferencePack(dir, { fetch: missing })).rejects.toMatchObject({ code: 'NETWORK_UNAVAILABLE', message: expect.stringContaining('HTTP 404 Not Found') });
  });

  it('refuses a page that is not the expected file and leaves nothing behind', async () => {
    const html = (async () => new Response('<html><body>Moved</body></html>', { status: 200 })) as typeof fetch;
    await expect(downloadReferencePack(dir, { fetch: html })).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('saves a file it recognises under the published name and lists the datasets to fetch by hand', async () => {
    const served = (async () => new Response(file7, { status: 200 })) as typeof fetch;
    const summary = await downloadReferencePack(dir, { fetch: served });
    expect(summary.downloaded).toEqual([{ dataset: 'england_imd2019', file: join(dir, england.download!.fileName), url: england.download!.url, bytes: Buffer.byteLength(file7) }]);
    expect(existsSync(join(dir, england.download!.fileName))).toBe(true);
    expect(summary.manual.map((entry) => entry.dataset)).toContain('nspl');
    expect(summary.manual.every((entry) => entry.page.startsWith('https://') && entry.instructions.length > 0)).toBe(true);
  });
});
