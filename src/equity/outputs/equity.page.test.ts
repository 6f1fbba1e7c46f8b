import { describe, expect, it } from 'vitest';
import { REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { createViews } from '../../http/views.ts';
import { contentFor } from '../../web/content/index.ts';
import { auditFixture } from '../../../test/support/audit.fixture.ts';
import { renderEquityPage } from './equity.page.ts';
import { toHtmlReport } from './html.report.ts';

const views = createViews();

/** Renders the page as `reply.page` does: the layout's shared context, then the route's. */
function renderPage(context: Record<string, unknown>, language: 'en' | 'cy' = 'en'): string {
  return views.render('pages/equity.njk', { language, t: contentFor(language), cspNonce: 'test-nonce', currentPath: '/equity', ...context });
}

function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
}

describe('renderEquityPage', async () => {
  const audit = auditFixture();
  const context = await renderEquityPage(audit, 'en', { downloads: { csv: '/equity.csv', xlsx: '/equity.xlsx' } });
  const html = renderPage(context);

  it('builds the page context from the disclosed audit', () => {
    expect(context.pageTitle).toBe(`Equity audit: ${audit.service.name}`);
    const { equity } = context;
    expect(equity.findings.gaps).toEqual(audit.findings.filter((f) => f.kind === 'gap').map((f) => f.text));
    expect(equity.findings.data).toEqual(audit.findings.filter((f) => f.kind === 'data').map((f) => f.text));
    expect(equity.breakdowns.map((b) => b.heading)).toEqual(audit.dimensions.map((d) => d.label));
    expect(equity.charts.map((c) => c.kind)).toEqual(['gradient', 'extremes', 'funnel', 'waits', 'waits']);
    expect(equity.downloads.map((d) => d.href)).toEqual(['/equity.xlsx', '/equity.csv']);
  });

  it('shows every finding, chart, table and breakdown, each table with a caption', () => {
    for (const finding of audit.findings) expect(html).toContain(finding.text.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    expect(html.match(/<svg [^>]*class="app-chart__svg"[^>]*role="img"/g)).toHaveLength(5);
    const tables = html.match(/<table\b/g)!.length;
    expect(tables).toBe(5 + audit.dimensions.length);
    expect(html.match(/<caption class="nhsuk-table__caption[^"]*">[^<]+<\/caption>/g)).toHaveLength(tables);
    for (const chart of context.equity.charts) expect(html).toContain(`data-chart="${chart.id}"`);
  });

  it('puts the suppressed marker where counts are hidden', () => {
    const sex = context.equity.breakdowns.find((b) => b.id === 'breakdown-sex')!;
    const indeterminate = sex.table.rows.find((r) => r[0]!.text === 'Indeterminate')!;
    expect(indeterminate[1]).toEqual({ text: 'not shown', format: 'numeric', classes: 'app-suppressed' });
  });

  it('states the disclosure rule and the reference data attribution', () => {
    expect(html).toContain(audit.disclosure.description);
    for (const line of REFERENCE_ATTRIBUTION.split('\n')) expect(html).toContain(line.replace(/'/g, '&#39;'));
    expect(html).toContain('Open Government Licence v3.0');
  });

  it('keeps headings in order and nothing the content security policy would block', () => {
    const levels = headingLevels(html.slice(html.indexOf('<main')));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<style\b/);
    for (const [script] of html.matchAll(/<script\b[^>]*>/g)) expect(script).toContain('nonce="test-nonce"');
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('offers no download links unless the route gives them', async () => {
    const plain = await renderEquityPage(audit, 'en');
    expect(plain.equity.downloads).toEqual([]);
    expect(renderPage(plain)).not.toContain('id="downloads"');
    expect(html).toContain('href="/equity.xlsx"');
  });

  it('renders in Welsh, marking the English findings as English', async () => {
    const welsh = renderPage(await renderEquityPage(audit, 'cy'), 'cy');
    expect(welsh).toContain('<html lang="cy"');
    expect(welsh).toContain('Archwiliad tegwch');
    expect(welsh).toContain("Mae'r canfyddiadau wedi'u hysgrifennu yn Saesneg.".replace(/'/g, '&#39;'));
    expect(welsh).toMatch(/<ul class="app-findings" data-testid="findings-gaps" lang="en">/);
  });
});

describe('toHtmlReport', async () => {
  const audit = auditFixture();
  const report = await toHtmlReport(audit, views);

  it('is a standalone HTML document with its styles inlined and no scripts', () => {
    expect(report.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(report).toContain('<html lang="en">');
    expect(report).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(report).not.toMatch(/<script|<link\b/i);
    expect(report).not.toMatch(/\sstyle=/);
  });

  it('carries the charts, findings, tables, disclosure rule and attribution', () => {
    expect(report.match(/<svg [^>]*role="img"/g)).toHaveLength(5);
    for (const finding of audit.findings) expect(report).toContain(finding.text.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    expect(report.match(/<table\b/g)).toHaveLength(5 + audit.dimensions.length);
    expect(report).toContain(audit.disclosure.description);
    for (const line of REFERENCE_ATTRIBUTION.split('\n')) expect(report).toContain(line.replace(/'/g, '&#39;'));
    // The methods are open in the report, so they print.
    expect(report).toMatch(/<details class="nhsuk-details app-methods"\s*open>/);
    expect(report).toContain('Printable report produced 2 April 2025.');
  });

  it('refuses an audit that has not been through disclosure control', async () => {
    const raw = auditFixture();
    (raw.disclosure as { applied: boolean }).applied = false;
    await expect(toHtmlReport(raw, views)).rejects.toThrow('disclosure control');
  });
});
