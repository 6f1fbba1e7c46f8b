import { describe, expect, it } from 'vitest';
import { auditFixture } from '../../../test/support/audit.fixture.ts';
import { accessibleSvg, chartViews, type ChartView } from './charts.ts';

/** WCAG relative luminance contrast of a #rrggbb colour against white. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (luminance + 0.05);
}

/** The marks of one Vega layer group: `<g class="mark-symbol role-mark layer_2_marks">...</g>`. */
function markCount(svg: string, mark: string): number {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${mark} role-mark[^"]*"[^>]*>(.*?)</g>`, 'g'))];
  return groups.reduce((n, g) => n + (g[1]!.match(/<path\b/g) ?? []).length, 0);
}

describe('equity charts', async () => {
  const audit = auditFixture();
  const views = await chartViews(audit);
  const byKind = (kind: ChartView['kind']) => views.filter((v) => v.kind === kind);

  it('draws the four designs: gradient, most versus least, funnel and waits', () => {
    expect(views.map((v) => v.kind)).toEqual(['gradient', 'extremes', 'funnel', 'waits', 'waits']);
  });

  for (const kind of ['gradient', 'extremes', 'funnel', 'waits'] as const) {
    it(`makes the ${kind} chart an accessible, CSP-safe image that scales to its container`, () => {
      for (const view of byKind(kind)) {
        const { svg } = view;
        expect(svg.startsWith('<svg ')).toBe(true);
        const root = /^<svg[^>]*>/.exec(svg)![0];
        expect(root).toContain('role="img"');
        expect(root).toContain(`aria-labelledby="${view.id}-title ${view.id}-desc"`);
        expect(root).toContain('width="100%"');
        expect(root).toMatch(/viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/);
        expect(root).not.toMatch(/\sheight=/);
        expect(svg).toContain(`<title id="${view.id}-title">${view.title}</title>`);
        expect(svg).toContain(`<desc id="${view.id}-desc">`);
        expect(view.description.length).toBeGreaterThan(40);
        expect(svg).not.toMatch(/style=/i);
        expect(svg).not.toMatch(/<script/i);
        expect(svg).not.toMatch(/\son[a-z]+=/i);
        // One image: no ARIA roles inside it.
        expect(svg.slice(root.length)).not.toMatch(/\srole=|aria-/);
        expect(view.table.caption.length).toBeGreaterThan(0);
        expect(view.table.rows.length).toBeGreaterThan(1);
        for (const row of view.table.rows) expect(row).toHaveLength(view.table.head.length);
      }
    });
  }

  it('uses text colours with at least 4.5:1 contrast and mark colours with at least 3:1', () => {
    for (const { svg } of views) {
      for (const [, colour] of svg.matchAll(/<text[^>]*\sfill="(#[0-9a-f]{6})"/gi)) expect(contrastWithWhite(colour!)).toBeGreaterThanOrEqual(4.5);
      const marks = [...svg.matchAll(/<g class="mark-(?:symbol|rule|line|rect) role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]!).join('');
      for (const [, colour] of marks.matchAll(/\s(?:fill|stroke)="(#[0-9a-f]{6})"/gi)) {
        if (colour!.toLowerCase() === '#ffffff') continue; // the white outline around funnel points
        expect(contrastWithWhite(colour!)).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('keeps element ids unique across every chart on a page', () => {
    const ids = views.flatMap((v) => [...v.svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
    expect(ids.length).toBeGreaterThan(views.length);
    expect(new Set(ids).size).toBe(ids.length);
    for (const view of views) for (const [, ref] of view.svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
  });

  it('plots one point with its interval per deprivation decile with a rate, and tabulates every decile', () => {
    const [gradient] = byKind('gradient');
    const deciles = audit.dimensions.find((d) => d.dimension === 'imd_decile')!.groups.filter((g) => g.kind === 'category');
    expect(markCount(gradient!.svg, 'symbol')).toBe(deciles.filter((g) => g.ratePer1000).length);
    expect(gradient!.table.rows.map((r) => r[0]!.text)).toEqual(deciles.map((g) => g.label));
    expect(gradient!.description).toContain('3.3 in the most deprived decile');
  });

  it('names the rate ratio in the most versus least deprived chart', () => {
    const [extremes] = byKind('extremes');
    const ratio = audit.dimensions.find((d) => d.dimension === 'imd_quintile')!.inequality!.rateRatio!;
    expect(extremes!.description).toContain('The rate ratio is 0.6 (95% CI 0.54 to 0.67)');
    expect(ratio.value).toBeCloseTo(0.6, 1);
    expect(extremes!.table.rows.at(-1)![0]!.text).toBe('Rate ratio, most to least deprived');
  });

  it('draws the funnel with both pairs of limits and each area placed against them', () => {
    const [funnel] = byKind('funnel');
    expect(funnel!.description).toContain('Outside the 99.8% limits: Eastfield.');
    const rows = Object.fromEntries(funnel!.table.rows.map((r) => [r[0]!.text, r.at(-1)!.text]));
    expect(rows.Eastfield).toBe('Below the 99.8% limit');
    expect(rows.Riverside).toBe('Above the 95% limit only');
    expect(rows.Millbrook).toBe('Within the limits');
    // Four limit lines (lower and upper at 95% and 99.8%) and the two legend entries for them.
    expect(funnel!.svg.match(/<g class="mark-line role-mark/g)).toHaveLength(4);
    expect(funnel!.svg).toContain('95% limits');
    expect(funnel!.svg).toContain('99.8% limits');
    expect(markCount(funnel!.svg, 'symbol')).toBe(6);
  });

  it('shows waits for every group with a median and marks withheld ones as not shown in the table', () => {
    const [ethnic] = byKind('waits');
    const groups = audit.dimensions.find((d) => d.dimension === 'ethnic_group')!.groups;
    expect(markCount(ethnic!.svg, 'symbol')).toBe(groups.filter((g) => g.waits.medianWeeks).length);
    const other = ethnic!.table.rows.find((r) => r[0]!.text === 'Other ethnic groups')!;
    expect(other[1]).toEqual({ text: 'not shown', format: 'numeric', classes: 'app-suppressed' });
    expect(ethnic!.description).toContain('from 6.0 (White) to 9.1 (Black or Black British)');
  });

  it('writes chart text in Welsh when asked', async () => {
    const welsh = await chartViews(audit, 'cy');
    expect(welsh[0]!.title).toBe('Cyfradd atgyfeirio yn ôl degradd amddifadedd');
    expect(welsh[0]!.svg).toContain('Atgyfeiriadau fesul 1,000 o breswylwyr');
  });
});

describe('accessibleSvg', () => {
  const raw =
    '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="200" height="100" viewBox="0 0 200 100">' +
    '<defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs>' +
    '<g role="graphics-object" aria-roledescription="group"><path clip-path="url(#clip1)" style="fill: #005eb8; stroke-width: 2; mix-blend-mode: multiply" d="M0,0"/>' +
    '<text fill="#212b32" style="fill: red; font-size: 12px">a &lt; b</text><script>alert(1)</script><rect onclick="x()" width="1" height="1"/></g></svg>';
  const svg = accessibleSvg(raw, 'c1', 'A <title>', 'Says "what"');

  it('moves inline styles into presentation attributes, keeping attributes already set', () => {
    expect(svg).not.toContain('style=');
    expect(svg).toContain('<path clip-path="url(#c1-clip1)" d="M0,0" fill="#005eb8" stroke-width="2"/>');
    expect(svg).toContain('<text fill="#212b32" font-size="12px">a &lt; b</text>');
    expect(svg).not.toContain('mix-blend-mode');
  });
  it('removes scripts, event handlers and inner roles, and labels the image', () => {
    expect(svg).not.toMatch(/script|onclick|graphics-object|aria-roledescription/);
    expect(svg).toContain('<title id="c1-title">A &lt;title&gt;</title><desc id="c1-desc">Says &quot;what&quot;</desc>');
    expect(svg).toContain('id="c1-clip1"');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 200 100" width="100%"[^>]*role="img"/);
  });
});
