import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DisclosedAudit } from '../audit/audit.model.ts';
import { REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { NotDisclosedError } from './audit.projection.ts';
import { CSV_COLUMNS, toCsv } from './csv.output.ts';
import { neutraliseFormula } from '../../reports/csv.ts';
import { auditFixture } from '../../../test/support/audit.fixture.ts';
import { toJson } from './json.output.ts';
import { toXlsx } from './xlsx.output.ts';
import { columnName, sheetName } from './xlsx.writer.ts';
import { parseCsv, readZip, unescapeXml } from '../../../test/support/file-readers.ts';

// ---------------------------------------------------------------------------------------------
// An XML check; the CSV and ZIP readers are in test/support/file-readers.ts.

/** Whether a document is well-formed XML: one root, every tag closed in order, entities known. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const match of body.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|&(?!amp;|lt;|gt;|quot;|apos;)/g)) {
    if (match[2] === undefined) return false; // a stray < or &
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  return stack.length === 0 && roots === 1;
}

/** A worksheet's cells as rows of strings and numbers, by cell reference. */
function readSheet(xml: string): Map<string, string | number> {
  const cells = new Map<string, string | number>();
  for (const [, ref, attributes, body] of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*)>(.*?)<\/c>/g)) {
    if (/t="inlineStr"/.test(attributes!)) cells.set(ref!, unescapeXml(/<t[^>]*>(.*?)<\/t>/.exec(body!)![1]!));
    else cells.set(ref!, Number(/<v>(.*?)<\/v>/.exec(body!)![1]));
  }
  return cells;
}

// ---------------------------------------------------------------------------------------------

const withSecret = (): DisclosedAudit => {
  const audit = auditFixture();
  // A property that is not part of the published shape, as a careless caller might leave behind.
  Object.assign(audit.dimensions[0]!.groups[0]!, { rawWaits: [{ days: 3, seen: 1, censored: 0 }] });
  Object.assign(audit.total.counts, { secretCount: 3 });
  return audit;
};

describe('outputs accept only disclosed audits', () => {
  it('refuse an audit whose disclosure control was not applied', () => {
    const audit = auditFixture();
    (audit.disclosure as { applied: boolean }).applied = false;
    expect(() => toJson(audit)).toThrow(NotDisclosedError);
    expect(() => toCsv(audit)).toThrow(NotDisclosedError);
    expect(() => toXlsx(audit)).toThrow(NotDisclosedError);
  });
});

describe('toJson', () => {
  const text = toJson(withSecret());
  const json = JSON.parse(text) as Record<string, unknown> & DisclosedAudit;

  it('names its format and carries the licence and attribution', () => {
    expect(json.format).toBe('roots-equity-audit');
    expect(json.version).toBe(1);
    expect(json.attribution).toEqual(REFERENCE_ATTRIBUTION.split('\n'));
    expect((json.licence as { name: string }).name).toBe('Open Government Licence v3.0');
  });
  it('holds the disclosed figures and the findings, and nothing outside the published shape', () => {
    const fixture = auditFixture();
    expect(json.total.counts.referrals).toBe(fixture.total.counts.referrals);
    expect(json.dimensions.map((d) => d.dimension)).toEqual(fixture.dimensions.map((d) => d.dimension));
    expect(json.findings.map((f) => f.text)).toEqual(fixture.findings.map((f) => f.text));
    expect(text).not.toContain('rawWaits');
    expect(text).not.toContain('secretCount');
  });
  it('works out findings when the audit arrives without them', () => {
    const audit = auditFixture();
    audit.findings = [];
    expect(JSON.parse(toJson(audit)).findings).toHaveLength(auditFixture().findings.length);
  });
});

