import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../store/schema.ts';
import { nhsDisclosureRule } from '../../disclosure/disclosure.ts';
import { refreshReferralFacts } from './audit.queries.ts';
import type { AuditRequest, DisclosedAudit } from './audit.model.ts';
import { runEquityAudit, type EquityAuditOptions } from './audit.service.ts';

export interface AuditCacheStats {
  /** Audits actually computed by the engine (misses that ran). */
  runs: number;
  /** Answers served from a finished audit in the cache. */
  hits: number;
  /** Answers that joined an identical audit already running (single-flight). */
  joined: number;
}

/**
 * Finished equity audits, kept per (service, period, as-of date, confidence, disclosure rule,
 * data version), and identical audits asked for at once computed once (single-flight). An audit
 * costs about 0.7 s of CPU at demo size; the public /equity page asks for the same few again
 * and again.
 *
 * The data version is read fresh on every request, after the referral facts are brought up to
 * date (every write to a referral, triage, episode, discharge or outcome marks its facts; a
 * reference data import marks them all): the number of the service's fact rows and the highest
 * transaction id (xmin) among them, plus the same for the service row and the reference
 * datasets. Rebuilt facts are new row versions with a newer xmin, so any write that changes
 * what the audit reads changes the version, from this process or another (roots import). It
 * reads the service's fact rows' headers through their index (about 1 ms at demo size, about
 * 0.1 s at a million referrals), against seconds for the audit it saves.
 */
export class AuditCache {
  readonly stats: AuditCacheStats = { runs: 0, hits: 0, joined: 0 };
  readonly #entries = new Map<string, { audit: Promise<DisclosedAudit>; settled: boolean }>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 64;
  }

  /** The audit from the cache when the data has not changed since; otherwise computed once. */
  async audit(db: Kysely<Schema>, request: AuditRequest, options: EquityAuditOptions = {}): Promise<DisclosedAudit> {
    await refreshReferralFacts(db);
    const version = await dataVersion(db, request.serviceId);
    const rule = options.rule ?? nhsDisclosureRule;
    const key = JSON.stringify([request.serviceId, request.from, request.to, request.asOf ?? request.to, request.confidence ?? 0.95, rule.suppressUpTo, rule.roundTo, version]);
    const found = this.#entries.get(key);
    if (found) {
      if (found.settled) this.stats.hits++;
      else this.stats.joined++;
      // Most recently used last, so the oldest is evicted first.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.audit;
    }
    this.stats.runs++;
    const entry = { audit: runEquityAudit(db, request, options), settled: false };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    try {
      const audit = await entry.audit;
      entry.settled = true;
      return audit;
    } catch (error) {
      // A failed audit is not kept: the next request tries again.
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
  }
}

/** What the audit of one service reads, as a value that changes whenever that data does. */
export async function dataVersion(db: Kysely<Schema>, serviceId: number): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select concat_ws(':',
      (select count(*) || '/' || coalesce(max(xmin::text::bigint), 0) from referral_fact where service_id = ${serviceId}),
      (select xmin::text from service where id = ${serviceId}),
      (select count(*) || '/' || coalesce(max(xmin::text::bigint), 0) from ref_dataset)
    ) as version`.execute(db);
  return rows[0]!.version;
}
