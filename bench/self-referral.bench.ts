import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.ts';
import { buildApp } from '../src/http/app.ts';
import { cookieNames } from '../src/http/plugins/sessions.ts';
import { createLogger } from '../src/logging/logger.ts';
import { draftTokenHash, startDraft } from '../src/referrals/self-referral.service.ts';
import { benchDir, databaseUrlFor, freshStore } from './datasets.ts';
import type { BenchResult } from './lib.ts';
import { journeyAnswers } from '../test/support/self-referral.ts';

const durationSeconds = Number(process.env.ROOTS_BENCH_LOAD_SECONDS ?? 10);
const connections = Number(process.env.ROOTS_BENCH_LOAD_CONNECTIONS ?? 10);
const drafts = Number(process.env.ROOTS_BENCH_REFER_DRAFTS ?? 3000);

/** Raw bytes of one response as sent over the wire (compressed if the server compressed it), and its headers. */
function transferred(url: string, cookie = ''): Promise<{ status: number; bytes: number; headerBytes: number; location: string | undefined; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { 'accept-encoding': 'br, gzip', cookie } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        const headerBytes = response.rawHeaders.reduce((n, part) => n + part.length + 2, 0);
        resolve({ status: response.statusCode ?? 0, bytes, headerBytes, location: response.headers.location, encoding: response.headers['content-encoding'] });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * The public self-referral (/refer) on PostgreSQL:
 * - the submit path under load: `drafts` complete drafts made beforehand (each its own cookie and
 *   submission token), then autocannon POSTs /refer/check, one new draft per request, for a fixed
 *   time with a fixed number of connections (127.0.0.1), each POST writing one referral through
 *   writeReferrals, self_referral and the audit trail; requests/s and p99;
 * - page weight of each public page without JavaScript: HTML + CSS (+ images and fonts: there
 *   are none; the NHS font is not loaded and the favicon is left out, a browser asks for it once),
 *   bytes transferred with compression, headers included.
 */
export async function selfReferralBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const name = 'roots_bench_self_referral';
  const store = await freshStore('postgresql', name);
  const config = loadConfig({
    DATABASE_URL: databaseUrlFor(name),
    ROOTS_DATA_DIR: join(benchDir, `${name}.data`),
    ROOTS_REFERENCE_DIR: 'none',
    LOG_LEVEL: 'silent',
    ROOTS_RATE_LIMIT_PER_MINUTE: '1000000',
    ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const organisation = await store.db.insertInto('organisation').values({ code: 'BENCH', name: 'Bench Trust' }).returning('id').executeTakeFirstOrThrow();
  const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'bench-ot', name: 'Bench OT', setting: 'primary_care', accepts_self_referral: true }).returning('id').executeTakeFirstOrThrow();
  const app = await buildApp({ store, config, logger: createLogger('silent') });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const referCookie = `${config.sessions.secureCookies ? '__Host-' : ''}roots_refer`;
    const csrfCookie = cookieNames(config.sessions).csrf;

    // Page weight: walk the journey (urgent path included) with a cookie jar, measuring each page.
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (response: Response) => {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
    };
    const css = (await Promise.all(['/assets/nhsuk-frontend.min.css', '/assets/app.css'].map((path) => transferred(`${base}${path}`)))).reduce((n, r) => n + r.bytes + r.headerBytes, 0);
    const weights: { page: string; html: number; total: number }[] = [];
    const weigh = async (path: string) => {
      const page = await transferred(`${base}${path}`, cookieHeader());
      if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
      weights.push({ page: path, html: page.bytes + page.headerBytes, total: page.bytes + page.headerBytes + css });
    };
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { cookie: cookieHeader() }, redirect: 'manual' });
      keep(response);
      return response.text();
    };
    const post = async (path: string, html: string, fields: Record<string, string | string[]>) => {
      const form = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! });
      for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(key, one);
      const response = await fetch(`${base}${path}`, { method: 'POST', body: form, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
      keep(response);
      await response.text();
      if (response.status !== 303) throw new Error(`POST ${path} answered ${response.status}`);
      return response.headers.get('location')!;
    };
    const start = await get('/refer');
    await weigh('/refer');
    await post('/refer/start', start, {});
    for (const [step, fields] of journeyAnswers({ urgent: true })) {
      const html = await get(`/refer/${step}`);
      await weigh(`/refer/${step}`);
      await post(`/refer/${step}`, html, fields);
    }
    const check = await get('/refer/check');
    await weigh('/refer/check');
    await post('/refer/check', check, { submission: /name="submission" value="([^"]+)"/.exec(check)![1]! });
    await weigh('/refer/confirmation');
    for (const weight of weights) {
      results.push({ suite: 'self-referral', case: `page weight ${weight.page}`, engine: 'postgresql', value: weight.total / 1024, unit: 'KB', note: `HTML ${(weight.html / 1024).toFixed(1)} KB + CSS ${(css / 1024).toFixed(1)} KB, compressed, headers included; no JavaScript, fonts or images` });
    }

    // The submit path under load: complete drafts made beforehand, one per request.
    const csrfPage = await fetch(`${base}/refer`);
    const csrfSecret = csrfPage.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${csrfCookie}=`))!;
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await csrfPage.text())![1]!;
    const answers = Object.fromEntries(journeyAnswers().map(([step, fields]) => [step, stepValue(step, fields)]));
    const ready: { cookie: string; body: string }[] = [];
    for (let i = 0; i < drafts; i++) {
      const { token } = await startDraft(store.db, service.id, new Date());
      const row = await store.db.updateTable('self_referral_draft').set({ answers: JSON.stringify(answers) }).where('token_hash', '=', draftTokenHash(token)).returning('submission_token').executeTakeFirstOrThrow();
      ready.push({ cookie: `${csrfSecret}; ${referCookie}=${token}`, body: new URLSearchParams({ _csrf: csrfToken, submission: row.submission_token }).toString() });
    }
    let next = 0;
    const before = await store.db.selectFrom('self_referral').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const load = await autocannon({
      url: `${base}/refer/check`,
      connections,
      duration: durationSeconds,
      amount: drafts,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const draft = ready[next++ % ready.length]!;
            return { ...request, headers: { ...request.headers, cookie: draft.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: draft.body };
          },
        },
      ],
    });
    const after = await store.db.selectFrom('self_referral').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const made = Number(after.n) - Number(before.n);
    const note = `${connections} connections, ${drafts} submits (autocannon stops at that amount, which outlasts ${durationSeconds} s here); ${made} referrals written; ${load['3xx'] ?? 0} redirects, ${load.non2xx - (load['3xx'] ?? 0)} other non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`;
    results.push({ suite: 'self-referral', case: 'POST /refer/check (submit) requests per second', engine: 'postgresql', value: load.requests.average, unit: 'req/s', note });
    results.push({ suite: 'self-referral', case: 'POST /refer/check (submit) p99 latency', engine: 'postgresql', value: load.latency.p99, unit: 'ms', note: `p50 ${load.latency.p50} ms, max ${load.latency.max} ms` });
  } finally {
    await app.close();
    await store.close();
  }
  for (const result of results) process.stderr.write(`${result.engine} ${result.case}: ${result.value.toFixed(1)} ${result.unit} (${result.note ?? ''})\n`);
  return results;
}

/** A step's stored answers as the journey keeps them (what each step's schema returns). */
function stepValue(step: string, fields: Record<string, string | string[]>): Record<string, unknown> {
  if (step === 'date-of-birth') return { dateOfBirth: '1984-03-15' };
  if (step === 'postcode') return { postcode: 'LS1 4AP', noFixedAddress: false };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
}
