import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { buildApp } from '../app.ts';
import { preferredLanguage } from './pages.ts';

const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

interface TextNode {
  text: string;
  /** The language of the nearest element with a lang attribute. */
  lang: string;
  /** Inside an <svg> (chart drawings) or a <script>/<style>. */
  inside: string[];
}

/**
 * The text of a page with the language each piece of text is in (the nearest lang attribute),
 * by a small tag walker: Roots' pages are generated, well-formed HTML.
 */
function textNodes(html: string): TextNode[] {
  const nodes: TextNode[] = [];
  const stack: { tag: string; lang: string | null }[] = [];
  const tagPattern = /<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  let last = 0;
  const currentLang = () => [...stack].reverse().find((entry) => entry.lang !== null)?.lang ?? '';
  const addText = (raw: string) => {
    const text = raw.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/&middot;/g, '·').replace(/&copy;/g, '©').replace(/\s+/g, ' ').trim();
    if (text) nodes.push({ text, lang: currentLang(), inside: stack.map((entry) => entry.tag) });
  };
  for (const match of html.matchAll(tagPattern)) {
    const inScript = stack.length > 0 && ['script', 'style'].includes(stack.at(-1)!.tag);
    const [whole, closing, name = '', attributes = '', selfClosing] = match;
    const tag = name.toLowerCase();
    if (inScript && !(closing && tag === stack.at(-1)!.tag)) continue;
    if (!inScript) addText(html.slice(last, match.index));
    last = match.index + whole.length;
    if (!name) continue;
    if (closing) {
      const at = stack.map((entry) => entry.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
    } else if (!selfClosing && !voidElements.has(tag)) {
      stack.push({ tag, lang: /\slang="([^"]*)"/.exec(attributes)?.[1] ?? null });
    }
  }
  return nodes;
}

/** Text that reads the same on the English and the Welsh page is untranslated English. */
const translatable = (text: string, names: string[]) => {
  const rest = names.reduce((left, name) => left.replaceAll(name, ''), text).trim();
  return /[A-Za-z]{3,}/.test(rest) && !/^(Roots|English|Cymraeg|[A-Z0-9_]+|[\d.,%() ·-]+)$/.test(rest);
};

// Given every page, when it is shown in Welsh, then each piece of text is either Welsh or sits
// inside an element marked lang="en": text that reads the same on the English page (and is not
// a name) and is not marked is untranslated English. And every page has a link to the other
// language that keeps the path and query; Accept-Language: cy and a remembered choice are used
// when the URL does not say.
describe(`Welsh pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const names = ['Test OT', 'Test Trust'];
  const pages = ['/', '/about', '/accessibility', '/privacy', '/equity?service=ot&from=2026-01-01&to=2026-10-31', '/no-such-page', '/equity?from=2026-02-30'];

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 30; i++) {
      const person = await store.db.insertInto('person').values({ organisation_id: organisation.id, source_person_id: `p${i}`, postcode_status: 'not_given', sex: i % 2 ? '1' : '2', ethnicity: i % 3 ? 'A' : 'H', date_of_birth: '1960-01-01' }).returning('id').executeTakeFirstOrThrow();
      const row = await store.db.insertInto('referral').values({ service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: '2026-03-01', source: 'gp', status: 'waiting' }).returning('id').executeTakeFirstOrThrow();
      await store.db.insertInto('episode').values({ referral_id: row.id, service_id: service.id, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-03-01', first_contact_on: i < 20 ? '2026-05-01' : null, clock_stopped_on: i < 20 ? '2026-05-01' : null, contacts_attended: i < 20 ? 1 : 0 }).execute();
    }
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('marks every untranslated piece of text on each Welsh page lang="en"', async () => {
    const problems: string[] = [];
    for (const path of pages) {
      const join = path.includes('?') ? '&' : '?';
      const english = await app.inject(`${path}${join}lang=en`);
      const welsh = await app.inject(`${path}${join}lang=cy`);
      expect(welsh.body, path).toContain('<html lang="cy"');
      const englishTexts = new Set(textNodes(english.body).map((node) => node.text));
      const unmarked = textNodes(welsh.body)
        .filter((node) => !node.inside.includes('svg'))
        .filter((node) => node.lang !== 'en' && englishTexts.has(node.text) && translatable(node.text, names))
        .map((node) => node.text);
      problems.push(...[...new Set(unmarked)].map((text) => `${path}: ${text}`));
    }
    expect(problems).toEqual([]);
  });

  it('links every page to the other language, keeping the path and query', async () => {
    for (const path of pages) {
      const join = path.includes('?') ? '&' : '?';
      const welsh = (await app.inject(`${path}${join}lang=cy`)).body;
      const link = /<a [^>]*href="([^"]*)"[^>]*data-testid="language-switch"[^>]*>([^<]*)<\/a>/.exec(welsh);
      expect(link?.[2], path).toBe('English');
      const target = new URL(link![1]!.replaceAll('&amp;', '&'), 'http://x');
      const original = new URL(path, 'http://x');
      expect(target.pathname).toBe(original.pathname);
      for (const [key, value] of original.searchParams) expect(target.searchParams.get(key), `${path} ${key}`).toBe(value);
      expect(target.searchParams.get('lang')).toBe('en');
      const english = (await app.inject(path)).body;
      expect(/data-testid="language-switch"[^>]*>Cymraeg</.test(english), path).toBe(true);
    }
  });

  it('honours Accept-Language: cy when the URL does not name a language, and remembers a choice', async () => {
    const asked = await app.inject({ url: '/about', headers: { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.8' } });
    expect(asked.body).toContain('<html lang="cy"');
    expect((await app.inject({ url: '/about', headers: { 'accept-language': 'en-GB,en;q=0.9,cy;q=0.5' } })).body).toContain('<html lang="en"');
    expect((await app.inject({ url: '/about?lang=en', headers: { 'accept-language': 'cy' } })).body).toContain('<html lang="en"');
    const chosen = await app.inject('/about?lang=cy');
    const cookie = chosen.cookies.find((c) => c.name === 'roots_lang');
    expect(cookie).toMatchObject({ value: 'cy', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await app.inject({ url: '/privacy', cookies: { roots_lang: 'cy' } })).body).toContain('<html lang="cy"');
    expect(preferredLanguage('fr, cy;q=0.5, en;q=0.4')).toBe('cy');
    expect(preferredLanguage('*')).toBe('en');
  });

  it('serves the footer pages with their headings, in English and Welsh', async () => {
    for (const [path, heading, welsh] of [['/about', 'About Roots', 'Ynglŷn â Roots'], ['/accessibility', 'Enforcement procedure', 'Gweithdrefn orfodi'], ['/privacy', 'Privacy notice (draft)', 'Hysbysiad preifatrwydd (drafft)']] as const) {
      const english = await app.inject(path);
      expect(english.statusCode, path).toBe(200);
      expect(english.body).toContain(heading);
      expect((await app.inject(`${path}?lang=cy`)).body).toContain(welsh);
    }
  });
});
