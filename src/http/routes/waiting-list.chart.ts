import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg, renderSvg } from '../../equity/outputs/charts.ts';

/**
 * The queue pressure page's forecast chart: the list size now and at the end of each forecast
 * week, with the target list size as a dashed, directly labelled line. A Vega-Lite specification
 * rendered to SVG on the server by the equity audit's renderer (equity/outputs/charts.ts), so it
 * needs no JavaScript and gets the same accessible wrapper (role="img", <title>, <desc>); the
 * page puts a table of the same figures beside it.
 */
export async function forecastChart(options: {
  id: string;
  sizes: readonly number[];
  target: number;
  title: string;
  description: string;
  weekTitle: string;
  peopleTitle: string;
  targetLabel: string;
}): Promise<string> {
  const points = options.sizes.map((people, week) => ({ week, people: Math.round(people * 10) / 10 }));
  const text = '#212b32';
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 480,
    height: 260,
    background: '#ffffff',
    config: {
      aria: false,
      font: 'Arial, Helvetica, sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 14, titleFontSize: 14, labelColor: text, titleColor: text, titleFontWeight: 'bold', domainColor: '#4c6272', tickColor: '#4c6272', gridColor: '#d8dde0' },
    },
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', color: '#005eb8', strokeWidth: 3, point: { filled: true, color: '#005eb8', size: 40 } },
        encoding: {
          x: { field: 'week', type: 'quantitative', title: options.weekTitle, scale: { domain: [0, options.sizes.length - 1] }, axis: { tickMinStep: 1 } },
          y: { field: 'people', type: 'quantitative', title: options.peopleTitle, scale: { zero: true } },
        },
      },
      {
        data: { values: [{ target: Math.round(options.target * 10) / 10, label: `${options.targetLabel}: ${Math.round(options.target * 10) / 10}` }] },
        layer: [
          { mark: { type: 'rule', color: '#4c6272', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { field: 'target', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 4, dy: -8, color: text, fontSize: 14 }, encoding: { y: { field: 'target', type: 'quantitative' }, x: { datum: 0, type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  };
  return accessibleSvg(await renderSvg(spec), options.id, options.title, options.description);
}
