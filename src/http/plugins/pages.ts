import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type nunjucks from 'nunjucks';
import { contentFor, type Language } from '../../web/content/index.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page template with the layout's shared context and sends it as HTML. */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyRequest {
    language: Language;
  }
}

/** The page language: Welsh when asked for with ?lang=cy, English otherwise. */
function languageOf(request: FastifyRequest): Language {
  const query = request.query as Record<string, unknown> | undefined;
  return query?.lang === 'cy' ? 'cy' : 'en';
}

export const pages = fp(
  async (app: FastifyInstance, options: { views: nunjucks.Environment }) => {
    app.decorateRequest('language', 'en');
    app.addHook('onRequest', async (request) => {
      request.language = languageOf(request);
    });
    app.decorateReply('page', function (this: import('fastify').FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const language = this.request.language;
      const html = options.views.render(template, {
        language,
        t: contentFor(language),
        cspNonce: this.cspNonce,
        currentPath: this.request.url.split('?')[0],
        // Who is signed in (the header's account menu) and a CSRF token for any form on the page.
        signedIn: this.request.staffSession ? { displayName: this.request.staffSession.displayName } : null,
        csrfToken: () => this.csrfToken(),
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'pages', dependencies: ['security-headers'] },
);
