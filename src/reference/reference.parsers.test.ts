import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { englandImd2019, rankIndex } from './deprivation.parser.ts';
import { ageBandOfLabel } from './population.parser.ts';
import { normaliseHeader, recogniseLayout } from './reference.layout.ts';
import { parseFileToFacts, recogniseFile, referenceLayouts } from './reference.parser.ts';

const dir = mkdtempSync(join(tmpdir(), 'roots-layouts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an inline fixture; lines joined with CRLF when asked, gzip when the name ends .gz. */
function fixture(name: string, lines: string[], options: { crlf?: boolean; bom?: boolean } = {}): string {
  const text = (options.bom ? '\uFEFF' : '') + lines.join(options.crlf ? '\r\n' : '\n') + (options.crlf ? '\r\n' : '\n');
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(Buffer.from(text)) : text);
  return path;
}

const cutOff = (n: number, groups: number, group: number) => Math.floor((n * group) / groups);

describe('England IMD 2019', () => {
  it("reads MHCLG's File 1 as published: byte-order mark, CRLF, ranks with thousands separators", async () => {
    const path = fixture(
      'file1.csv.gz',
      [
        'LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile',
        'E01000001,City of London 001A,E09000001,City of London,"29,199",9',
        'E01000005,City of London 001E,E09000001,City of London,"8,678",3',
        'E01032739,"Bournemouth, Christchurch and Poole 001A",E06000058,"Bournemouth, Christchurch and Poole",12,1',
      ],
      { crlf: true, bom: true },
    );
    const { layout, facts, rows } = await parseFileToFacts(path);
    expect(layout.id).toBe('england_imd2019_official');
    expect(rows).toBe(3);
    expect(facts.deprivation[0]).toEqual({ areaCode: 'E01000001', rank: 29_199, score: null, statedDecile: 9 });
    expect(facts.deprivation[1]!.rank).toBe(8_678);
    expect(facts.areas[2]).toMatchObject({ kind: 'lsoa11', code: 'E01032739', name: 'Bournemouth, Christchurch and Poole 001A', localAuthorityCode: 'E06000058' });
    expect(facts.geographies[2]).toEqual({ code: 'E06000058', kind: 'local_authority', name: 'Bournemouth, Christchurch and Poole' });
    expect(facts.population).toEqual([]);
  });

  it("reads File 7's headers, which add '(where 1 is most deprived)', with the score and mid-2015 population", async () => {
    const header = [
      'LSOA code (2011)',
      'LSOA name (2011)',
      'Local Authority District code (2019)',
      'Local Authority District name (2019)',
      'Index of Multiple Deprivation (IMD) Score',
      'Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)',
      'Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)',
      'Income Score (rate)',
      'Total population: mid 2015 (excluding prisoners)',
      'Dependent Children aged 0-15: mid 2015 (excluding prisoners)',
      'Population aged 16-59: mid 2015 (excluding prisoners)',
      'Older population aged 60 and over: mid 2015 (excluding prisoners)',
    ];
    const path = fixture('file7.csv', [header.map((cell) => `"${cell}"`).join(','), 'E01000001,City of London 001A,E09000001,City of London,6.208,29199,9,0.007,1296,175,656,465']);
    const { layout, facts } = await parseFileToFacts(path);
    expect(layout.id).toBe('england_imd2019_official');
    expect(facts.deprivation).toEqual([{ areaCode: 'E01000001', rank: 29_199, score: 6.208, statedDecile: 9 }]);
    expect(facts.population.map((p) => [p.band.label, p.band.from, p.band.to, p.population])).toEqual([
      ['all', 0, null, 1296],
      ['0-15', 0, 15, 175],
      ['16-59', 16, 59, 656],
      ['60+', 60, null, 465],
    ]);
  });

  it("reads the sample pack's layout with short column names", async () => {
    const path = fixture(
      'england_imd2019_lsoa11.csv',
      [
        'lsoa11cd,lsoa11nm,lad19cd,lad19nm,imd_score,imd_rank,imd_decile,pop_total_mid2015_excl_prisoners,pop_0_15_mid2015,pop_16_59_mid2015,pop_60plus_mid2015,pop_working_age_18_59_64_mid2015',
        'E01000001,City of London 001A,E09000001,City of London,6.208,29199,9,1296,175,656,465,715',
      ],
      { crlf: true },
    );
    const { layout, facts } = await parseFileToFacts(path);
    expect(layout.id).toBe('england_imd2019_lsoa11');
    expect(facts.deprivation[0]).toEqual({ areaCode: 'E01000001', rank: 29_199, score: 6.208, statedDecile: 9 });
    expect(facts.population).toHaveLength(4);
  });

  it('names the file, row, column and value of a rank that is not a whole number', async () => {
    const path = fixture('bad-rank.csv', ['lsoa11cd,lsoa11nm,lad19cd,lad19nm,imd_rank', 'E01000001,A,E09000001,B,12', 'E01000002,A,E09000001,B,"29,19"']);
    await expect(parseFileToFacts(path)).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      message: 'bad-rank.csv: row 2, column "imd_rank" is not a whole number ("29,19")',
    });
  });

  it('refuses an area code in the wrong column', async () => {
    const path = fixture('swapped.csv', ['lsoa11cd,lsoa11nm,lad19cd,lad19nm,imd_rank', 'City of London 001A,E01000001,E09000001,B,12']);
    await expect(parseFileToFacts(path)).rejects.toMatchObject({ message: expect.stringContaining('is not an LSOA 2011 code') });
  });
});

