import { formatTable, type BenchResult } from './lib.ts';
import { allocationBench } from './allocation.bench.ts';
import { auditBench } from './audit.bench.ts';
import { equityLoadBench } from './equity-load.bench.ts';
import { importBench } from './import.bench.ts';
import { selfReferralBench } from './self-referral.bench.ts';
import { siiBench } from './sii.bench.ts';
import { triageQueueBench } from './triage-queue.bench.ts';
import { waitsRecomputeBench } from './waits-recompute.bench.ts';
import { waitingListBench } from './waiting-list.bench.ts';

/**
 * `npm run bench [-- suite ...]`: runs the named suites (all by default) once and prints each
 * figure beside its peer as a ratio. Figures are from one run on this machine, not asserted.
 */
const suites: Record<string, () => Promise<BenchResult[]>> = {
  import: () => importBench(),
  audit: () => auditBench(),
  sii: () => siiBench(),
  'equity-load': () => equityLoadBench(),
  'self-referral': () => selfReferralBench(),
  'triage-queue': () => triageQueueBench(),
  'waits-recompute': () => waitsRecomputeBench(),
  allocation: () => allocationBench(),
  'waiting-list': () => waitingListBench(),
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  process.stderr.write(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${Object.keys(suites).join(', ')}\n`);
  process.exit(64);
}
const results: BenchResult[] = [];
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  process.stderr.write(`running ${name}...\n`);
  results.push(...(await suites[name]!()));
}
process.stdout.write(`${formatTable(results)}\n`);
