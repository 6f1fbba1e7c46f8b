import {
  GSS_CODE,
  LSOA_CODE,
  areaKindOfCode,
  column,
  defineLayout,
  optionalColumn,
  type DatasetDefinition,
} from './reference.layout.ts';

/**
 * ONS geography lookups (Open Geography Portal). The sample pack writes their headers in lower
 * case with '_code' / '_name'; the portal's own downloads use LSOA11CD, LSOA11NM..., which are
 * accepted too. Each lookup says something about small areas (ref_area_source) and names the
 * larger geographies (ref_geography_source).
 */

const NHS_CODE = /^[A-Z0-9]{3,5}$/;
const SUB_ICB_CODE = /^E38\d{6}$/;
const ICB_CODE = /^E54\d{6}$/;

const dataset = (name: string, title: string, extra: Partial<DatasetDefinition> = {}): DatasetDefinition => ({ name, title, ...extra });

export const lsoa11SubIcb22Dataset = dataset('lsoa11_sicbl22_icb22_ltla22', 'LSOA (2011) to sub-ICB location, ICB (2022) and local authority (2022)');
export const lsoa21Icb24Dataset = dataset('lsoa21_icb24', 'LSOA (2021) to sub-ICB location and ICB (2024)');
export const lsoaChangeDataset = dataset('lsoa11_lsoa21_ltla22', 'LSOA (2011) to LSOA (2021) to local authority (2022) best-fit lookup', { lsoaChanges: true });
export const lsoa11Msoa11Dataset = dataset('lsoa11_msoa11', 'LSOA (2011) to MSOA (2011), and data zone to intermediate zone');
export const ruralUrban11Dataset = dataset('ruc11_lsoa11', 'Rural-urban classification (2011) of LSOAs');
export const localAuthorityRegionDataset = dataset('ltla21_region21', 'Local authority (2021) to region (2021)');

export const lsoa11SubIcb22Layout = defineLayout({
  id: 'lsoa11_sicbl22_icb22_ltla22',
  dataset: lsoa11SubIcb22Dataset,
  fileName: 'lsoa11_sicbl22_icb22_ltla22.csv.gz',
  description: 'LSOA 2011 -> sub-ICB location (2022) -> ICB (2022) and local authority (2022), England',
  columns: {
    lsoa: column('lsoa11_code', 'LSOA11CD'),
    lsoaName: optionalColumn('lsoa11_name', 'LSOA11NM'),
    subIcb: column('sicbl22_code', 'SICBL22CD'),
    subIcbName: column('sicbl22_name', 'SICBL22NM'),
    subIcbNhs: optionalColumn('sicbl22_code_h', 'SICBL22CDH'),
    icb: column('icb22_code', 'ICB22CD'),
    icbName: column('icb22_name', 'ICB22NM'),
    icbNhs: optionalColumn('icb22_code_h', 'ICB22CDH'),
    la: column('ltla22_code', 'LAD22CD'),
    laName: column('ltla22_name', 'LAD22NM'),
  },
  parse(row, sink) {
    const code = row.code('lsoa', LSOA_CODE, 'an LSOA 2011 code');
    const subIcb = row.code('subIcb', SUB_ICB_CODE, 'a sub-ICB location code (E38...)');
    const icb = row.code('icb', ICB_CODE, 'an ICB code (E54...)');
    const la = row.code('la', GSS_CODE, 'a local authority code');
    sink.area({ kind: 'lsoa11', code, name: row.optionalText('lsoaName'), subIcbCode: subIcb, icbCode: icb, localAuthorityCode: la });
    sink.geography({ code: subIcb, kind: 'sub_icb', name: row.text('subIcbName'), nhsCode: row.optionalCode('subIcbNhs', NHS_CODE, 'an NHS code'), parentCode: icb });
    sink.geography({ code: icb, kind: 'icb', name: row.text('icbName'), nhsCode: row.optionalCode('icbNhs', NHS_CODE, 'an NHS code') });
    sink.geography({ code: la, kind: 'local_authority', name: row.text('laName') });
  },
});

export const lsoa21Icb24Layout = defineLayout({
  id: 'lsoa21_icb24',
  dataset: lsoa21Icb24Dataset,
  fileName: 'lsoa21_icb24.csv.gz',
  description: 'LSOA 2021 -> sub-ICB location (2024) -> ICB (2024), England',
  columns: {
    lsoa: column('lsoa21_code', 'LSOA21CD'),
    lsoaName: optionalColumn('lsoa21_name', 'LSOA21NM'),
    subIcb: column('sicbl24_code', 'SICBL24CD'),
    subIcbName: column('sicbl24_name', 'SICBL24NM'),
    subIcbNhs: optionalColumn('sicbl24_code_nhs', 'SICBL24CDH'),
    icb: column('icb24_code', 'ICB24CD'),
    icbName: column('icb24_name', 'ICB24NM'),
    icbNhs: optionalColumn('icb24_code_nhs', 'ICB24CDH'),
  },
  parse(row, sink) {
    const code = row.code('lsoa', LSOA_CODE, 'an LSOA 2021 code');
    const subIcb = row.code('subIcb', SUB_ICB_CODE, 'a sub-ICB location code (E38...)');
    const icb = row.code('icb', ICB_CODE, 'an ICB code (E54...)');
    sink.area({ kind: 'lsoa21', code, name: row.optionalText('lsoaName'), subIcbCode: subIcb, icbCode: icb });
    sink.geography({ code: subIcb, kind: 'sub_icb', name: row.text('subIcbName'), nhsCode: row.optionalCode('subIcbNhs', NHS_CODE, 'an NHS code'), parentCode: icb });
    sink.geography({ code: icb, kind: 'icb', name: row.text('icbName'), nhsCode: row.optionalCode('icbNhs', NHS_CODE, 'an NHS code') });
  },
});

