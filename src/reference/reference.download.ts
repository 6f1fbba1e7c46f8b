import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RootsError, type Problem } from '../errors/roots-error.ts';
import { recogniseFile } from './reference.parser.ts';
import { referenceSources, type ReferenceSource } from './reference.sources.ts';

export interface DownloadOptions {
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Per file; a publisher that does not answer within it counts as unreachable. */
  timeoutMs?: number;
  sources?: readonly ReferenceSource[];
}

export interface DownloadSummary {
  dir: string;
  downloaded: { dataset: string; file: string; url: string; bytes: number }[];
  /** Datasets with no stable direct link: fetch these by hand from their page. */
  manual: { dataset: string; page: string; instructions: string }[];
}

/**
 * Downloads every dataset that has a stable direct link into `dir`, and lists the others with
 * their pages. Each file is written under a temporary name and renamed once complete and
 * recognised by the importer, so an interrupted download never leaves a half file to be imported.
 * Any source that cannot be fetched fails the command with NETWORK_UNAVAILABLE naming it, after
 * the others have been tried.
 */
export async function downloadReferencePack(dir: string, options: DownloadOptions = {}): Promise<DownloadSummary> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const sources = options.sources ?? referenceSources;
  await mkdir(dir, { recursive: true });
  const downloaded: DownloadSummary['downloaded'] = [];
  const failures: Problem[] = [];
  for (const source of sources) {
    if (!source.download) continue;
    const { url, fileName } = source.download;
    const target = join(dir, fileName);
    const partial = `${target}.part`;
    try {
      const response = await fetcher(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (!response.ok || !response.body) {
        failures.push({ field: source.dataset, value: url, reason: `${url} answered HTTP ${response.status} ${response.statusText}`.trim() });
        continue;
      }
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
      const match = await recogniseFile(partial).catch((error: unknown) => {
        throw new RootsError('FORMAT_NOT_RECOGNISED', {
          detail: `${url} did not return a file in a layout Roots reads: ${(error as Error).message}`,
          cause: error,
        });
      });
      if (match.layout.dataset.name !== source.dataset) {
        throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${url} returned the ${match.layout.dataset.name} dataset, not ${source.dataset}` });
      }
      await rename(partial, target);
      const { size } = await stat(target);
      downloaded.push({ dataset: source.dataset, file: target, url, bytes: size });
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof RootsError) throw error;
      failures.push({ field: source.dataset, value: url, reason: describeNetworkFailure(url, error) });
    }
  }
  if (failures.length > 0) {
    throw new RootsError('NETWORK_UNAVAILABLE', {
      detail: `Could not download ${failures.map((failure) => failure.value).join(', ')}: ${failures[0]!.reason}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`,
      problems: failures,
    });
  }
  return {
    dir,
    downloaded,
    manual: sources
      .filter((source) => !source.download)
      .map((source) => ({ dataset: source.dataset, page: source.page, instructions: source.manual ?? '' })),
  };
}

function describeNetworkFailure(url: string, error: unknown): string {
  const host = safeHost(url);
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `${host} did not answer in time`;
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return `${host} cannot be found (no internet connection or DNS) [${cause.code}]`;
  if (cause?.code) return `${host} cannot be reached [${cause.code}]`;
  return `${host} cannot be reached: ${cause?.message ?? (error as Error)?.message ?? String(error)}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
