import type { Actor } from '../src/access/actor.ts';

/** The documented system actor benchmarks import as (`system:bench` in the audit trail). */
export const BENCH_ACTOR: Actor = { kind: 'system', name: 'bench' };