export const lsoaChangeLayout = defineLayout({
  id: 'lsoa11_lsoa21_ltla22',
  dataset: lsoaChangeDataset,
  fileName: 'lsoa11_lsoa21_ltla22.csv.gz',
  description: 'LSOA 2011 <-> LSOA 2021 best fit with change codes U/S/M/X and local authority (2022), England and Wales',
  columns: {
    lsoa11: column('lsoa11_code', 'LSOA11CD'),
    lsoa11Name: optionalColumn('lsoa11_name', 'LSOA11NM'),
    change: column('change_code', 'CHGIND'),
    lsoa21: column('lsoa21_code', 'LSOA21CD'),
    lsoa21Name: optionalColumn('lsoa21_name', 'LSOA21NM'),
    la: optionalColumn('ltla22_code', 'LAD22CD'),
    laName: optionalColumn('ltla22_name', 'LAD22NM'),
  },
  parse(row, sink) {
    const lsoa11 = row.code('lsoa11', LSOA_CODE, 'an LSOA 2011 code');
    const lsoa21 = row.code('lsoa21', LSOA_CODE, 'an LSOA 2021 code');
    const change = row.code('change', /^[USMX]$/, 'a change code (U unchanged, S split, M merged, X irregular)') as 'U' | 'S' | 'M' | 'X';
    const la = row.optionalCode('la', GSS_CODE, 'a local authority code');
    sink.lsoaChange({ lsoa11Code: lsoa11, lsoa21Code: lsoa21, changeCode: change });
    sink.area({ kind: 'lsoa11', code: lsoa11, name: row.optionalText('lsoa11Name'), localAuthorityCode: la });
    sink.area({ kind: 'lsoa21', code: lsoa21, name: row.optionalText('lsoa21Name'), localAuthorityCode: la });
    const laName = row.optionalText('laName');
    if (la && laName) sink.geography({ code: la, kind: 'local_authority', name: laName });
  },
});

export const lsoa11Msoa11Layout = defineLayout({
  id: 'lsoa11_msoa11',
  dataset: lsoa11Msoa11Dataset,
  fileName: 'lsoa11_msoa11.csv.gz',
  description: 'LSOA 2011 -> MSOA 2011 (England and Wales) and data zone 2011 -> intermediate zone (Scotland)',
  columns: {
    area: column('lsoa11_code', 'LSOA11CD'),
    areaName: optionalColumn('lsoa11_name', 'LSOA11NM'),
    msoa: column('msoa11_code', 'MSOA11CD'),
    msoaName: column('msoa11_name', 'MSOA11NM'),
  },
  parse(row, sink) {
    const code = row.code('area', /^[EWS]01\d{6}$/, 'an LSOA 2011 or data zone code');
    const kind = areaKindOfCode(code, 'lsoa11');
    const msoa = row.code('msoa', /^[EWS]02\d{6}$/, 'an MSOA or intermediate zone code');
    sink.area({ kind, code, name: row.optionalText('areaName'), msoaCode: msoa });
    sink.geography({ code: msoa, kind: kind === 'datazone11' ? 'intermediate_zone' : 'msoa', name: row.text('msoaName') });
  },
});

export const ruralUrban11Layout = defineLayout({
  id: 'ruc11_lsoa11',
  dataset: ruralUrban11Dataset,
  fileName: 'ruc11_lsoa11.csv.gz',
  description: 'Rural-urban classification 2011 per LSOA 2011 (A1 ... E2), England and Wales',
  columns: {
    lsoa: column('lsoa11_code', 'LSOA11CD'),
    ruc: column('ruc11_code', 'RUC11CD'),
    urbanRural: optionalColumn('ruc'),
    classification: optionalColumn('classification', 'RUC11'),
  },
  parse(row, sink) {
    sink.area({ kind: 'lsoa11', code: row.code('lsoa', LSOA_CODE, 'an LSOA 2011 code'), ruralUrbanCode: row.code('ruc', /^[A-F][12]$/, 'a 2011 rural-urban code (A1 to F2)') });
  },
});

export const localAuthorityRegionLayout = defineLayout({
  id: 'ltla21_region21',
  dataset: localAuthorityRegionDataset,
  fileName: 'ltla21_region21.csv',
  description: 'Local authority (lower tier, 2021) -> region (2021), England',
  columns: {
    la: column('ltla21_code', 'LAD21CD'),
    laName: column('ltla21_name', 'LAD21NM'),
    region: column('region21_code', 'RGN21CD'),
    regionName: column('region21_name', 'RGN21NM'),
  },
  parse(row, sink) {
    const region = row.code('region', /^E12\d{6}$/, 'a region code (E12...)');
    sink.geography({ code: row.code('la', GSS_CODE, 'a local authority code'), kind: 'local_authority', name: row.text('laName'), parentCode: region });
    sink.geography({ code: region, kind: 'region', name: row.text('regionName') });
  },
});

export const lookupLayouts = [
  lsoa11SubIcb22Layout,
  lsoa21Icb24Layout,
  lsoaChangeLayout,
  lsoa11Msoa11Layout,
  ruralUrban11Layout,
  localAuthorityRegionLayout,
];
