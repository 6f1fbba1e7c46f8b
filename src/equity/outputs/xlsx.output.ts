/**
 * The audit as an Excel workbook, laid out as the Government Statistical Service asks for
 * statistics in spreadsheets: a Summary sheet first (the service, period, findings and what the
 * symbols mean), one sheet per breakdown with one table starting in the first column and a title
 * in A1, and a Sources sheet with the disclosure rule, methods, licence and attribution. Figures
 * that are not shown are "[c]" (confidential: hidden by disclosure control or withheld because the
 * group is small) and figures that do not apply are "[x]", never blank cells.
 */
import type { DimensionKey, DisclosedAudit, DisclosedDimension, DisclosedGroup, Estimate } from '../audit/audit.model.ts';
import { OGL_V3, REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { fill, formatConfidence, formatDate } from '../findings/format.ts';
import { projectAudit } from './audit.projection.ts';
import { writeXlsx, type CellStyle, type XlsxCell, type XlsxSheet } from './xlsx.writer.ts';

const CONFIDENTIAL = '[c]';
const NOT_APPLICABLE = '[x]';

const sheetNames: Record<DimensionKey, string> = {
  imd_quintile: 'Deprivation quintile',
  imd_decile: 'Deprivation decile',
  local_quintile: 'Local deprivation quintile',
  age_band: 'Age',
  sex: 'Sex',
  ethnic_group: 'Ethnic group',
  ethnicity: 'Ethnic category',
  disability: 'Disability',
  inclusion_group: 'Inclusion health groups',
  interpreter: 'Interpreter',
  language: 'Language',
  pathway: 'Pathway',
  referral_source: 'Referral source',
  icb: 'Integrated care board',
  local_authority: 'Local authority',
};

const styled = (value: string | number | null, style: CellStyle): XlsxCell => ({ value, style });
const count = (value: number | null): XlsxCell => (value === null ? CONFIDENTIAL : styled(value, 'count'));

/** An estimate's value, lower and upper limit, or [c] (withheld) for all three. */
function estimateCells(estimate: Estimate | null, style: CellStyle): XlsxCell[] {
  if (estimate === null) return [CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL];
  return [
    styled(estimate.value, style),
    estimate.lower === null ? NOT_APPLICABLE : styled(estimate.lower, style),
    estimate.upper === null ? NOT_APPLICABLE : styled(estimate.upper, style),
  ];
}

function instrumentsOf(dimension: DisclosedDimension, total: DisclosedGroup): string[] {
  const names = new Set<string>(total.proms.map((p) => p.instrument));
  for (const g of dimension.groups) for (const p of g.proms) names.add(p.instrument);
  return [...names];
}

function dimensionSheet(audit: DisclosedAudit, dimension: DisclosedDimension, level: string): XlsxSheet {
  const withPopulation = dimension.groups.some((g) => g.population !== null);
  const instruments = instrumentsOf(dimension, audit.total);
  const ci = (name: string) => [name, `${name}: lower ${level} limit`, `${name}: upper ${level} limit`];
  const head = [
    'Group code',
    'Group',
    'Kind of group',
    'Referrals',
    'Referrals of catchment residents',
    ...(withPopulation
      ? ['Population', ...ci('Referrals per 1,000 residents'), ...ci('Age-standardised referrals per 1,000'), ...ci('Referred as a share of expected for age')]
      : []),
    ...ci('Median wait for a first contact, weeks'),
    '90th centile wait, weeks',
    ...ci('Share waiting over 18 weeks'),
    'Share waiting over 52 weeks',
    ...ci('Share of appointments missed'),
    ...instruments.flatMap((i) => [`${i}: people with scores before and after`, `${i}: people improved`, ...ci(`${i}: share improved`), ...ci(`${i}: mean change`)]),
  ];
  const row = (g: DisclosedGroup, kind: string): XlsxCell[] => [
    g.group,
    g.label,
    kind,
    count(g.counts.referrals),
    count(g.counts.referralsInCatchment),
    ...(withPopulation
      ? [
          g.population === null ? NOT_APPLICABLE : styled(g.population, 'count'),
          ...(g.population === null ? [NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE] : estimateCells(g.ratePer1000, 'oneDecimal')),
          ...(g.population === null ? [NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE] : estimateCells(g.standardisedRatePer1000, 'oneDecimal')),
          ...(g.population === null ? [NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE] : estimateCells(g.accessRatio, 'twoDecimals')),
        ]
      : []),
    ...estimateCells(g.waits.medianWeeks, 'oneDecimal'),
    g.waits.p90Weeks === null ? CONFIDENTIAL : styled(g.waits.p90Weeks.value, 'oneDecimal'),
    ...estimateCells(g.waits.over18Weeks, 'percent'),
    g.waits.over52Weeks === null ? CONFIDENTIAL : styled(g.waits.over52Weeks.value, 'percent'),
    ...estimateCells(g.didNotAttendRate, 'percent'),
    ...instruments.flatMap((name) => {
      const prom = g.proms.find((p) => p.instrument === name);
      if (!prom) return [CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL];
      return [count(prom.pairs), count(prom.improved), ...estimateCells(prom.improvedShare, 'percent'), ...estimateCells(prom.meanChange, 'oneDecimal')];
    }),
  ];
  const kindName = { category: 'group', unknown: 'not known or not stated', no_area: 'no area' } as const;
  const rows: XlsxCell[][] = [
    [styled(`${dimension.label}: referrals, waits, missed appointments and outcomes`, 'title')],
    [`${audit.service.name}, referrals received ${formatDate(audit.period.from)} to ${formatDate(audit.period.to)}. ${CONFIDENTIAL} = not shown to protect privacy; ${NOT_APPLICABLE} = not applicable.`],
    head.map((h) => styled(h, 'header')),
    row(audit.total, 'all referrals'),
    ...dimension.groups.map((g) => row(g, kindName[g.kind])),
    [],
    [styled('Not known or not stated', 'header')],
    ['Referrals', count(dimension.unknownReferrals)],
    ['Share of all referrals', dimension.unknownShare === null ? CONFIDENTIAL : styled(dimension.unknownShare, 'percent')],
  ];
  if (dimension.inequality) {
    rows.push([], [styled('Inequality summary', 'header'), styled('Value', 'header'), styled(`Lower ${level} limit`, 'header'), styled(`Upper ${level} limit`, 'header'), styled('Method', 'header')]);
    const summary: [string, Estimate | null, CellStyle][] = [
      ['Rate ratio, most to least deprived', dimension.inequality.rateRatio, 'twoDecimals'],
      ['Slope index of inequality, referrals per 1,000 (PHE)', dimension.inequality.sii, 'twoDecimals'],
      ['Relative index of inequality (PHE definition)', dimension.inequality.rii, 'twoDecimals'],
    ];
    for (const [name, estimate, style] of summary) rows.push([name, ...estimateCells(estimate, style), estimate?.method ?? CONFIDENTIAL]);
  }
  if (dimension.notes.length > 0) rows.push([], [styled('Notes', 'header')], ...dimension.notes.map((note) => [styled(note, 'text')]));
  return { name: sheetNames[dimension.dimension] ?? dimension.label, rows, freezeRows: 3, columns: [12, 30, 18, ...head.slice(3).map(() => 14)] };
}

/** The workbook as XLSX bytes. */
export function toXlsx(audit: DisclosedAudit, language: Language = 'en'): Buffer {
  const projected = projectAudit(audit);
  const t = contentFor(language).equity;
  const level = formatConfidence(projected.confidence);
  const tags = t.findings.tag;
  const summary: XlsxSheet = {
    name: 'Summary',
    columns: [34, 120],
    rows: [
      [styled(`${t.title}: ${projected.service.name}`, 'title')],
      [t.summary.service, projected.service.name],
      [t.summary.organisation, projected.service.organisationName],
      [t.summary.catchment, projected.service.catchment],
      [t.summary.period, fill(t.summary.periodValue, { from: formatDate(projected.period.from), to: formatDate(projected.period.to) })],
      [t.summary.asOf, formatDate(projected.period.asOf)],
      [t.summary.referrals, count(projected.total.counts.referrals)],
      [t.summary.confidence, level],
      [t.summary.generated, projected.generatedAt],
      [],
      [styled(t.findings.heading, 'header'), styled(t.findings.intro, 'wrap')],
      ...projected.findings.map((f) => [tags[f.kind], styled(f.text, 'wrap')]),
      [],
      [styled('Symbols', 'header')],
      [CONFIDENTIAL, 'Not shown to protect privacy: a count from 1 to 7, a count hidden so that a small one cannot be worked out, or a statistic of a group too small to show.'],
      [NOT_APPLICABLE, 'Not applicable: for example no population rate for people with no fixed address.'],
      [],
      [styled(t.about.notes, 'header')],
      ...projected.dimensions.flatMap((d) => d.notes.map((note) => [d.label, styled(note, 'wrap')])),
      [],
      [styled('Sheets', 'header')],
      ...projected.dimensions.map((d) => [sheetNames[d.dimension] ?? d.label, d.label]),
      ['Sources', 'Sources, methods, disclosure rule, licence and attribution'],
    ],
  };
  const sources: XlsxSheet = {
    name: 'Sources',
    columns: [34, 120],
    rows: [
      [styled('Sources, methods and licence', 'title')],
      [],
      [styled(t.about.disclosureHeading, 'header'), styled(projected.disclosure.description, 'wrap')],
      ['Suppressed counts', `1 to ${projected.disclosure.suppressUpTo}`],
      ['Counts rounded to the nearest', projected.disclosure.roundTo],
      [],
      [styled(t.about.methodsHeading, 'header'), styled(t.about.methods, 'wrap')],
      [],
      [styled('Sources', 'header')],
      ...projected.sources.map((source) => ['', styled(source, 'wrap')]),
      [],
      [styled('Licence', 'header'), `${OGL_V3.name}: ${OGL_V3.url}`],
      [styled('Attribution', 'header')],
      ...REFERENCE_ATTRIBUTION.split('\n').map((line) => ['', styled(line, 'wrap')]),
    ],
  };
  return writeXlsx([summary, ...projected.dimensions.map((d) => dimensionSheet(projected, d, level)), sources], {
    title: `${t.title}: ${projected.service.name}`,
    creator: 'Roots',
    modified: Number.isNaN(Date.parse(projected.generatedAt)) ? new Date('1980-01-01T00:00:00Z') : new Date(projected.generatedAt),
  });
}
