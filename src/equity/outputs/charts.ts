/**
 * The equity audit's charts: Vega-Lite specifications compiled and rendered to SVG on the server,
 * so the browser needs no JavaScript. Four designs (PRODUCT.md §2.4):
 *
 * - deprivation gradient: referrals per 1,000 by deprivation decile (or quintile), points with
 *   confidence intervals and the rate across all areas as a dashed line;
 * - most versus least deprived: the two rates with their intervals, the rate ratio in the text;
 * - funnel plot: each area's rate against its population, with exact Poisson 95% (dashed) and
 *   99.8% (solid) control limits around the rate across all areas (../findings/funnel.ts);
 * - waits by group: median weeks to a first contact with intervals, the overall median dashed.
 *
 * Accessibility: every SVG has role="img", a <title> and a <desc> that summarises what it shows,
 * text and marks in colours with at least 4.5:1 (text) and 3:1 (marks) contrast on white, and no
 * meaning carried by colour alone (shapes, dash patterns, direct labels); every chart comes with
 * a table of the same figures. The SVG scales to its container (viewBox, width 100%) so pages
 * reflow at 320 px. Vega's inline style attributes are rewritten as presentation attributes so
 * that nothing is blocked by the content security policy (style-src 'self').
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { DimensionKey, DisclosedAudit, DisclosedDimension, DisclosedGroup, Estimate } from '../audit/audit.model.ts';
import { contentFor, type Content, type Language } from '../../web/content/index.ts';
import { fill, formatConfidence, formatCount, formatRate, formatRatio, formatWeeks, formatPercent, listOf } from '../findings/format.ts';
import { funnelLines, funnelPosition, type FunnelPosition } from '../findings/funnel.ts';

/** A table cell in the shape the NHS design system's table macro takes. */
export interface TableCell {
  text: string;
  format?: 'numeric';
  classes?: string;
  /** The cell's language when it differs from the page's (group and area names are English). */
  lang?: string;
}

export interface DataTable {
  caption: string;
  head: TableCell[];
  rows: TableCell[][];
}

export type ChartKind = 'gradient' | 'extremes' | 'funnel' | 'waits';

export interface ChartView {
  id: string;
  kind: ChartKind;
  title: string;
  /** What the chart shows, in words: the SVG's <desc> and the figure's caption. */
  description: string;
  svg: string;
  table: DataTable;
}

export interface ChartOptions {
  /** Dimensions with a waits chart, in order (default: ethnic group, then deprivation quintile). */
  waitsBy?: readonly DimensionKey[];
}

type EquityText = Content['equity'];

// NHS identity colours, all with at least 4.5:1 contrast on white.
const colour = { blue: '#005eb8', text: '#212b32', secondary: '#4c6272', red: '#d5281b', grid: '#d8dde0' } as const;
// Narrow enough that text stays legible when the SVG scales down to a 320 px screen.
const chartWidth = 480;

const baseConfig = {
  aria: false,
  background: '#ffffff',
  font: 'Arial, Helvetica, sans-serif',
  view: { stroke: null },
  axis: {
    labelFontSize: 14,
    titleFontSize: 14,
    labelColor: colour.text,
    titleColor: colour.text,
    titleFontWeight: 'bold' as const,
    domainColor: colour.secondary,
    tickColor: colour.secondary,
    gridColor: colour.grid,
    // Vega estimates text widths on the server (no canvas) generously, so limits are wide.
    labelLimit: 400,
  },
  legend: {
    labelFontSize: 14,
    titleFontSize: 14,
    labelColor: colour.text,
    titleColor: colour.text,
    orient: 'bottom' as const,
    direction: 'vertical' as const,
    labelLimit: 400,
    titleLimit: 400,
    symbolSize: 160,
  },
  text: { fontSize: 14, color: colour.text },
};

// ---------------------------------------------------------------------------------------------
// SVG rendering and clean-up

