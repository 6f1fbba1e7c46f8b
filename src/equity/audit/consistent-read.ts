import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../store/schema.ts';

type Read<T> = (db: Kysely<Schema>) => Promise<T>;
type Reads = Record<string, Promise<unknown>>;

/**
 * Runs several read-only queries against one consistent snapshot of the database.
 *
 * In turn (PGlite, or `parallel` false): one REPEATABLE READ transaction runs them one after the
 * other. At once (PostgreSQL): the first connection opens a REPEATABLE READ transaction and
 * exports its snapshot (pg_export_snapshot); each other read gets its own connection and adopts
 * that snapshot (SET TRANSACTION SNAPSHOT), so every read sees exactly the same data while they
 * use the server's cores together.
 */
export async function readConsistently<R extends Reads>(
  db: Kysely<Schema>,
  parallel: boolean,
  plan: (reader: <T>(read: Read<T>) => Promise<T>) => R,
): Promise<{ [K in keyof R]: Awaited<R[K]> }> {
  const settle = async (promises: R) => {
    const entries = await Promise.all(Object.entries(promises).map(async ([key, promise]) => [key, await promise] as const));
    return Object.fromEntries(entries) as { [K in keyof R]: Awaited<R[K]> };
  };
  if (!parallel) {
    return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      await tune(trx);
      // One session: run the reads in turn, in the order the plan made them.
      const queue: (() => Promise<void>)[] = [];
      const promises = plan(<T>(read: Read<T>) =>
        new Promise<T>((resolve, reject) => queue.push(() => read(trx).then(resolve, reject))),
      );
      for (const next of queue) await next();
      return settle(promises);
    });
  }
  return db.connection().execute(async (leader) => {
    await sql`begin isolation level repeatable read read only`.execute(leader);
    try {
      await tune(leader);
      const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(leader);
      const snapshot = rows[0]!.snapshot;
      let first = true;
      const promises = plan(<T>(read: Read<T>) => {
        if (first) {
          first = false;
          return read(leader);
        }
        return db.connection().execute(async (follower) => {
          await sql`begin isolation level repeatable read read only`.execute(follower);
          try {
            await sql.raw(`set transaction snapshot '${snapshot.replaceAll("'", "")}'`).execute(follower);
            await tune(follower);
            return await read(follower);
          } finally {
            await sql`commit`.execute(follower);
          }
        });
      });
      return await settle(promises);
    } finally {
      await sql`commit`.execute(leader);
    }
  });
}

/**
 * Settings for the audit's large aggregations, for this transaction only. The planner's estimate
 * of the grouping sets' hash tables is far above what they use (a few MB for a million referrals),
 * and at the default work_mem it sorts a million rows to disk per grouping set instead: a ceiling
 * of 512 MB lets it hash them all in one pass (measured 10.7 s -> 5.0 s on PGlite). JIT
 * compilation costs more than it saves on these queries.
 */
async function tune(db: Kysely<Schema>): Promise<void> {
  await sql`set local work_mem = '512MB'`.execute(db);
  await sql`set local jit = off`.execute(db);
}