describe('deciles and quintiles of a whole index', () => {
  const index = englandImd2019.deprivation!;
  const facts = (ranks: number[], stated: (rank: number) => number | null = () => null) =>
    ranks.map((rank, i) => ({ areaCode: `E0100${String(i).padStart(4, '0')}`, rank, score: null, statedDecile: stated(rank) }));

  it('derives both from the rank with N = the number of areas in the file, at the official cut-offs', () => {
    const n = 23;
    const result = rankIndex(index, facts(Array.from({ length: n }, (_, i) => i + 1)));
    expect(result.areaCount).toBe(n);
    for (let d = 1; d <= 10; d++) {
      const last = result.areas.find((area) => area.rank === cutOff(n, 10, d));
      if (last) expect(last.decile).toBe(d);
      const next = result.areas.find((area) => area.rank === cutOff(n, 10, d) + 1);
      if (next && d < 10) expect(next.decile).toBe(d + 1);
    }
    for (let q = 1; q <= 5; q++) expect(result.areas.find((area) => area.rank === cutOff(n, 5, q))!.quintile).toBe(q);
  });

  it('keeps tied ranks (the published IMD has 26 ties) in the same group', () => {
    const result = rankIndex(index, facts([1, 2, 2, 4, 5, 6, 7, 8, 9, 10]));
    expect(result.areas[1]!.decile).toBe(result.areas[2]!.decile);
    expect(result.problems).toEqual([]);
  });

  it('reports every stated decile that the cut-offs contradict, and counts those checked', () => {
    const n = 15;
    // The shortcut floor((rank - 1)·10/N) + 1 is what a careless compiler would have written.
    const shortcut = (rank: number) => Math.floor(((rank - 1) * 10) / n) + 1;
    const ranks = Array.from({ length: n }, (_, i) => i + 1);
    const result = rankIndex(index, facts(ranks, shortcut));
    const expected = ranks.filter((rank) => shortcut(rank) !== result.areas[rank - 1]!.decile);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.checked).toBe(n);
    expect(result.disagreements.map((d) => d.rank)).toEqual(expected);
  });

  it('refuses a rank above N and an area listed twice', () => {
    expect(rankIndex(index, facts([1, 2, 4])).problems[0]).toMatch(/outside 1 to 3/);
    const twice = rankIndex(index, [...facts([1, 2]), { areaCode: 'E01000000', rank: 2, score: null, statedDecile: null }]);
    expect(twice.problems[0]).toMatch(/more than once/);
  });
});

