/**
 * Everything the equity audit page and the printable report show, worked out from a disclosed
 * audit: the summary, findings, charts with their tables, a table per breakdown, the disclosure
 * rule, methods, sources and attribution. The templates only lay it out
 * (src/web/templates/partials/equity-audit.njk), so the page and the report cannot disagree.
 *
 * The lead wires the route:
 *   reply.page('pages/equity.njk', await renderEquityPage(audit, request.language, { downloads }))
 */
import type { DisclosedAudit, DisclosedDimension, DisclosedGroup, Estimate } from '../audit/audit.model.ts';
import { OGL_V3, REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { contentFor, type Content, type Language } from '../../web/content/index.ts';
import { fill, formatConfidence, formatCount, formatDate, formatPercent, formatRate, formatRatio, formatWeeks } from '../findings/format.ts';
import { projectAudit } from './audit.projection.ts';
import { chartViews, type ChartOptions, type ChartView, type DataTable, type TableCell } from './charts.ts';

export interface DownloadLinks {
  json?: string;
  csv?: string;
  xlsx?: string;
  html?: string;
}

export interface EquityPageOptions extends ChartOptions {
  /** Links to the downloads (the route decides the addresses); none are shown when absent. */
  downloads?: DownloadLinks;
  /** The fixed periods a reader may choose (public pages show no other); none shown when absent. */
  periods?: { href: string; text: string; current: boolean }[];
}

type EquityText = Content['equity'];

export interface Breakdown {
  id: string;
  heading: string;
  table: DataTable;
  unknown: string;
  inequality: { key: { text: string }; value: { text: string } }[];
  notes: string[];
  /** How many of the first notes are in the page's language (the rest come from the engine, in English). */
  translatedNotes: number;
}

export interface EquityContent {
  language: Language;
  serviceName: string;
  organisationName: string;
  lead: string;
  summaryRows: { key: { text: string }; value: { text: string } | { html: string } }[];
  findings: { gaps: string[]; noGaps: string[]; data: string[]; english: boolean };
  charts: ChartView[];
  breakdowns: Breakdown[];
  about: { disclosure: string; sources: string[]; attribution: string[]; licence: { name: string; url: string } };
  downloads: { href: string; text: string }[];
  periods: { href: string; text: string; current: boolean }[];
}

const suppressedCell = (t: EquityText): TableCell => ({ text: t.table.notShown, format: 'numeric', classes: 'app-suppressed' });

function withInterval(estimate: Estimate | null, format: (x: number) => string, t: EquityText): TableCell {
  if (!estimate) return suppressedCell(t);
  const interval = estimate.lower !== null && estimate.upper !== null ? ` (${format(estimate.lower)} to ${format(estimate.upper)})` : '';
  return { text: `${format(estimate.value)}${interval}`, format: 'numeric' };
}

const anchor = (key: string) => `breakdown-${key.replace(/_/g, '-')}`;

function breakdownOf(audit: DisclosedAudit, dimension: DisclosedDimension, t: EquityText): Breakdown {
  const level = formatConfidence(audit.confidence);
  const withPopulation = dimension.groups.some((g) => g.population !== null);
  const instruments = audit.total.proms.map((p) => p.instrument);
  const ci = (name: string) => `${name} (${fill(t.table.interval, { level })})`;
  const head: TableCell[] = [
    { text: t.table.group },
    { text: t.table.referrals, format: 'numeric' },
    ...(withPopulation ? [{ text: ci(t.table.rate), format: 'numeric' as const }] : []),
    { text: ci(t.table.medianWait), format: 'numeric' },
    { text: t.table.over18, format: 'numeric' },
    { text: t.table.didNotAttend, format: 'numeric' },
    ...instruments.map((instrument) => ({ text: fill(t.table.improved, { instrument }), format: 'numeric' as const })),
  ];
  const row = (g: DisclosedGroup): TableCell[] => [
    { text: g.label, lang: 'en' },
    g.counts.referrals === null ? suppressedCell(t) : { text: formatCount(g.counts.referrals), format: 'numeric' },
    ...(withPopulation
      ? [g.population === null ? { text: t.table.notApplicable, format: 'numeric' as const } : withInterval(g.ratePer1000, formatRate, t)]
      : []),
    withInterval(g.waits.medianWeeks, formatWeeks, t),
    g.waits.over18Weeks ? { text: formatPercent(g.waits.over18Weeks.value), format: 'numeric' } : suppressedCell(t),
    g.didNotAttendRate ? { text: formatPercent(g.didNotAttendRate.value), format: 'numeric' } : suppressedCell(t),
    ...instruments.map((instrument): TableCell => {
      const share = g.proms.find((p) => p.instrument === instrument)?.improvedShare ?? null;
      return share ? { text: formatPercent(share.value), format: 'numeric' } : suppressedCell(t);
    }),
  ];
  const part = dimension.dimension === 'imd_decile' ? t.charts.decile : t.charts.quintile;
  const inequality = dimension.inequality
    ? [
        { name: t.breakdowns.rateRatio, estimate: dimension.inequality.rateRatio },
        { name: t.breakdowns.sii, estimate: dimension.inequality.sii },
        { name: t.breakdowns.rii, estimate: dimension.inequality.rii },
      ]
        .filter((entry) => entry.estimate !== null)
        .map(({ name, estimate }) => ({
          key: { text: name },
          value: { text: `${formatRatio(estimate!.value)}${estimate!.lower !== null && estimate!.upper !== null ? ` (${fill(t.table.interval, { level })} ${formatRatio(estimate!.lower)} to ${formatRatio(estimate!.upper)})` : ''}` },
        }))
    : [];
  return {
    id: anchor(dimension.dimension),
    heading: dimension.label,
    table: { caption: fill(t.breakdowns.caption, { dimension: dimension.label }), head, rows: [row(audit.total), ...dimension.groups.map(row)] },
    unknown: dimension.unknownShare === null ? t.breakdowns.unknownSuppressed : fill(t.breakdowns.unknown, { share: formatPercent(dimension.unknownShare) }),
    inequality,
    notes: dimension.ordered ? [fill(t.breakdowns.inequality, { part }), ...dimension.notes] : dimension.notes,
    translatedNotes: dimension.ordered ? 1 : 0,
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's and report's content from a disclosed audit. */
export async function equityContent(audit: DisclosedAudit, language: Language = 'en', options: EquityPageOptions = {}): Promise<EquityContent> {
  const projected = projectAudit(audit);
  const t = contentFor(language).equity;
  const from = formatDate(projected.period.from, language);
  const to = formatDate(projected.period.to, language);
  const summary: [string, string][] = [
    [t.summary.service, projected.service.name],
    [t.summary.organisation, projected.service.organisationName],
    [t.summary.catchment, projected.service.catchment],
    [t.summary.period, fill(t.summary.periodValue, { from, to })],
    [t.summary.asOf, formatDate(projected.period.asOf, language)],
    [t.summary.referrals, projected.total.counts.referrals === null ? t.table.notShown : formatCount(projected.total.counts.referrals)],
    [t.summary.rate, projected.total.ratePer1000 ? formatRate(projected.total.ratePer1000.value) : t.table.notShown],
    [t.summary.confidence, formatConfidence(projected.confidence)],
    [t.summary.generated, formatDate(projected.generatedAt, language)],
  ];
  const downloads = options.downloads ?? {};
  return {
    language,
    serviceName: projected.service.name,
    organisationName: projected.service.organisationName,
    lead: fill(t.lead, { service: projected.service.name, from, to }),
    // The catchment's description is English: marked so on Welsh pages.
    summaryRows: summary.map(([key, value]) => ({
      key: { text: key },
      value: key === t.summary.catchment && language !== 'en' ? { html: `<span lang="en">${escapeHtml(value)}</span>` } : { text: value },
    })),
    findings: {
      gaps: projected.findings.filter((f) => f.kind === 'gap').map((f) => f.text),
      noGaps: projected.findings.filter((f) => f.kind === 'no-gap').map((f) => f.text),
      data: projected.findings.filter((f) => f.kind === 'data').map((f) => f.text),
      english: language !== 'en',
    },
    charts: await chartViews(projected, language, options),
    breakdowns: projected.dimensions.map((d) => breakdownOf(projected, d, t)),
    about: {
      disclosure: projected.disclosure.description,
      sources: projected.sources,
      attribution: REFERENCE_ATTRIBUTION.split('\n'),
      licence: { name: OGL_V3.name, url: OGL_V3.url },
    },
    downloads: (['html', 'xlsx', 'csv', 'json'] as const)
      .filter((key) => typeof downloads[key] === 'string')
      .map((key) => ({ href: downloads[key]!, text: t.downloads[key] })),
    periods: options.periods ?? [],
  };
}

/** The context for `pages/equity.njk` (rendered with the layout by `reply.page`). */
export async function renderEquityPage(audit: DisclosedAudit, language: Language = 'en', options: EquityPageOptions = {}) {
  const equity = await equityContent(audit, language, options);
  return { pageTitle: `${contentFor(language).equity.title}: ${equity.serviceName}`, equity };
}
