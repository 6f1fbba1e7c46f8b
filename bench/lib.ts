import { performance } from 'node:perf_hooks';

/** One measured figure, optionally beside a named peer doing the same work. */
export interface BenchResult {
  suite: string;
  case: string;
  engine?: string;
  value: number;
  unit: string;
  /** The peer's figure for the same work, and its name. */
  peer?: { name: string; value: number };
  /** How the ratio reads, e.g. "Roots time / DuckDB time". */
  ratioMeaning?: string;
  note?: string;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
}

/** Peak resident memory while `work` runs, sampled every 50 ms. */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1_048_576 };
  } finally {
    clearInterval(timer);
  }
}

export function formatTable(results: BenchResult[]): string {
  const header = '| suite | case | engine | value | peer | ratio | note |\n|---|---|---|---|---|---|---|';
  const rows = results.map((r) => {
    const value = `${format(r.value)} ${r.unit}`;
    const peer = r.peer ? `${r.peer.name}: ${format(r.peer.value)} ${r.unit}` : '';
    const ratio = r.peer && r.peer.value !== 0 ? `${format(r.value / r.peer.value)}${r.ratioMeaning ? ` (${r.ratioMeaning})` : ''}` : '';
    return `| ${r.suite} | ${r.case} | ${r.engine ?? ''} | ${value} | ${peer} | ${ratio} | ${r.note ?? ''} |`;
  });
  return [header, ...rows].join('\n');
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-GB');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toPrecision(3);
}
