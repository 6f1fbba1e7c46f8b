import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createViews } from '../../http/views.ts';
import { contentFor } from '../../web/content/index.ts';
import { toHtmlReport } from '../outputs/html.report.ts';
import { auditAggregates, disclosureRule, isSafeCount } from '../../../test/support/audit.arbitrary.ts';
import { discloseAudit } from './audit.disclosure.ts';
import type { DisclosureRule } from '../../disclosure/disclosure.ts';

/**
 * No output path carries an unsafe count: the printable HTML report, read back by its table cells
 * (each carries its column heading in a hidden span, the responsive table pattern) and its summary
 * list. Every referrals figure must be "not shown", "not applicable", 0, or a rounded number above
 * the suppression limit. (JSON, CSV and XLSX: audit.outputs.property.test.ts.)
 */

const withRule = fc.record({ aggregates: auditAggregates, rule: disclosureRule });

// --- HTML --------------------------------------------------------------------------------------

function unsafeHtmlCounts(html: string, rule: DisclosureRule): { unsafe: string[]; counted: number } {
  const t = contentFor('en').equity;
  const unsafe: string[] = [];
  let counted = 0;
  const check = (where: string, text: string) => {
    counted++;
    const value = text.trim();
    if (value === t.table.notShown || value === t.table.notApplicable) return;
    if (!/^\d{1,3}(,\d{3})*$/.test(value) || !isSafeCount(Number(value.replace(/,/g, '')), rule)) unsafe.push(`${where} = ${value}`);
  };
  // Table cells carry their column heading in a hidden span (the responsive table pattern).
  for (const [, heading, text] of html.matchAll(/<td class="nhsuk-table__cell[^"]*" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">([^<]*?) <\/span>([^<]*)<\/td>/g)) {
    if (heading === t.table.referrals) check(`table cell ${heading}`, text!);
  }
  for (const [, key, value] of html.matchAll(/<dt class="nhsuk-summary-list__key">\s*([^<]*?)\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*([^<]*?)\s*<\/dd>/g)) {
    if (key === t.summary.referrals) check(`summary ${key}`, value!);
  }
  return { unsafe, counted };
}

describe('no output path carries an unsafe count: HTML report', () => {
  const views = createViews();

  it('HTML report: every referrals cell and the summary', async () => {
    await fc.assert(
      fc.asyncProperty(withRule, async ({ aggregates, rule }) => {
        const html = await toHtmlReport(discloseAudit(aggregates, rule), views);
        const { unsafe, counted } = unsafeHtmlCounts(html, rule);
        // The summary and the total and every group of every breakdown table.
        expect(counted).toBeGreaterThanOrEqual(1 + aggregates.dimensions.reduce((n, d) => n + 1 + d.groups.length, 0));
        expect(unsafe).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('the reader finds unsafe counts when there are some (the check can fail)', async () => {
    const aggregates = fc.sample(auditAggregates, { numRuns: 1, seed: 7 })[0]!;
    const rule: DisclosureRule = { suppressUpTo: 7, roundTo: 5 };
    const audit = discloseAudit(aggregates, rule);
    audit.total.counts.referrals = 3;
    const { unsafe } = unsafeHtmlCounts(await toHtmlReport(audit, views), rule);
    expect(unsafe).toEqual(expect.arrayContaining(['summary Referrals = 3', 'table cell Referrals = 3']));
  });
});
