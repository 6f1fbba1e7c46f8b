import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/** Tables a referral import writes, and the facts built from them. */
const referralTables = ['person', 'referral', 'triage', 'episode', 'waiting_clock_event', 'discharge', 'outcome_response', 'referral_fact', 'outcome_fact'];

/**
 * After writing referrals in bulk: rebuild the referral facts the equity audit reads (so the next
 * audit does not pay for it), and, for a large write, refresh the planner's statistics. PGlite
 * has no autovacuum, so without this its query plans would be made for empty tables.
 */
export async function afterReferralWrites(db: Kysely<Schema>, rowsWritten: number): Promise<{ factsRebuilt: number }> {
  const { rows } = await sql<{ rebuilt: number }>`select roots_refresh_referral_facts() as rebuilt`.execute(db);
  if (rowsWritten >= 1000) await sql.raw(`analyze ${referralTables.join(', ')}`).execute(db);
  return { factsRebuilt: Number(rows[0]?.rebuilt ?? 0) };
}
