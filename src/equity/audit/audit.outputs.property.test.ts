import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv, CSV_COLUMNS } from '../outputs/csv.output.ts';
import { toJson } from '../outputs/json.output.ts';
import { toXlsx } from '../outputs/xlsx.output.ts';
import { parseCsv, readZip, unescapeXml } from '../../../test/support/file-readers.ts';
import { auditAggregates, disclosureRule, isSafeCount } from '../../../test/support/audit.arbitrary.ts';
import { discloseAudit } from './audit.disclosure.ts';
import type { DisclosureRule } from '../../disclosure/disclosure.ts';

/**
 * No output path carries an unsafe count: every published file format (JSON, CSV, XLSX; the HTML
 * report is in audit.report.property.test.ts) is read back the way a reader would read it, and every count in it must be hidden, 0,
 * or a rounded number above the suppression limit. Counts are found by what the formats call them
 * (CSV metric names, XLSX column headers and the count cell style), and a
 * CSV metric that is neither a known count nor a known statistic fails the test, so a new count
 * cannot slip through unchecked.
 */

const withRule = fc.record({ aggregates: auditAggregates, rule: disclosureRule });

// --- CSV ---------------------------------------------------------------------------------------

const COUNT_METRIC =
  /^(referrals|referrals_in_catchment|triaged|priority_P[1-4]|triage_[a-z_]+|episodes|seen|still_waiting|contacts_attended|contacts_did_not_attend|discharged|discharge_[a-z_]+|[a-z_]+_pairs|[a-z_]+_improved|unknown_referrals|access_observed)$/;
const STATISTIC_METRIC =
  /^(population|rate_per_1000|standardised_rate_per_1000|access_ratio|access_expected|did_not_attend_rate|wait_[a-z0-9_]+|[a-z_]+_improved_share|[a-z_]+_mean_change|unknown_share|rate_ratio_[a-z_]+|sii_[a-z0-9_]+|rii_[a-z_]+)$/;

function unsafeCsvCounts(csv: string, rule: DisclosureRule): { unsafe: string[]; counted: number } {
  const [head, ...rows] = parseCsv(csv);
  expect(head).toEqual([...CSV_COLUMNS]);
  const at = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const unsafe: string[] = [];
  let counted = 0;
  for (const row of rows) {
    if (row[at('dimension')] === 'about') continue;
    const metric = row[at('metric')]!;
    const where = `${row[at('dimension')]}/${row[at('group')]}/${metric}`;
    if (COUNT_METRIC.test(metric)) {
      counted++;
      const value = row[at('value')]!;
      if (value === '') {
        if (row[at('shown')] !== 'suppressed') unsafe.push(`${where}: blank but not marked suppressed`);
      } else if (!isSafeCount(Number(value), rule)) unsafe.push(`${where} = ${value}`);
    } else if (!STATISTIC_METRIC.test(metric)) {
      unsafe.push(`${where}: a metric this test does not know; say whether it is a count`);
    }
  }
  return { unsafe, counted };
}

// --- XLSX --------------------------------------------------------------------------------------

interface SheetCell {
  column: string;
  row: number;
  style: string | null;
  value: string | number;
}

function readSheet(xml: string): SheetCell[] {
  const cells: SheetCell[] = [];
  for (const [, column, row, attributes, body] of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*)>(.*?)<\/c>/g)) {
    const style = /s="(\d+)"/.exec(attributes!)?.[1] ?? null;
    const value = /t="inlineStr"/.test(attributes!) ? unescapeXml(/<t[^>]*>(.*?)<\/t>/.exec(body!)![1]!) : Number(/<v>(.*?)<\/v>/.exec(body!)![1]);
    cells.push({ column: column!, row: Number(row), style, value });
  }
  return cells;
}

/** The count cell style of xlsx.writer.ts (styleIndex.count). */
const COUNT_STYLE = '4';
const COUNT_HEADER = /^(Referrals|Referrals of catchment residents|.+: people with scores before and after|.+: people improved)$/;