describe('toCsv', () => {
  const audit = auditFixture();
  const text = toCsv(audit);
  const [head, ...rows] = parseCsv(text);

  it('is one tidy table with the documented columns', () => {
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(head).toEqual([...CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const rate = rows.find((r) => r[column('dimension')] === 'imd_quintile' && r[column('group')] === '1' && r[column('metric')] === 'rate_per_1000')!;
    const group = audit.dimensions[0]!.groups[0]!;
    expect(Number(rate[column('value')])).toBeCloseTo(group.ratePer1000!.value, 8);
    expect(Number(rate[column('lower')])).toBeCloseTo(group.ratePer1000!.lower!, 8);
    expect(rate[column('method')]).toBe(group.ratePer1000!.method);
    expect(rate[column('shown')]).toBe('yes');
  });
  it('leaves suppressed counts blank and marks them', () => {
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const indeterminate = rows.find((r) => r[column('dimension')] === 'sex' && r[column('group')] === '9' && r[column('metric')] === 'referrals')!;
    expect(indeterminate[column('value')]).toBe('');
    expect(indeterminate[column('shown')]).toBe('suppressed');
    const withheld = rows.find((r) => r[column('dimension')] === 'ethnic_group' && r[column('group')] === 'other' && r[column('metric')] === 'wait_median_weeks')!;
    expect(withheld[column('value')]).toBe('');
    expect(withheld[column('shown')]).toBe('withheld');
    // Every figure of the total is present once.
    expect(rows.filter((r) => r[column('dimension')] === 'total' && r[column('metric')] === 'referrals')).toHaveLength(1);
  });
  it('carries the attribution and disclosure rule', () => {
    for (const line of REFERENCE_ATTRIBUTION.split('\n')) expect(text).toContain(line);
    expect(text).toContain(audit.disclosure.description);
  });
  it('cannot inject formulas, but keeps negative numbers numeric', () => {
    const hostile = auditFixture();
    hostile.dimensions[0]!.groups[1]!.label = '=HYPERLINK("http://example.com","x")';
    hostile.dimensions[0]!.groups[2]!.label = '+1+1';
    hostile.dimensions[0]!.groups[3]!.label = '-2+3';
    hostile.dimensions[0]!.groups[4]!.label = '@SUM(A1)';
    hostile.dimensions[0]!.inequality!.sii = { value: -4.14, lower: -5, upper: -3.2, method: 'test' };
    const csv = parseCsv(toCsv(hostile));
    const labels = csv.map((r) => r[3]!);
    expect(labels).toContain('\'=HYPERLINK("http://example.com","x")');
    expect(labels).toContain("'+1+1");
    expect(labels).toContain("'-2+3");
    expect(labels).toContain("'@SUM(A1)");
    for (const row of csv) for (const cell of row) if (/^[=+@]/.test(cell)) throw new Error(`formula-like cell ${cell}`);
    const sii = csv.find((r) => r[5] === 'sii_rate_per_1000' && r[0] === 'imd_quintile')!;
    expect(sii.slice(6, 9)).toEqual(['-4.14', '-5', '-3.2']);
    expect(neutraliseFormula('\tcmd')).toBe("'\tcmd");
    expect(neutraliseFormula('plain')).toBe('plain');
  });
});

describe('toXlsx', () => {
  const audit = auditFixture();
  const files = readZip(toXlsx(withSecret()));

  it('is a valid Office Open XML package of well-formed parts', () => {
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'docProps/core.xml', 'docProps/app.xml']) {
      expect(files.has(part), part).toBe(true);
    }
    for (const [name, data] of files) expect(wellFormed(data.toString('utf8')), name).toBe(true);
    const types = files.get('[Content_Types].xml')!.toString('utf8');
    const rels = files.get('xl/_rels/workbook.xml.rels')!.toString('utf8');
    for (const name of files.keys()) {
      if (!name.startsWith('xl/worksheets/')) continue;
      expect(types).toContain(`PartName="/${name}"`);
      expect(rels).toContain(`Target="${name.slice(3)}"`);
    }
  });

  it('has a Summary sheet, one sheet per breakdown and a Sources sheet', () => {
    const workbook = files.get('xl/workbook.xml')!.toString('utf8');
    const names = [...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => unescapeXml(m[1]!));
    expect(names).toEqual(['Summary', 'Deprivation quintile', 'Deprivation decile', 'Age', 'Sex', 'Ethnic group', 'Disability', 'Interpreter', 'Local authority', 'Sources']);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(31);
  });

  it('puts the findings on the Summary sheet and the figures, with [c] for hidden ones, on each breakdown', () => {
    const summary = readSheet(files.get('xl/worksheets/sheet1.xml')!.toString('utf8'));
    const texts = [...summary.values()].filter((v): v is string => typeof v === 'string');
    for (const finding of audit.findings) expect(texts).toContain(finding.text);
    expect(summary.get('A1')).toBe(`Equity audit: ${audit.service.name}`);
    for (const note of audit.dimensions.flatMap((d) => d.notes)) expect(texts).toContain(note);

    const quintile = readSheet(files.get('xl/worksheets/sheet2.xml')!.toString('utf8'));
    expect(quintile.get('C3')).toBe('Kind of group');
    expect(quintile.get('B4')).toBe('All referrals');
    expect(quintile.get('D4')).toBe(audit.total.counts.referrals);
    const most = audit.dimensions[0]!.groups[0]!;
    expect(quintile.get('B5')).toBe(most.label);
    expect(quintile.get('D5')).toBe(most.counts.referrals);
    expect(quintile.get('G5')).toBeCloseTo(most.ratePer1000!.value, 10);
    expect(quintile.get('H5')).toBeCloseTo(most.ratePer1000!.lower!, 10);

    const sex = readSheet(files.get('xl/worksheets/sheet5.xml')!.toString('utf8'));
    const indeterminateRow = [...sex.entries()].find(([, v]) => v === 'Indeterminate')![0].replace(/^[A-Z]+/, '');
    expect(sex.get(`D${indeterminateRow}`)).toBe('[c]');
  });

  it('carries the disclosure rule, licence and attribution on the Sources sheet, and no extra fields', () => {
    const sources = [...readSheet(files.get('xl/worksheets/sheet10.xml')!.toString('utf8')).values()].map(String);
    expect(sources).toContain(audit.disclosure.description);
    for (const line of REFERENCE_ATTRIBUTION.split('\n')) expect(sources).toContain(line);
    for (const data of files.values()) expect(data.toString('utf8')).not.toMatch(/rawWaits|secretCount/);
  });

  it('opens with unzip -t where unzip is installed', () => {
    if (!existsSync('/usr/bin/unzip')) return;
    const dir = mkdtempSync(join(tmpdir(), 'roots-xlsx-'));
    try {
      const path = join(dir, 'audit.xlsx');
      writeFileSync(path, toXlsx(audit));
      expect(execFileSync('/usr/bin/unzip', ['-t', path]).toString()).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names columns and sheets as Excel requires', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    const taken = new Set<string>();
    expect(sheetName('A/very [long] name that goes beyond thirty-one characters', taken)).toBe('A very  long  name that goes be');
    expect(sheetName('Age', taken)).toBe('Age');
    expect(sheetName('age', taken)).toBe('age 2');
  });

  it('is the same bytes for the same audit', () => {
    expect(toXlsx(audit).equals(toXlsx(auditFixture()))).toBe(true);
  });
});
