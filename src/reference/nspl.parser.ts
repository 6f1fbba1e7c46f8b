import { normalisePostcode } from './postcode.ts';
import { SMALL_AREA_CODE, column, defineLayout, optionalColumn, type DatasetDefinition } from './reference.layout.ts';

/**
 * ONS National Statistics Postcode Lookup (NSPL). Live and terminated postcodes are both loaded:
 * a person's postcode recorded years ago may since have been terminated, and NSPL still places
 * it in its small area. `lsoa11` holds the LSOA 2011 in England and Wales, the data zone 2011 in
 * Scotland and the SOA 2001 in Northern Ireland.
 */
export const nsplDataset: DatasetDefinition = {
  name: 'nspl',
  title: 'ONS National Statistics Postcode Lookup',
  postcodes: true,
};

/** ONS writes pseudo codes (E99999999, S99999999, L99999999...) where a postcode has no such area. */
const PSEUDO_CODE = /^[A-Z]9{8}$/;

const geography = (value: string | null): string | null => (value === null || PSEUDO_CODE.test(value) ? null : value);

/** The usual written form: upper case, one space before the inward code. */
const CANONICAL_POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$/;

export const nsplLayout = defineLayout({
  id: 'nspl',
  dataset: nsplDataset,
  fileName: 'NSPL_<MON>_<YEAR>_UK.csv (sample: nspl_nov2021_11_areas.csv.gz)',
  description: "ONS NSPL: pcds, dointr, doterm (blank when live), lsoa11, laua, rgn, ctry and other columns",
  columns: {
    postcode: column('pcds'),
    introduced: optionalColumn('dointr'),
    terminated: column('doterm'),
    area: column('lsoa11'),
    localAuthority: column('laua'),
    region: column('rgn'),
    country: column('ctry'),
  },
  parse(row, sink) {
    const written = row.text('postcode');
    const postcode = CANONICAL_POSTCODE.test(written) ? written : normalisePostcode(written);
    if (postcode === null) {
      // NSPL holds a few special postcodes outside the usual pattern; they cannot be typed by a
      // person as an address, so they are counted and left out rather than failing the import.
      sink.skip(row.row, `"${written}" is not in the usual UK postcode form`);
      return;
    }
    const area = geography(row.optionalText('area'));
    if (area !== null && !SMALL_AREA_CODE.test(area)) throw row.problem('area', 'is not an LSOA, data zone or SOA code', area);
    sink.postcode({
      postcode,
      areaCode: area,
      localAuthorityCode: geography(row.optionalText('localAuthority')),
      regionCode: geography(row.optionalText('region')),
      countryCode: geography(row.optionalText('country')),
      introduced: row.optionalCode('introduced', /^\d{6}$/, 'a year and month (YYYYMM)'),
      terminated: row.optionalCode('terminated', /^\d{6}$/, 'a year and month (YYYYMM)'),
    });
  },
});