function unsafeXlsxCounts(xlsx: Buffer, rule: DisclosureRule): { unsafe: string[]; counted: number } {
  const unsafe: string[] = [];
  let counted = 0;
  for (const [name, data] of readZip(xlsx)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    const cells = readSheet(data.toString('utf8'));
    // A breakdown sheet's table: headers in the row whose first cell is "Group code", rows below it
    // until the first empty row.
    const headerRow = cells.find((c) => c.column === 'A' && c.value === 'Group code')?.row ?? null;
    const rowsWithCells = new Set(cells.map((c) => c.row));
    let tableEnd = headerRow ?? 0;
    if (headerRow !== null) while (rowsWithCells.has(tableEnd + 1)) tableEnd++;
    const header = new Map(cells.filter((c) => c.row === headerRow).map((c) => [c.column, String(c.value)]));
    for (const cell of cells) {
      const inTable = headerRow !== null && cell.row > headerRow && cell.row <= tableEnd;
      const heading = inTable ? header.get(cell.column) ?? '' : '';
      const countColumn = inTable && COUNT_HEADER.test(heading);
      const countStyled = cell.style === COUNT_STYLE && !(inTable && heading === 'Population');
      if (!countColumn && !countStyled) continue;
      counted++;
      const where = `${name} ${cell.column}${cell.row} (${heading || 'count'})`;
      if (typeof cell.value === 'string') {
        if (cell.value !== '[c]') unsafe.push(`${where} = ${cell.value}`);
      } else if (!isSafeCount(cell.value, rule)) unsafe.push(`${where} = ${cell.value}`);
    }
  }
  return { unsafe, counted };
}

// --- JSON --------------------------------------------------------------------------------------

const JSON_COUNT_KEYS = new Set([
  'referrals', 'referralsInCatchment', 'triaged', 'P1', 'P2', 'P3', 'P4', 'accept', 'advice_discharge', 'redirect', 'return_to_referrer',
  'episodes', 'seen', 'stillWaiting', 'contactsAttended', 'contactsDidNotAttend', 'discharged', 'gp_appointment_avoided', 'cmh_referral_avoided',
  'self_management_plan', 'returned_to_work', 'stayed_in_work', 'stayed_in_education', 'admission_avoided', 'pairs', 'improved', 'unknownReferrals', 'observed',
]);

/** Every count-valued field anywhere in the parsed document. */
function unsafeJsonCounts(text: string, rule: DisclosureRule): { unsafe: string[]; counted: number } {
  const unsafe: string[] = [];
  let counted = 0;
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (JSON_COUNT_KEYS.has(key) && (value === null || typeof value === 'number')) {
          counted++;
          if (value !== null && !isSafeCount(value, rule)) unsafe.push(`${path}.${key} = ${value}`);
        } else walk(value, `${path}.${key}`);
      }
    }
  };
  walk(JSON.parse(text), '$');
  return { unsafe, counted };
}

describe('no output path carries an unsafe count', () => {
  it('JSON: every count-valued field of toJson', () => {
    fc.assert(
      fc.property(withRule, ({ aggregates, rule }) => {
        const { unsafe, counted } = unsafeJsonCounts(toJson(discloseAudit(aggregates, rule)), rule);
        expect(counted).toBeGreaterThanOrEqual(24 * (1 + aggregates.dimensions.reduce((n, d) => n + d.groups.length, 0)));
        expect(unsafe).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('CSV: every count row of toCsv', () => {
    fc.assert(
      fc.property(withRule, ({ aggregates, rule }) => {
        const { unsafe, counted } = unsafeCsvCounts(toCsv(discloseAudit(aggregates, rule)), rule);
        expect(counted).toBeGreaterThanOrEqual(24 * (1 + aggregates.dimensions.reduce((n, d) => n + d.groups.length, 0)));
        expect(unsafe).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('XLSX: every count column and count-styled cell of toXlsx', () => {
    fc.assert(
      fc.property(withRule, ({ aggregates, rule }) => {
        const { unsafe, counted } = unsafeXlsxCounts(toXlsx(discloseAudit(aggregates, rule)), rule);
        // At least referrals and referrals of catchment residents for the total and every group, on every sheet.
        expect(counted).toBeGreaterThanOrEqual(aggregates.dimensions.reduce((n, d) => n + 2 * (1 + d.groups.length), 0));
        expect(unsafe).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('the readers find unsafe counts when there are some (the checks can fail)', () => {
    const aggregates = fc.sample(auditAggregates, { numRuns: 1, seed: 7 })[0]!;
    const rule: DisclosureRule = { suppressUpTo: 7, roundTo: 5 };
    const audit = discloseAudit(aggregates, rule);
    audit.total.counts.referrals = 3;
    audit.dimensions[0]!.groups[0]!.counts.referralsInCatchment = 12;
    expect(unsafeCsvCounts(toCsv(audit), rule).unsafe).toEqual(expect.arrayContaining(['total/total/referrals = 3', `${audit.dimensions[0]!.dimension}/${audit.dimensions[0]!.groups[0]!.group}/referrals_in_catchment = 12`]));
    const xlsx = unsafeXlsxCounts(toXlsx(audit), rule).unsafe;
    expect(xlsx.some((u) => u.endsWith('(Referrals) = 3'))).toBe(true);
    expect(xlsx.some((u) => u.endsWith('(Referrals of catchment residents) = 12'))).toBe(true);
    expect(unsafeJsonCounts(toJson(audit), rule).unsafe).toEqual(expect.arrayContaining(['$.total.counts.referrals = 3']));
  });
});
