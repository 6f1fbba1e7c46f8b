import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentMigration } from '../../store/migrate.ts';
import { migrations } from '../../store/migrations/index.ts';
import type { AppDependencies } from '../app.ts';

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.enum(['ready', 'not-ready']),
  checks: z.object({ database: z.enum(['ok', 'unavailable']), migration: z.string().nullable(), shuttingDown: z.boolean() }),
});

/**
 * /health: the process is alive (for restarts); it never touches the database, so it answers
 * while audits hold the pool, and it is never rate-limited. /ready: it can serve traffic now — the database
 * answers, the schema is current and shutdown has not begun (for load balancers).
 */
export const healthRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, lifecycle }) => {
  app.get('/health', { config: { access: 'public' }, schema: { hide: true, response: { 200: healthResponse } } }, async () => ({ status: 'ok' as const }));

  app.get('/ready', { config: { access: 'public' }, schema: { hide: true, response: { 200: readyResponse, 503: readyResponse } } }, async (_request, reply) => {
    let database: 'ok' | 'unavailable' = 'ok';
    let migration: string | null = null;
    try {
      await sql`select 1`.execute(store.db);
      migration = await currentMigration(store.db);
    } catch {
      database = 'unavailable';
    }
    const latest = Object.keys(migrations).at(-1)!;
    const ready = database === 'ok' && migration === latest && !lifecycle.shuttingDown;
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      checks: { database, migration, shuttingDown: lifecycle.shuttingDown },
    });
  });
};