/** SVG presentation attributes that an inline style declaration may become. */
const presentationAttributes = new Set([
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-opacity', 'stroke-width', 'stroke-dasharray', 'stroke-dashoffset',
  'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'opacity', 'font-family', 'font-size', 'font-style', 'font-weight',
  'text-anchor', 'dominant-baseline', 'display', 'visibility', 'pointer-events', 'shape-rendering', 'text-rendering', 'clip-path',
]);

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Moves each `style="a: b"` declaration into a presentation attribute (if the element lacks it) or drops it. */
function withoutInlineStyles(svg: string): string {
  return svg.replace(/<([a-zA-Z][\w:-]*)([^<>]*?)\sstyle="([^"]*)"([^<>]*)>/g, (_whole, tag: string, before: string, style: string, after: string) => {
    const existing = `${before}${after}`;
    const extra = style
      .split(';')
      .map((declaration) => declaration.split(':').map((part) => part.trim()))
      .filter(([name, value]) => name && value && presentationAttributes.has(name) && !new RegExp(`\\s${name}="`).test(existing))
      .map(([name, value]) => ` ${name}="${escapeXml(value!)}"`)
      .join('');
    return `<${tag}${before}${after.replace(/\s*\/$/, '')}${extra}${after.trimEnd().endsWith('/') ? '/' : ''}>`;
  });
}

/**
 * Makes Vega's SVG accessible and safe to embed: role="img" with a <title> and <desc>, sized by
 * its viewBox to the container's width, inner ARIA roles removed (the image is one graphic),
 * ids prefixed so several charts can share a page, no inline styles and no scripts.
 */
export function accessibleSvg(svg: string, id: string, title: string, description: string): string {
  const open = /^<svg\b[^>]*>/.exec(svg.trim());
  if (!open) throw new Error('not an SVG document');
  const viewBox = /viewBox="([^"]+)"/.exec(open[0])?.[1];
  if (!viewBox) throw new Error('the SVG has no viewBox');
  const [, , width] = viewBox.split(/\s+/).map(Number);
  let body = svg.trim().slice(open[0].length);
  body = body
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<script\b[^>]*\/>/gi, '')
    .replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, '')
    .replace(/\son[a-z]+="[^"]*"/gi, '');
  body = withoutInlineStyles(body);
  // Ids (clip paths, gradients) are made unique to this chart.
  body = body.replace(/\sid="([^"]+)"/g, (_m, name: string) => ` id="${id}-${name}"`).replace(/url\(#([^)]+)\)/g, (_m, name: string) => `url(#${id}-${name})`);
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" viewBox="${viewBox}" width="100%" preserveAspectRatio="xMinYMin meet" ` +
    `role="img" aria-labelledby="${titleId} ${descId}" focusable="false" data-width="${width}">` +
    `<title id="${titleId}">${escapeXml(title)}</title><desc id="${descId}">${escapeXml(description)}</desc>${body}`
  );
}

