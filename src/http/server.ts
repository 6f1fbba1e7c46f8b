import type { FastifyInstance } from 'fastify';
import { describeDatabase, type Config } from '../config/config.ts';
import { prepareFirstRun, type FirstRunReport } from '../demo/first-run.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { openStore, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { buildApp } from './app.ts';
import { Lifecycle } from './lifecycle.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  firstRun: FirstRunReport;
  /** Stop taking requests, finish those in flight, close the database. */
  stop(): Promise<void>;
}

/**
 * Starts Roots: opens and migrates the database, prepares a first run (reference data, demo
 * organisation and a year of synthetic activity), then listens on HOST:PORT.
 */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const store = await openStore(config);
  const lifecycle = new Lifecycle();
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(store.db);
    const firstRun = await prepareFirstRun(store, config, logger);
    app = await buildApp({ store, config, logger, lifecycle });
    const address = await app.listen({ host: config.host, port: config.port });
    const url = address.replace('://127.0.0.1', '://localhost');
    logger.info({ url, database: describeDatabase(config) }, 'Roots is listening');
    let stopping: Promise<void> | undefined;
    const running: RunningServer = {
      app,
      store,
      url,
      firstRun,
      stop() {
        stopping ??= (async () => {
          lifecycle.beginShutdown();
          await app!.close();
          await store.close();
        })();
        return stopping;
      },
    };
    return running;
  } catch (error) {
    await app?.close().catch(() => {});
    await store.close().catch(() => {});
    throw error;
  }
}

/**
 * Stops gracefully on SIGTERM or SIGINT: readiness turns 503, in-flight requests finish, the
 * database closes. If that takes longer than the grace period the process exits anyway.
 */
export function stopOnSignals(server: RunningServer, config: Config, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Roots is shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
