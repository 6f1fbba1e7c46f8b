import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.ts';
import { AuditCache } from '../equity/audit/audit.cache.ts';
import { loggerOptions, type Logger } from '../logging/logger.ts';
import type { Store } from '../store/database.ts';
import { apiV1 } from './api/v1/index.ts';
import { Lifecycle } from './lifecycle.ts';
import { apiAuth } from './plugins/api-auth.ts';
import { assets } from './plugins/assets.ts';
import { clientErrorHandler, errors, frameworkErrors } from './plugins/errors.ts';
import { pages } from './plugins/pages.ts';
import { routeAccess } from './plugins/route-access.ts';
import { rateLimit } from './plugins/rate-limit.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { sessions } from './plugins/sessions.ts';
import { commissioningRoutes } from './routes/commissioning.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { allocationRoutes } from './routes/allocation.routes.ts';
import { caseloadRoutes } from './routes/caseload.routes.ts';
import { equityRoutes } from './routes/equity.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { homeRoutes } from './routes/home.routes.ts';
import { referRoutes } from './routes/refer.routes.ts';
import { referralFormRoutes } from './routes/referral-form.routes.ts';
import { signInRoutes } from './routes/sign-in.routes.ts';
import { triageRoutes } from './routes/triage.routes.ts';
import { clockRulesRoutes } from './routes/clock-rules.routes.ts';
import { waitingListRoutes } from './routes/waiting-list.routes.ts';
import { outcomesRoutes } from './routes/outcomes.routes.ts';
import { createViews } from './views.ts';

/** What every route may use, passed in explicitly (no module-level singletons). */
export interface AppDependencies {
  store: Store;
  config: Config;
  lifecycle: Lifecycle;
  /** Today's date as 'YYYY-MM-DD' (injected so tests can fix it). */
  clock: () => string;
  /** The current instant (injected so tests can move session clocks). */
  now: () => Date;
  /** Finished equity audits, per service, period and data version (src/equity/audit/audit.cache.ts). */
  audits: AuditCache;
}

export interface BuildAppOptions {
  store: Store;
  config: Config;
  logger?: Logger;
  lifecycle?: Lifecycle;
  clock?: () => string;
  now?: () => Date;
  audits?: AuditCache;
}

/**
 * Builds the Roots web application as a Fastify instance, without listening. Tests drive it with
 * `app.inject()`; server.ts listens. Plugins and routes are registered explicitly, in order.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { store, config } = options;
  const views = createViews();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: loggerOptions(config.logLevel) }),
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    bodyLimit: 1_048_576,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors met before a route runs answer like every other error (problem+json or a page).
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(views),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const dependencies: AppDependencies = {
    store,
    config,
    lifecycle: options.lifecycle ?? new Lifecycle(),
    clock: options.clock ?? (() => new Date().toISOString().slice(0, 10)),
    now: options.now ?? (() => new Date()),
    audits: options.audits ?? new AuditCache(),
  };

  // First: every route registered after this must declare config.access (and it is enforced).
  await app.register(routeAccess, { store });
  // OpenAPI generated from the same zod schemas that validate each route (GET /api/openapi.json).
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Roots API', version: '0.1.0', description: 'Referrals in, disclosure-controlled equity audits out. Bearer tokens: roots token create.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Pages are not part of the API description.
    transform: (document) => (document.url.startsWith('/api/') ? jsonSchemaTransform(document) : { schema: { ...document.schema, hide: true }, url: document.url }),
  });
  await app.register(securityHeaders);
  // Pages and stylesheets compressed (gzip or brotli, as the browser accepts): the public /refer
  // pages stay under 50 KB transferred on a slow or metered connection.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  // Cookies (the remembered language; staff sessions). Registered once, here, for every plugin.
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  await app.register(pages, { views });
  await app.register(errors);
  await app.register(rateLimit, { config });
  await app.register(formbody);
  await app.register(assets);
  await app.register(apiAuth);
  await app.register(sessions, { store, settings: config.sessions, now: dependencies.now });
  await app.register(healthRoutes, dependencies);
  await app.register(homeRoutes, dependencies);
  await app.register(equityRoutes, dependencies);
  await app.register(apiV1, { ...dependencies, prefix: '/api/v1' });
  await app.register(commissioningRoutes, dependencies);
  await app.register(signInRoutes, dependencies);
  await app.register(referRoutes, dependencies);
  await app.register(adminRoutes, dependencies);
  await app.register(triageRoutes, dependencies);
  await app.register(waitingListRoutes, dependencies);
  await app.register(referralFormRoutes, dependencies);
  await app.register(clockRulesRoutes, dependencies);
  await app.register(allocationRoutes, dependencies);
  await app.register(caseloadRoutes, dependencies);
  await app.register(outcomesRoutes, dependencies);
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  return app;
}