describe('Wales, Scotland and Northern Ireland', () => {
  it('reads WIMD 2019 ranks and the derived decile column', async () => {
    const path = fixture('wales.csv', ['lsoa11cd,lsoa11nm,la_name,wimd2019_score,wimd2019_rank,wimd2019_decile_derived', 'W01000240,Rhyl West 2,Denbighshire,86.6,1,1'], { crlf: true });
    const { layout, facts } = await parseFileToFacts(path);
    expect(layout.dataset.deprivation).toEqual({ index: 'WIMD2019', nation: 'W', publishedAreaCount: 1_909 });
    expect(facts.deprivation).toEqual([{ areaCode: 'W01000240', rank: 1, score: 86.6, statedDecile: 1 }]);
  });

  it('reads SIMD 2020v2 with its byte-order mark; it states no decile', async () => {
    const path = fixture(
      'simd.csv',
      [
        'Data_Zone,Intermediate_Zone,Council_area,Total_population,Working_age_population,SIMD2020v2_Rank,SIMD2020v2_Income_Domain_Rank',
        'S01006506,Culter,Aberdeen City,894,580,4691,3936',
      ],
      { bom: true },
    );
    const { layout, facts } = await parseFileToFacts(path);
    expect(layout.dataset.deprivation?.publishedAreaCount).toBe(6_976);
    expect(facts.deprivation).toEqual([{ areaCode: 'S01006506', rank: 4691, score: null, statedDecile: null }]);
    expect(facts.areas).toEqual([{ kind: 'datazone11', code: 'S01006506' }]);
  });

  it('reads NIMDM 2017 by Super Output Area (2001), including ward-named SOAs', async () => {
    const path = fixture('nimdm.csv', [
      'LGD2014code,LGD2014name,UR2015,SOA2001,SOA2001name,MDM_rank,D1_Income_rank',
      'N09000001,Antrim and Newtownabbey,Rural,95AA01S1,Aldergrove_1,516,790',
      'N09000001,Antrim and Newtownabbey,Urban,95AA02W1,Aldergrove_2,749,737',
    ]);
    const { facts } = await parseFileToFacts(path);
    expect(facts.deprivation.map((d) => [d.areaCode, d.rank])).toEqual([
      ['95AA01S1', 516],
      ['95AA02W1', 749],
    ]);
    expect(facts.areas[0]).toEqual({ kind: 'soa01', code: '95AA01S1', name: 'Aldergrove_1', localAuthorityCode: 'N09000001' });
  });
});

describe('NSPL postcodes', () => {
  const header = 'pcds,dointr,doterm,usertype,oa11,lsoa11,msoa11,laua,ccg,stp,nhser,rgn,ctry,imd,lat,long';

  it('loads live and terminated postcodes, blanks pseudo codes, and keeps postcodes with no area', async () => {
    const path = fixture(
      'nspl.csv.gz',
      [
        header,
        'DT1 1AA,199002,,1,E00104064,E01032643,E02004277,E06000059,E38000045,E54000041,E40000006,E12000009,E92000001,23347,50.715280,-2.444281',
        'DT1 1AJ,198607,199412,1,E00104164,E01020537,E02004279,E06000059,E38000045,E54000041,E40000006,E12000009,E92000001,20194,50.655097,-2.367748',
        'DG1 1AA,198001,,0,S00090000,S01007000,S02001000,S12000006,S03000000,,,S99999999,S92000003,0,55.0,-3.6',
        'DT1 9YH,200501,200502,1,,,,,,,,,,0,99.999999,0.000000',
      ],
      { crlf: true },
    );
    const { layout, facts } = await parseFileToFacts(path);
    expect(layout.id).toBe('nspl');
    expect(facts.postcodes).toEqual([
      { postcode: 'DT1 1AA', areaCode: 'E01032643', localAuthorityCode: 'E06000059', regionCode: 'E12000009', countryCode: 'E92000001', introduced: '199002', terminated: null },
      { postcode: 'DT1 1AJ', areaCode: 'E01020537', localAuthorityCode: 'E06000059', regionCode: 'E12000009', countryCode: 'E92000001', introduced: '198607', terminated: '199412' },
      { postcode: 'DG1 1AA', areaCode: 'S01007000', localAuthorityCode: 'S12000006', regionCode: null, countryCode: 'S92000003', introduced: '198001', terminated: null },
      { postcode: 'DT1 9YH', areaCode: null, localAuthorityCode: null, regionCode: null, countryCode: null, introduced: '200501', terminated: '200502' },
    ]);
  });

  it('normalises an oddly written postcode and leaves out, with a count, one that is not a postcode', async () => {
    const path = fixture('nspl-odd.csv', [header, 'dt11ab,200409,,0,,E01020518,,E06000059,,,,E12000009,E92000001,1,0,0', 'GIR 0AA,198001,,1,,,,,,,,,,0,0,0']);
    const { facts } = await parseFileToFacts(path);
    expect(facts.postcodes.map((p) => p.postcode)).toEqual(['DT1 1AB']);
    expect(facts.skipped).toEqual([{ row: 2, reason: '"GIR 0AA" is not in the usual UK postcode form' }]);
  });
});

