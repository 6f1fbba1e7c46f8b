import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyReply {
    /** Per-response nonce for the inline scripts the NHS template needs. */
    cspNonce: string;
  }
}

/**
 * Strict security headers on every response. The content security policy allows only Roots'
 * own scripts and styles, and inline scripts carrying this response's nonce.
 */
export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    app.decorateReply('cspNonce', '');
    app.addHook('onRequest', async (_request, reply) => {
      reply.cspNonce = randomBytes(16).toString('base64');
    });
    app.addHook('onSend', async (request, reply) => {
      reply.header(
        'content-security-policy',
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${reply.cspNonce}'`,
          "style-src 'self'",
          "img-src 'self' data:",
          "font-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
      );
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'same-origin');
      reply.header('cross-origin-opener-policy', 'same-origin');
      reply.header('cross-origin-resource-policy', 'same-origin');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
      if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security-headers' },
);
