import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type nunjucks from 'nunjucks';
import { readsIdentifiableAnywhere, triagesAnywhere } from '../../access/policies.ts';
import { hasCaseload } from '../../caseload/caseload.policy.ts';
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

/** The cookie that remembers a language chosen with ?lang= (one year; not personal data). */
export const languageCookie = 'roots_lang';

const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'cy';

/** The language named in the URL's ?lang=, if any. */
function queryLanguage(request: FastifyRequest): Language | null {
  const query = request.query as Record<string, unknown> | undefined;
  return isLanguage(query?.lang) ? query.lang : null;
}

/**
 * The page language: ?lang= when given; otherwise the language chosen before (cookie);
 * otherwise Welsh when the browser prefers Welsh to English (Accept-Language); otherwise English.
 */
export function languageOf(request: FastifyRequest): Language {
  const asked = queryLanguage(request);
  if (asked) return asked;
  const remembered = request.cookies?.[languageCookie];
  if (isLanguage(remembered)) return remembered;
  return preferredLanguage(request.headers['accept-language']);
}

/** Welsh when Accept-Language ranks Welsh (cy, cy-GB) above English; English otherwise. */
export function preferredLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => (entry.language === 'cy' || entry.language === 'en') && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.language === 'cy' ? 'cy' : 'en';
}

/** The same page in the other language: same path and query, with lang= switched. */
export function languageSwitch(url: string, language: Language): { href: string; text: string; lang: Language } {
  const other: Language = language === 'cy' ? 'en' : 'cy';
  const parsed = new URL(url, 'http://roots.invalid');
  parsed.searchParams.set('lang', other);
  return { href: `${parsed.pathname}${parsed.search}`, text: other === 'cy' ? 'Cymraeg' : 'English', lang: other };
}

export const pages = fp(
  async (app: FastifyInstance, options: { views: nunjucks.Environment }) => {
    app.decorateRequest('language', 'en');
    app.addHook('onRequest', async (request, reply) => {
      request.language = languageOf(request);
      // A language chosen with ?lang= is remembered for the next pages.
      const asked = queryLanguage(request);
      if (asked && request.cookies?.[languageCookie] !== asked) {
        reply.setCookie(languageCookie, asked, { path: '/', maxAge: 365 * 86_400, httpOnly: true, secure: true, sameSite: 'lax' });
      }
    });
    app.decorateReply('page', function (this: import('fastify').FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const language = this.request.language;
      const path = this.request.url.split('?')[0] ?? '';
      // The header's links for what the signed-in member of staff does (the Triage link for those who triage).
      const actor = this.request.actor ?? null;
      const links = [
        ...(triagesAnywhere(actor) ? [{ href: '/triage', text: contentFor(language).triage.nav, current: path === '/triage' || path.endsWith('/triage') }] : []),
        ...(hasCaseload(actor) ? [{ href: '/caseload', text: contentFor(language).caseload.nav, current: path === '/caseload' || path.startsWith('/episodes/') }] : []),
        // The Waiting lists link for staff who read a service's records (waiting list, validation, queue pressure, equity weights).
        ...(readsIdentifiableAnywhere(actor)
          ? [{ href: '/waiting-lists', text: contentFor(language).waitingList.nav, current: path === '/waiting-lists' || /\/(waiting-list|validation|queue-pressure|equity-weights)(\/|$)/.test(path) }]
          : []),
      ];
      const navigation = links.length > 0 ? links : undefined;
      const html = options.views.render(template, {
        language,
        t: contentFor(language),
        cspNonce: this.cspNonce,
        currentPath: this.request.url.split('?')[0],
        // Who is signed in (the header's account menu) and a CSRF token for any form on the page.
        signedIn: this.request.staffSession ? { displayName: this.request.staffSession.displayName } : null,
        csrfToken: () => this.csrfToken(),
        languageSwitch: languageSwitch(this.request.url, language),
        navigation,
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'pages', dependencies: ['security-headers', '@fastify/cookie'] },
);