/** Compiles a Vega-Lite specification and renders it to SVG on the server (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const shown = (e: Estimate | null | undefined): e is Estimate => e != null && Number.isFinite(e.value);

function cell(text: string, numeric = false, classes?: string): TableCell {
  return { text, ...(numeric ? { format: 'numeric' as const } : {}), ...(classes ? { classes } : {}) };
}

function countCell(value: number | null, t: EquityText): TableCell {
  return value === null ? cell(t.table.notShown, true, 'app-suppressed') : cell(formatCount(value), true);
}

function estimateCells(estimate: Estimate | null, t: EquityText, format: (x: number) => string): TableCell[] {
  if (!shown(estimate)) return [cell(t.table.notShown, true, 'app-suppressed'), cell(t.table.notShown, true, 'app-suppressed')];
  const interval = estimate.lower !== null && estimate.upper !== null ? `${format(estimate.lower)} to ${format(estimate.upper)}` : t.table.notShown;
  return [cell(format(estimate.value), true), cell(interval, true, estimate.lower === null || estimate.upper === null ? 'app-suppressed' : undefined)];
}

const categories = (dimension: DisclosedDimension) => dimension.groups.filter((g) => g.kind === 'category');
const byOrder = (a: DisclosedGroup, b: DisclosedGroup) => (a.order ?? 0) - (b.order ?? 0);

function partOf(dimension: DisclosedDimension, t: EquityText): string {
  return dimension.dimension === 'imd_decile' ? t.charts.decile : t.charts.quintile;
}

// ---------------------------------------------------------------------------------------------
// (a) Deprivation gradient

export async function gradientChart(audit: DisclosedAudit, dimension: DisclosedDimension, t: EquityText): Promise<ChartView | null> {
  const groups = categories(dimension).filter((g) => g.order !== null).sort(byOrder);
  const plotted = groups.filter((g) => shown(g.ratePer1000));
  if (plotted.length < 2) return null;
  const part = partOf(dimension, t);
  const level = formatConfidence(audit.confidence);
  const overall = audit.total.ratePer1000?.value ?? null;
  const title = fill(t.charts.gradient.title, { part });
  const description = fill(t.charts.gradient.description, {
    part,
    level,
    first: formatRate(plotted[0]!.ratePer1000!.value),
    last: formatRate(plotted.at(-1)!.ratePer1000!.value),
    overall: overall === null ? t.table.notShown : formatRate(overall),
  });
  const values = plotted.map((g) => ({
    tick: String(g.order),
    order: g.order,
    rate: g.ratePer1000!.value,
    lower: g.ratePer1000!.lower ?? g.ratePer1000!.value,
    upper: g.ratePer1000!.upper ?? g.ratePer1000!.value,
  }));
  const x = { field: 'tick', type: 'ordinal' as const, sort: groups.map((g) => String(g.order)), title: sentenceCase(fill(t.charts.gradient.x, { part })), axis: { labelAngle: 0 } };
  const spec: TopLevelSpec = {
    width: chartWidth,
    height: 300,
    config: baseConfig,
    layer: [
      ...(overall === null
        ? []
        : [
            { data: { values: [{}] }, mark: { type: 'rule' as const, color: colour.secondary, strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { datum: overall, type: 'quantitative' as const } } },
            {
              data: { values: [{}] },
              mark: { type: 'text' as const, align: 'left' as const, baseline: 'bottom' as const, dy: -4, color: colour.secondary },
              encoding: { x: { value: 4 }, y: { datum: overall, type: 'quantitative' as const }, text: { value: fill(t.charts.gradient.overall, { overall: formatRate(overall) }) } },
            },
          ]),
      {
        data: { values },
        mark: { type: 'errorbar', ticks: true, color: colour.blue, thickness: 2 },
        encoding: { x, y: { field: 'lower', type: 'quantitative', title: t.charts.gradient.y, scale: { zero: true } }, y2: { field: 'upper' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 90, color: colour.blue, opacity: 1, shape: 'circle' },
        encoding: { x, y: { field: 'rate', type: 'quantitative' } },
      },
    ],
  };
  const id = 'chart-deprivation-gradient';
  const svg = accessibleSvg(await renderSvg(spec), id, title, description);
  const table: DataTable = {
    caption: fill(t.charts.tableCaption, { title }),
    head: [cell(sentenceCase(part)), cell(t.table.referrals, true), cell(t.table.population, true), cell(t.table.rate, true), cell(fill(t.table.interval, { level }), true)],
    rows: groups.map((g) => [
      { ...cell(g.label), lang: 'en' },
      countCell(g.counts.referralsInCatchment, t),
      g.population === null ? cell(t.table.notApplicable, true) : cell(formatCount(g.population), true),
      ...estimateCells(g.ratePer1000, t, formatRate),
    ]),
  };
  return { id, kind: 'gradient', title, description, svg, table };
}

// ---------------------------------------------------------------------------------------------
// (b) Most versus least deprived

export async function extremesChart(audit: DisclosedAudit, dimension: DisclosedDimension, t: EquityText): Promise<ChartView | null> {
  const groups = categories(dimension).filter((g) => g.order !== null).sort(byOrder);
  if (groups.length < 2) return null;
  const most = groups[0]!;
  const least = groups.at(-1)!;
  if (!shown(most.ratePer1000) || !shown(least.ratePer1000)) return null;
  const level = formatConfidence(audit.confidence);
  const ratio = dimension.inequality?.rateRatio ?? null;
  const title = t.charts.extremes.title;
  const description =
    ratio && ratio.lower !== null && ratio.upper !== null
      ? fill(t.charts.extremes.description, {
          level,
          most: formatRate(most.ratePer1000.value),
          least: formatRate(least.ratePer1000.value),
          ratio: formatRatio(ratio.value),
          lower: formatRatio(ratio.lower),
          upper: formatRatio(ratio.upper),
        })
      : fill(t.charts.extremes.descriptionNoRatio, { level, most: formatRate(most.ratePer1000.value), least: formatRate(least.ratePer1000.value) });
  const values = [
    { label: t.charts.extremes.most, key: 'most', estimate: most.ratePer1000 },
    { label: t.charts.extremes.least, key: 'least', estimate: least.ratePer1000 },
  ].map(({ label, key, estimate }) => ({
    label,
    key,
    rate: estimate.value,
    lower: estimate.lower ?? estimate.value,
    upper: estimate.upper ?? estimate.value,
    text: formatRate(estimate.value),
  }));
  const y = { field: 'label', type: 'nominal' as const, sort: values.map((v) => v.label), title: null, axis: { labelFontWeight: 'bold' as const } };
  const xMax = Math.max(...values.map((v) => v.upper)) * 1.2;
  const spec: TopLevelSpec = {
    width: chartWidth - 180,
    height: 130,
    config: baseConfig,
    data: { values },
    layer: [
      {
        mark: { type: 'errorbar', ticks: true, color: colour.text, thickness: 2 },
        encoding: { y, x: { field: 'lower', type: 'quantitative', title: t.charts.extremes.x, scale: { domain: [0, xMax] } }, x2: { field: 'upper' } },
      },
      {
        mark: { type: 'point', filled: true, size: 140, opacity: 1 },
        encoding: {
          y,
          x: { field: 'rate', type: 'quantitative' },
          shape: { field: 'key', type: 'nominal', scale: { domain: ['most', 'least'], range: ['circle', 'square'] }, legend: null },
          color: { field: 'key', type: 'nominal', scale: { domain: ['most', 'least'], range: [colour.blue, colour.text] }, legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, fontWeight: 'bold' },
        encoding: { y, x: { field: 'upper', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
  const id = 'chart-most-least-deprived';
  const svg = accessibleSvg(await renderSvg(spec), id, title, description);
  const rows: TableCell[][] = [most, least].map((g) => [
    cell(g.label),
    countCell(g.counts.referralsInCatchment, t),
    g.population === null ? cell(t.table.notApplicable, true) : cell(formatCount(g.population), true),
    ...estimateCells(g.ratePer1000, t, formatRate),
  ]);
  if (ratio) rows.push([cell(t.charts.extremes.ratio), cell(t.table.notApplicable, true), cell(t.table.notApplicable, true), ...estimateCells(ratio, t, formatRatio)]);
  const table: DataTable = {
    caption: fill(t.charts.tableCaption, { title }),
    head: [cell(t.table.group), cell(t.table.referrals, true), cell(t.table.population, true), cell(t.table.rate, true), cell(fill(t.table.interval, { level }), true)],
    rows,
  };
  return { id, kind: 'extremes', title, description, svg, table };
}

// ---------------------------------------------------------------------------------------------
// (c) Funnel plot across areas

const positionKey: Record<FunnelPosition, keyof EquityText['table']['position']> = {
  'above-99.8': 'above998',
  'above-95': 'above95',
  within: 'within',
  'below-95': 'below95',
  'below-99.8': 'below998',
};
const positionShape: Record<FunnelPosition, string> = {
  'above-99.8': 'triangle-up',
  'above-95': 'triangle-up',
  within: 'circle',
  'below-95': 'triangle-down',
  'below-99.8': 'triangle-down',
};
const positionColour: Record<FunnelPosition, string> = {
  'above-99.8': colour.red,
  'above-95': colour.text,
  within: colour.blue,
  'below-95': colour.text,
  'below-99.8': colour.red,
};
const positions: FunnelPosition[] = ['above-99.8', 'above-95', 'within', 'below-95', 'below-99.8'];

export async function funnelChart(audit: DisclosedAudit, dimension: DisclosedDimension, t: EquityText): Promise<ChartView | null> {
  const areas = categories(dimension).filter(
    (g) => g.population !== null && g.population > 0 && g.counts.referralsInCatchment !== null && shown(g.ratePer1000),
  );
  if (areas.length < 3) return null;
  const events = areas.reduce((s, g) => s + g.counts.referralsInCatchment!, 0);
  const population = areas.reduce((s, g) => s + g.population!, 0);
  if (events === 0) return null;
  const target = events / population;
  const areaWord = dimension.dimension === 'icb' ? t.charts.funnel.icb : t.charts.funnel.localAuthority;
  const points = areas.map((g) => {
    const position = funnelPosition(g.counts.referralsInCatchment!, g.population!, target);
    return { area: g.label, population: g.population!, rate: g.ratePer1000!.value, position, positionLabel: t.table.position[positionKey[position]] };
  });
  const maxPopulation = Math.max(...points.map((p) => p.population)) * 1.08;
  const minPopulation = Math.min(...points.map((p) => p.population)) * 0.5;
  const lines = [0.95, 0.998].flatMap((confidence) => {
    const line = funnelLines(target, confidence, minPopulation, maxPopulation, 1000);
    const limit = confidence === 0.95 ? t.charts.funnel.limit95 : t.charts.funnel.limit998;
    return [
      ...line.lower.map((p) => ({ ...p, limit, series: `${confidence}-lower` })),
      ...line.upper.map((p) => ({ ...p, limit, series: `${confidence}-upper` })),
    ];
  });
  const rates = [...lines.map((l) => l.rate), ...points.map((p) => p.rate)];
  const yDomain = [Math.max(0, Math.min(...rates) * 0.95), Math.max(...rates) * 1.05];
  const outside = points.filter((p) => p.position === 'above-99.8' || p.position === 'below-99.8').map((p) => p.area);
  const level = formatConfidence(audit.confidence);
  const title = fill(t.charts.funnel.title, { area: areaWord });
  const description = fill(t.charts.funnel.description, {
    count: points.length,
    overall: formatRate(target * 1000),
    outside: outside.length === 0 ? t.charts.funnel.outsideNone : fill(t.charts.funnel.outsideSome, { areas: listOf(outside) }),
  });
  const present = positions.filter((p) => points.some((point) => point.position === p));
  const labelAll = points.length <= 12;
  const labelled = points.map((p) => ({ ...p, labelRight: p.population > maxPopulation * 0.7, label: p.area }));
  const x = { field: 'population', type: 'quantitative' as const, title: t.charts.funnel.x, scale: { domain: [0, maxPopulation], nice: false }, axis: { format: ',.0f', tickCount: 4 } };
  const y = { field: 'rate', type: 'quantitative' as const, title: t.charts.funnel.y, scale: { domain: yDomain, zero: false, nice: false } };
  const labelFilter = labelAll ? 'true' : "datum.position !== 'within'";
  const spec: TopLevelSpec = {
    width: chartWidth,
    height: 340,
    config: baseConfig,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', color: colour.secondary, strokeWidth: 1.5, clip: true, interpolate: 'monotone' },
        encoding: {
          x,
          y,
          detail: { field: 'series', type: 'nominal' },
          strokeDash: {
            field: 'limit',
            type: 'nominal',
            title: t.charts.funnel.limits,
            scale: { domain: [t.charts.funnel.limit95, t.charts.funnel.limit998], range: [[6, 4], [1, 0]] },
            legend: { symbolType: 'stroke', symbolSize: 900, symbolStrokeWidth: 2, symbolStrokeColor: colour.secondary },
          },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: colour.blue, strokeWidth: 1.5 },
        encoding: { y: { datum: target * 1000, type: 'quantitative' } },
      },
      {
        data: { values: [{}] },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -4, color: colour.blue },
        encoding: { x: { value: 4 }, y: { datum: target * 1000, type: 'quantitative' }, text: { value: fill(t.charts.funnel.overall, { overall: formatRate(target * 1000) }) } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 120, opacity: 1, stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          x,
          y,
          shape: {
            field: 'positionLabel',
            type: 'nominal',
            title: t.charts.funnel.positionTitle,
            scale: { domain: present.map((p) => t.table.position[positionKey[p]]), range: present.map((p) => positionShape[p]) },
          },
          color: {
            field: 'positionLabel',
            type: 'nominal',
            title: t.charts.funnel.positionTitle,
            scale: { domain: present.map((p) => t.table.position[positionKey[p]]), range: present.map((p) => positionColour[p]) },
          },
        },
      },
      {
        data: { values: labelled },
        transform: [{ filter: `(${labelFilter}) && !datum.labelRight` }],
        mark: { type: 'text', align: 'left', dx: 9, baseline: 'middle' },
        encoding: { x, y, text: { field: 'label' } },
      },
      {
        data: { values: labelled },
        transform: [{ filter: `(${labelFilter}) && datum.labelRight` }],
        mark: { type: 'text', align: 'right', dx: -9, baseline: 'middle' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
    resolve: { legend: { shape: 'shared', color: 'shared' } },
  };
  const id = `chart-funnel-${dimension.dimension.replace(/_/g, '-')}`;
  const svg = accessibleSvg(await renderSvg(spec), id, title, description);
  const table: DataTable = {
    caption: fill(t.charts.tableCaption, { title }),
    head: [
      cell(t.table.area),
      cell(t.table.population, true),
      cell(t.table.referrals, true),
      cell(t.table.rate, true),
      cell(fill(t.table.interval, { level }), true),
      cell(t.table.compared),
    ],
    rows: areas.map((g, i) => [
      { ...cell(g.label), lang: 'en' },
      cell(formatCount(g.population!), true),
      countCell(g.counts.referralsInCatchment, t),
      ...estimateCells(g.ratePer1000, t, formatRate),
      cell(points[i]!.positionLabel),
    ]),
  };
  return { id, kind: 'funnel', title, description, svg, table };
}

// ---------------------------------------------------------------------------------------------
// (d) Waits by group

export async function waitsChart(audit: DisclosedAudit, dimension: DisclosedDimension, t: EquityText): Promise<ChartView | null> {
  const groups = dimension.groups.filter((g) => g.kind !== 'no_area' || shown(g.waits.medianWeeks));
  const plotted = groups.filter((g) => shown(g.waits.medianWeeks));
  if (plotted.length < 2) return null;
  const by = (t.charts.waits.by as Record<string, string>)[dimension.dimension] ?? dimension.label;
  const level = formatConfidence(audit.confidence);
  const overall = audit.total.waits.medianWeeks?.value ?? null;
  // The shortest and longest waits named in the description are of real groups, not "not known".
  const compared = plotted.filter((g) => g.kind === 'category');
  const sorted = [...(compared.length >= 2 ? compared : plotted)].sort((a, b) => a.waits.medianWeeks!.value - b.waits.medianWeeks!.value);
  const name = (g: DisclosedGroup) => (/^\d+$/.test(g.label) ? `${partOf(dimension, t)} ${g.label}` : g.label);
  const title = fill(t.charts.waits.title, { by });
  const description = fill(t.charts.waits.description, {
    level,
    by,
    shortest: `${formatWeeks(sorted[0]!.waits.medianWeeks!.value)} (${name(sorted[0]!)})`,
    longest: `${formatWeeks(sorted.at(-1)!.waits.medianWeeks!.value)} (${name(sorted.at(-1)!)})`,
    overall: overall === null ? t.table.notShown : formatWeeks(overall),
  });
  const values = plotted.map((g) => ({
    label: g.label,
    median: g.waits.medianWeeks!.value,
    lower: g.waits.medianWeeks!.lower ?? g.waits.medianWeeks!.value,
    upper: g.waits.medianWeeks!.upper ?? g.waits.medianWeeks!.value,
    text: formatWeeks(g.waits.medianWeeks!.value),
    known: g.kind === 'category' ? 'category' : 'unknown',
  }));
  const y = { field: 'label', type: 'nominal' as const, sort: values.map((v) => v.label), title: null };
  const xMax = Math.max(...values.map((v) => v.upper), overall ?? 0) * 1.15;
  const spec: TopLevelSpec = {
    width: chartWidth - 200,
    height: Math.max(120, values.length * 40),
    config: baseConfig,
    layer: [
      ...(overall === null
        ? []
        : [
            { data: { values: [{}] }, mark: { type: 'rule' as const, color: colour.secondary, strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: { datum: overall, type: 'quantitative' as const } } },
            {
              data: { values: [{}] },
              mark: { type: 'text' as const, align: 'left' as const, baseline: 'bottom' as const, dx: 4, dy: -2, color: colour.secondary },
              encoding: { x: { datum: overall, type: 'quantitative' as const }, y: { value: 0 }, text: { value: fill(t.charts.waits.overall, { overall: formatWeeks(overall) }) } },
            },
          ]),
      {
        data: { values },
        mark: { type: 'errorbar', ticks: true, color: colour.blue, thickness: 2 },
        encoding: { y, x: { field: 'lower', type: 'quantitative', title: t.charts.waits.x, scale: { domain: [0, xMax], nice: false } }, x2: { field: 'upper' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 100, opacity: 1 },
        encoding: {
          y,
          x: { field: 'median', type: 'quantitative' },
          // Not known / not stated groups are hollow grey diamonds, so they differ by shape too.
          shape: { field: 'known', type: 'nominal', scale: { domain: ['category', 'unknown'], range: ['circle', 'diamond'] }, legend: null },
          color: { field: 'known', type: 'nominal', scale: { domain: ['category', 'unknown'], range: [colour.blue, colour.secondary] }, legend: null },
        },
      },
      {
        data: { values },
        mark: { type: 'text', align: 'left', dx: 8, fontWeight: 'bold' },
        encoding: { y, x: { field: 'upper', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
  const id = `chart-waits-${dimension.dimension.replace(/_/g, '-')}`;
  const svg = accessibleSvg(await renderSvg(spec), id, title, description);
  const table: DataTable = {
    caption: fill(t.charts.tableCaption, { title }),
    head: [cell(t.table.group), cell(t.table.medianWait, true), cell(fill(t.table.interval, { level }), true), cell(t.table.over18, true), cell(fill(t.table.interval, { level }), true)],
    rows: groups.map((g) => [{ ...cell(g.label), lang: 'en' }, ...estimateCells(g.waits.medianWeeks, t, formatWeeks), ...estimateCells(g.waits.over18Weeks, t, formatPercent)]),
  };
  return { id, kind: 'waits', title, description, svg, table };
}

// ---------------------------------------------------------------------------------------------

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every chart the audit has data for, in reading order. */
export async function chartViews(audit: DisclosedAudit, language: Language = 'en', options: ChartOptions = {}): Promise<ChartView[]> {
  const t = contentFor(language).equity;
  const byKey = new Map(audit.dimensions.map((d) => [d.dimension, d]));
  const views: (ChartView | null)[] = [];
  const gradient = byKey.get('imd_decile') ?? byKey.get('imd_quintile');
  if (gradient) views.push(await gradientChart(audit, gradient, t));
  const quintile = byKey.get('imd_quintile');
  if (quintile) views.push(await extremesChart(audit, quintile, t));
  const areas = byKey.get('local_authority') ?? byKey.get('icb');
  if (areas) views.push(await funnelChart(audit, areas, t));
  for (const key of options.waitsBy ?? ['ethnic_group', 'imd_quintile']) {
    const dimension = byKey.get(key);
    if (dimension) views.push(await waitsChart(audit, dimension, t));
  }
  return views.filter((v): v is ChartView => v !== null);
}
