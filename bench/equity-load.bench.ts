import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.ts';
import { prepareFirstRun } from '../src/demo/first-run.ts';
import { AuditCache } from '../src/equity/audit/audit.cache.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/logging/logger.ts';
import { benchDir, databaseUrlFor, freshStore, referenceDir, type BenchEngine } from './datasets.ts';
import type { BenchResult } from './lib.ts';

const durationSeconds = Number(process.env.ROOTS_BENCH_LOAD_SECONDS ?? 10);
const connections = Number(process.env.ROOTS_BENCH_LOAD_CONNECTIONS ?? 10);

/**
 * The public /equity page under load: Roots started on 127.0.0.1 with the demo organisation
 * (first-run data: the reference pack and ROOTS_DEMO_PEOPLE synthetic people, 4,000 by default),
 * autocannon for a fixed time with a fixed number of connections, and /health asked for one
 * request at a time throughout, to show whether it still answers. Run with the audit cache
 * (normal) and without it (every request runs the audit), on each engine. The rate limit is
 * lifted for the run (one address would otherwise be refused after 60 requests a minute).
 */
export async function equityLoadBench(engines: BenchEngine[] = ['pglite', 'postgresql']): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const engine of engines) {
    const name = 'roots_bench_equity_load';
    const store = await freshStore(engine, name);
    const config = loadConfig({
      ...(engine === 'postgresql' ? { DATABASE_URL: databaseUrlFor(name) } : {}),
      ROOTS_DATA_DIR: join(benchDir, `${name}.data`),
      ROOTS_REFERENCE_DIR: referenceDir,
      LOG_LEVEL: 'silent',
      ROOTS_RATE_LIMIT_PER_MINUTE: '1000000',
      ROOTS_EQUITY_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    try {
      const firstRun = await prepareFirstRun(store, config, createLogger('silent'));
      for (const cached of [true, false]) {
        // maxEntries 0: every request runs the audit (no cache, no single-flight).
        const audits = new AuditCache({ maxEntries: cached ? 64 : 0 });
        const app = await buildApp({ store, config, logger: createLogger('silent'), audits });
        try {
          await app.listen({ host: '127.0.0.1', port: 0 });
          const address = app.server.address();
          const port = typeof address === 'object' && address ? address.port : 0;
          const base = `http://127.0.0.1:${port}`;
          const warm = await fetch(`${base}/equity`);
          if (warm.status !== 200) throw new Error(`/equity answered ${warm.status}`);
          await warm.text();
          const health = measureHealth(base);
          const load = await autocannon({ url: `${base}/equity`, connections, duration: durationSeconds });
          const healthLatencies = await health.stop();
          const note = `${firstRun.demoReferrals.toLocaleString('en-GB')} demo referrals; ${connections} connections for ${durationSeconds} s; ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts; engine runs ${audits.stats.runs}`;
          const label = cached ? 'with the audit cache' : 'no cache (every request runs the audit)';
          results.push({ suite: 'equity-load', case: `/equity requests per second, ${label}`, engine, value: load.requests.average, unit: 'req/s', note });
          results.push({ suite: 'equity-load', case: `/equity p99 latency, ${label}`, engine, value: load.latency.p99, unit: 'ms', note: `p50 ${load.latency.p50} ms, max ${load.latency.max} ms` });
          results.push({
            suite: 'equity-load',
            case: `/health p99 latency during that load, ${label}`,
            engine,
            value: percentile(healthLatencies, 0.99),
            unit: 'ms',
            note: `${healthLatencies.length} requests one at a time; p50 ${percentile(healthLatencies, 0.5).toFixed(1)} ms, max ${Math.max(...healthLatencies).toFixed(1)} ms`,
          });
        } finally {
          await app.close();
        }
      }
    } finally {
      await store.close();
    }
  }
  for (const result of results) process.stderr.write(`${result.engine} ${result.case}: ${result.value.toFixed(1)} ${result.unit} (${result.note ?? ''})\n`);
  return results;
}

/** Asks for /health one request at a time until stopped; returns each answer's time in ms. */
function measureHealth(base: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const response = await fetch(`${base}/health`);
      await response.text();
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
