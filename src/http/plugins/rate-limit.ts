import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config/config.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { decodedPath } from './errors.ts';

/** Paths never limited: health checks (a load balancer polls them) and static assets. */
function unlimited(request: FastifyRequest): boolean {
  const path = decodedPath(request.url);
  return path === '/health' || path === '/ready' || path.startsWith('/assets/');
}

/**
 * Rate limits per client address (@fastify/rate-limit, in memory): a generous limit on every
 * route, and a lower one on the routes that run an equity audit (`config.rateLimit` on those
 * routes; see equityRateLimit). Over the limit the answer is 429 RATE_LIMITED with Retry-After,
 * as problem+json or an error page like any other error. Limits are per minute, set by
 * ROOTS_RATE_LIMIT_PER_MINUTE and ROOTS_EQUITY_RATE_LIMIT_PER_MINUTE; many staff behind one
 * NHS network address share one allowance, so the defaults are high.
 */
export const rateLimit = fp(
  async (app: FastifyInstance, options: { config: Config }) => {
    await app.register(fastifyRateLimit, {
      global: true,
      max: options.config.rateLimit.perMinute,
      timeWindow: 60_000,
      hook: 'onRequest',
      keyGenerator: (request) => request.ip,
      allowList: (request) => unlimited(request),
      errorResponseBuilder: (_request, context) =>
        new RootsError('RATE_LIMITED', { detail: `Too many requests from your network. Try again in ${context.after}.` }),
    });
  },
  { name: 'rate-limit' },
);

/** The per-route limit for routes that run an equity audit (about 0.7 s of CPU each when not cached). */
export function equityRateLimit(config: Config) {
  return { max: config.rateLimit.equityPerMinute, timeWindow: 60_000 };
}
