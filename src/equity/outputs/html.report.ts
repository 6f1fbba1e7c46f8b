/**
 * The printable equity audit report: one standalone HTML file with the charts (inline SVG),
 * findings, tables, disclosure rule, sources and attribution, readable offline and printable on
 * A4. It is a download, not a page served under the app's content security policy, so its
 * stylesheet (report.css) is inlined in a <style> element; it holds no scripts.
 *
 * `views` is the app's Nunjucks environment (src/http/views.ts createViews()), passed in so the
 * report renders the same partial as the /equity page.
 */
import { readFileSync } from 'node:fs';
import type nunjucks from 'nunjucks';
import type { DisclosedAudit } from '../audit/audit.model.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { fill, formatDate } from '../findings/format.ts';
import { equityContent, type EquityPageOptions } from './equity.page.ts';

const reportCss = readFileSync(new URL('./report.css', import.meta.url), 'utf8');

export interface ReportOptions extends Omit<EquityPageOptions, 'downloads'> {
  language?: Language;
}

export async function toHtmlReport(audit: DisclosedAudit, views: nunjucks.Environment, options: ReportOptions = {}): Promise<string> {
  const language = options.language ?? 'en';
  const t = contentFor(language);
  const equity = await equityContent(audit, language, { ...options, downloads: {} });
  return views.render('pages/equity-report.njk', {
    language,
    t,
    reportCss,
    reportMode: true,
    pageTitle: `${t.equity.report.title}: ${equity.serviceName}`,
    printed: fill(t.equity.report.printed, { generated: formatDate(audit.generatedAt) }),
    equity,
  });
}