describe('ONS lookups', () => {
  it('LSOA 2011 -> sub-ICB -> ICB and local authority, with NHS codes and the sub-ICB inside its ICB', async () => {
    const path = fixture('sicbl.csv.gz', [
      '"lsoa11_name","lsoa11_code","sicbl22_name","sicbl22_code","sicbl22_code_h","icb22_name","icb22_code","icb22_code_h","ltla22_name","ltla22_code"',
      '"Halton 007A","E01012367","NHS Cheshire and Merseyside ICB - 01F","E38000068","01F","NHS Cheshire and Merseyside Integrated Care Board","E54000008","QYG","Halton","E06000006"',
    ]);
    const { facts } = await parseFileToFacts(path);
    expect(facts.areas).toEqual([{ kind: 'lsoa11', code: 'E01012367', name: 'Halton 007A', subIcbCode: 'E38000068', icbCode: 'E54000008', localAuthorityCode: 'E06000006' }]);
    expect(facts.geographies).toEqual([
      { code: 'E38000068', kind: 'sub_icb', name: 'NHS Cheshire and Merseyside ICB - 01F', nhsCode: '01F', parentCode: 'E54000008' },
      { code: 'E54000008', kind: 'icb', name: 'NHS Cheshire and Merseyside Integrated Care Board', nhsCode: 'QYG' },
      { code: 'E06000006', kind: 'local_authority', name: 'Halton' },
    ]);
  });

  it("accepts the Open Geography Portal's own column names", async () => {
    const path = fixture('portal.csv', ['LSOA11CD,LSOA11NM,SICBL22CD,SICBL22CDH,SICBL22NM,ICB22CD,ICB22CDH,ICB22NM,LAD22CD,LAD22NM,FID', 'E01012367,Halton 007A,E38000068,01F,Sub,E54000008,QYG,ICB,E06000006,Halton,1']);
    expect((await recogniseFile(path)).layout.id).toBe('lsoa11_sicbl22_icb22_ltla22');
  });

  it('LSOA 2011 <-> 2021 with change codes, and refuses an unknown change code', async () => {
    const good = fixture('change.csv', [
      '"lsoa11_name","lsoa11_code","change_code","lsoa21_name","lsoa21_code","ltla22_name","ltla22_code"',
      '"Hartlepool 009A","E01011949","U","Hartlepool 009A","E01011949","Hartlepool","E06000001"',
      '"Leeds 111A","E01011111","S","Leeds 111F","E01035000","Leeds","E08000035"',
      '"Leeds 111A","E01011111","S","Leeds 111G","E01035001","Leeds","E08000035"',
    ]);
    const { facts } = await parseFileToFacts(good);
    expect(facts.lsoaChanges).toEqual([
      { lsoa11Code: 'E01011949', lsoa21Code: 'E01011949', changeCode: 'U' },
      { lsoa11Code: 'E01011111', lsoa21Code: 'E01035000', changeCode: 'S' },
      { lsoa11Code: 'E01011111', lsoa21Code: 'E01035001', changeCode: 'S' },
    ]);
    const bad = fixture('change-bad.csv', ['lsoa11_code,change_code,lsoa21_code', 'E01011949,Q,E01011949']);
    await expect(parseFileToFacts(bad)).rejects.toMatchObject({ message: expect.stringMatching(/row 1, column "change_code" is not a change code/) });
  });

  it('data zones go to intermediate zones, LSOAs to MSOAs, in one file', async () => {
    const path = fixture('msoa.csv', [
      'lsoa11_name,lsoa11_code,msoa11_name,msoa11_code',
      'Hartlepool 006B,E01011966,Hartlepool 006,E02002488',
      'Alloa North - 03,S01007469,Alloa North,S02001403',
    ]);
    const { facts } = await parseFileToFacts(path);
    expect(facts.areas.map((a) => [a.kind, a.code, a.msoaCode])).toEqual([
      ['lsoa11', 'E01011966', 'E02002488'],
      ['datazone11', 'S01007469', 'S02001403'],
    ]);
    expect(facts.geographies.map((g) => g.kind)).toEqual(['msoa', 'intermediate_zone']);
  });

  it('rural-urban classification and local authority -> region', async () => {
    const ruc = await parseFileToFacts(fixture('ruc.csv', ['"lsoa11_code","ruc11_code","ruc","classification"', '"E01000205","A1","Urban","Urban conurbation"']));
    expect(ruc.facts.areas).toEqual([{ kind: 'lsoa11', code: 'E01000205', ruralUrbanCode: 'A1' }]);
    const region = await parseFileToFacts(fixture('region.csv', ['"ltla21_name","ltla21_code","region21_name","region21_code"', '"Hartlepool","E06000001","North East","E12000001"']));
    expect(region.facts.geographies).toEqual([
      { code: 'E06000001', kind: 'local_authority', name: 'Hartlepool', parentCode: 'E12000001' },
      { code: 'E12000001', kind: 'region', name: 'North East' },
    ]);
  });
});

