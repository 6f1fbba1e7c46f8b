import type { Nation } from '../../src/domain/codes.ts';
import { builtInBands, builtInBandShares, deprivationIndexOf, type AreaFrame, type FrameArea } from '../../src/synth/area-frame.ts';

/**
 * A small hand-made sampling frame for tests that need no database: `perDecile` areas in each
 * deprivation decile of England (and, optionally, a few Welsh areas), populations between 1,000
 * and 2,500, the built-in age split, and made-up postcodes for every other area.
 */
export function fixtureFrame(options: { perDecile?: number; welshAreas?: number } = {}): AreaFrame {
  const perDecile = options.perDecile ?? 4;
  const areas: FrameArea[] = [];
  const add = (nation: Nation, index: number, decile: number) => {
    const code = `${nation}0100${String(index).padStart(4, '0')}`;
    const population = 1000 + ((index * 617) % 1500);
    const shares = builtInBandShares[nation];
    const total = shares.reduce((s, v) => s + v, 0);
    const district = `DT${(index % 9) + 1}`;
    areas.push({
      code,
      nation,
      index: deprivationIndexOf[nation],
      decile,
      quintile: Math.ceil(decile / 2),
      localAuthority: nation === 'E' ? 'E06000059' : 'W06000001',
      icb: nation === 'E' ? 'E54000041' : null,
      population,
      bandPopulation: shares.map((s) => (s / total) * population),
      livePostcodes: index % 2 === 0 ? [`${district} ${index % 10}AB`, `${district} ${index % 10}AD`] : [],
      terminatedPostcodes: index % 4 === 0 ? [`${district} ${index % 10}ZZ`] : [],
    });
  };
  let index = 1;
  for (let decile = 1; decile <= 10; decile++) for (let i = 0; i < perDecile; i++) add('E', index++, decile);
  for (let i = 0; i < (options.welshAreas ?? 0); i++) add('W', index++, (i % 10) + 1);
  areas.sort((a, b) => a.code.localeCompare(b.code));
  return {
    scope: { kind: 'england' },
    bands: builtInBands,
    areas,
    sources: { totals: 'fixture', ageBands: null, ageBandsApportioned: false, areasWithAverageAgeSplit: 0, areasWithPostcodes: areas.filter((a) => a.livePostcodes.length > 0).length },
    areasWithoutPopulation: 0,
  };
}