describe('population', () => {
  it.each([
    ['Aged 15 years and under', '0-15', 0, 15],
    ['Aged 16 to 24 years', '16-24', 16, 24],
    ['Aged 65 years and over', '65+', 65, null],
    ['aged 4 years and under', '0-4', 0, 4],
  ])('%s is the band %s (%i to %s)', (label, expected, from, to) => {
    expect(ageBandOfLabel(label)).toEqual({ label: expected, from, to });
  });

  it('refuses an age group it cannot read', async () => {
    expect(ageBandOfLabel('Total')).toBeNull();
    expect(ageBandOfLabel('Aged 30 to 20 years')).toBeNull();
    const path = fixture('census-bad.csv.gz', ['"lsoa21_code","lsoa21_name","age_group","usual_residents"', '"E01000001","City of London 001A","All ages",1000']);
    await expect(parseFileToFacts(path)).rejects.toMatchObject({ message: expect.stringContaining('"All ages"') });
  });

  it('reads Census 2021 six-band counts and mid-2019 totals for every UK small area kind', async () => {
    const census = await parseFileToFacts(
      fixture('census.csv.gz', ['"lsoa21_code","lsoa21_name","age_group","usual_residents"', '"E01000001","City of London 001A","Aged 15 years and under",125', '"E01000001","City of London 001A","Aged 16 to 24 years",110']),
    );
    expect(census.facts.population.map((p) => [p.source, p.band.label, p.band.from, p.band.to, p.population])).toEqual([
      ['census2021', '0-15', 0, 15, 125],
      ['census2021', '16-24', 16, 24, 110],
    ]);
    const mid2019 = await parseFileToFacts(fixture('mid2019.csv', ['area_code,population_mid2019', 'E01011949,1954', 'S01006506,894', '95AA01S1,2011'], { crlf: true }));
    expect(mid2019.facts.population.map((p) => [p.areaCode, p.band.label, p.population])).toEqual([
      ['E01011949', 'all', 1954],
      ['S01006506', 'all', 894],
      ['95AA01S1', 'all', 2011],
    ]);
  });
});

describe('recognising a file by its header', () => {
  it('compares headers case-insensitively and ignores MHCLG explanatory suffixes', () => {
    expect(normaliseHeader('\uFEFFIndex of Multiple Deprivation (IMD) Rank (where 1 is most deprived)')).toBe('index of multiple deprivation (imd) rank');
    expect(normaliseHeader('  LSOA11CD ')).toBe('lsoa11cd');
  });

  it('chooses the layout that requires the most columns when several match', () => {
    // A file with both the MSOA and the sub-ICB lookup columns is the (more specific) sub-ICB lookup.
    const header = ['lsoa11_code', 'lsoa11_name', 'msoa11_code', 'msoa11_name', 'sicbl22_code', 'sicbl22_name', 'icb22_code', 'icb22_name', 'ltla22_code', 'ltla22_name'];
    expect(recogniseLayout(referenceLayouts, header)?.layout.id).toBe('lsoa11_sicbl22_icb22_ltla22');
  });

  it('names the file and says the header matches nothing', async () => {
    const path = fixture('mystery.csv', ['colour,size', 'red,1']);
    await expect(recogniseFile(path)).rejects.toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringMatching(/^mystery\.csv: the header \(colour, size\) matches no known/) });
  });

  it('says which columns are missing when the file is named like a known one', async () => {
    const path = fixture('wales_wimd2019_lsoa11.csv', ['lsoa11cd,lsoa11nm,wimd_rank', 'W01000240,Rhyl West 2,1']);
    await expect(recogniseFile(path)).rejects.toMatchObject({ message: expect.stringContaining('lacks the column(s) wimd2019_rank') });
  });

  it('every layout has a distinct id and at least one required column', () => {
    expect(new Set(referenceLayouts.map((layout) => layout.id)).size).toBe(referenceLayouts.length);
    for (const layout of referenceLayouts) expect(Object.values(layout.columns).some((spec) => !spec.optional)).toBe(true);
  });
});
