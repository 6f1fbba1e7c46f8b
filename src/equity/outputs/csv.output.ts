/**
 * The audit as one tidy CSV table: one row per figure, with columns
 *
 *   dimension, dimension_label, group, label, kind, metric, value, lower, upper, method, shown
 *
 * `value` is blank when a figure is not shown, and `shown` says why: "yes", "suppressed" (a count
 * hidden by disclosure control) or "withheld" (a statistic not given because its group is too
 * small, or because its count is hidden). Rows with dimension "total" are the whole service; rows
 * with group "" are about the dimension (unknown share, inequality summaries); rows with dimension
 * "about" carry the service, period, disclosure rule, licence and attribution in `label`.
 *
 * Safe to open in a spreadsheet: text cells starting with =, +, -, @, a tab or a carriage return
 * are prefixed with an apostrophe so they cannot run as formulas (OWASP CSV injection; the one
 * neutraliser and quoting are in `reports/csv.ts`, shared with the import error report). Numbers
 * are written by Roots itself (digits, a point, a minus sign) and are left as numbers, so a
 * negative slope index stays numeric. UTF-8 with a byte-order mark, so Excel reads Welsh letters.
 */
import type { DisclosedAudit, DisclosedCount, DisclosedGroup, Estimate } from '../audit/audit.model.ts';
import { OGL_V3, REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { toCsvText } from '../../reports/csv.ts';
import { projectAudit } from './audit.projection.ts';

export const CSV_COLUMNS = ['dimension', 'dimension_label', 'group', 'label', 'kind', 'metric', 'value', 'lower', 'upper', 'method', 'shown'] as const;
type Column = (typeof CSV_COLUMNS)[number];
type Row = Record<Column, string | number | null>;


interface Where {
  dimension: string;
  dimensionLabel: string;
  group: string;
  label: string;
  kind: string;
}

function countRow(where: Where, metric: string, value: DisclosedCount, method: string): Row {
  return {
    dimension: where.dimension,
    dimension_label: where.dimensionLabel,
    group: where.group,
    label: where.label,
    kind: where.kind,
    metric,
    value,
    lower: null,
    upper: null,
    method,
    shown: value === null ? 'suppressed' : 'yes',
  };
}

function estimateRow(where: Where, metric: string, estimate: Estimate | null): Row {
  return {
    dimension: where.dimension,
    dimension_label: where.dimensionLabel,
    group: where.group,
    label: where.label,
    kind: where.kind,
    metric,
    value: estimate?.value ?? null,
    lower: estimate?.lower ?? null,
    upper: estimate?.upper ?? null,
    method: estimate?.method ?? '',
    shown: estimate === null ? 'withheld' : 'yes',
  };
}

function groupRows(where: Where, group: DisclosedGroup, countMethod: string): Row[] {
  const c = group.counts;
  const rows: Row[] = [
    countRow(where, 'referrals', c.referrals, countMethod),
    countRow(where, 'referrals_in_catchment', c.referralsInCatchment, countMethod),
    countRow(where, 'triaged', c.triaged, countMethod),
    ...Object.entries(c.priority).map(([p, v]) => countRow(where, `priority_${p}`, v, countMethod)),
    ...Object.entries(c.triageOutcome).map(([o, v]) => countRow(where, `triage_${o}`, v, countMethod)),
    countRow(where, 'episodes', c.episodes, countMethod),
    countRow(where, 'seen', c.seen, countMethod),
    countRow(where, 'still_waiting', c.stillWaiting, countMethod),
    countRow(where, 'contacts_attended', c.contactsAttended, countMethod),
    countRow(where, 'contacts_did_not_attend', c.contactsDidNotAttend, countMethod),
    countRow(where, 'discharged', c.discharged, countMethod),
    ...Object.entries(c.dischargeOutcomes).map(([o, v]) => countRow(where, `discharge_${o}`, v, countMethod)),
  ];
  if (group.population !== null) {
    rows.push({ ...countRow(where, 'population', group.population, 'reference data, as published'), shown: 'yes' });
    rows.push(estimateRow(where, 'rate_per_1000', group.ratePer1000));
    rows.push(estimateRow(where, 'standardised_rate_per_1000', group.standardisedRatePer1000));
    rows.push(estimateRow(where, 'access_ratio', group.accessRatio));
    if (group.accessRatio) {
      rows.push({ ...countRow(where, 'access_observed', group.accessRatio.observed, countMethod), shown: 'yes' });
      rows.push({ ...countRow(where, 'access_expected', group.accessRatio.expected, 'expected from the service-wide referral rate at each age'), shown: 'yes' });
    }
  }
  rows.push(estimateRow(where, 'did_not_attend_rate', group.didNotAttendRate));
  rows.push(estimateRow(where, 'wait_median_weeks', group.waits.medianWeeks));
  rows.push(estimateRow(where, 'wait_p90_weeks', group.waits.p90Weeks));
  rows.push(estimateRow(where, 'wait_share_over_6_weeks', group.waits.over6Weeks));
  rows.push(estimateRow(where, 'wait_share_over_18_weeks', group.waits.over18Weeks));
  rows.push(estimateRow(where, 'wait_share_over_52_weeks', group.waits.over52Weeks));
  for (const prom of group.proms) {
    const name = prom.instrument.toLowerCase();
    rows.push(countRow(where, `${name}_pairs`, prom.pairs, countMethod));
    rows.push(countRow(where, `${name}_improved`, prom.improved, countMethod));
    rows.push(estimateRow(where, `${name}_improved_share`, prom.improvedShare));
    rows.push(estimateRow(where, `${name}_mean_change`, prom.meanChange));
  }
  return rows;
}

/** The tidy rows of the CSV (exported for the XLSX workbook and tests). */
export function tidyRows(audit: DisclosedAudit): Row[] {
  const projected = projectAudit(audit);
  const countMethod = `count after disclosure control: ${projected.disclosure.description}`;
  const about = (metric: string, label: string): Row => ({
    dimension: 'about',
    dimension_label: '',
    group: '',
    label,
    kind: '',
    metric,
    value: null,
    lower: null,
    upper: null,
    method: '',
    shown: 'yes',
  });
  const rows: Row[] = [
    about('service', `${projected.service.name} (${projected.service.organisationName})`),
    about('period', `${projected.period.from} to ${projected.period.to}, waits to ${projected.period.asOf}`),
    about('confidence', String(projected.confidence)),
    about('disclosure_rule', projected.disclosure.description),
    about('licence', `${OGL_V3.name} ${OGL_V3.url}`),
    ...REFERENCE_ATTRIBUTION.split('\n').map((line) => about('attribution', line)),
    ...projected.sources.map((source) => about('source', source)),
  ];
  rows.push(...groupRows({ dimension: 'total', dimensionLabel: 'All referrals', group: 'total', label: projected.total.label, kind: 'total' }, projected.total, countMethod));
  for (const d of projected.dimensions) {
    for (const g of d.groups) {
      rows.push(...groupRows({ dimension: d.dimension, dimensionLabel: d.label, group: g.group, label: g.label, kind: g.kind }, g, countMethod));
    }
    const whole: Where = { dimension: d.dimension, dimensionLabel: d.label, group: '', label: '', kind: '' };
    rows.push(countRow(whole, 'unknown_referrals', d.unknownReferrals, countMethod));
    rows.push({ ...countRow(whole, 'unknown_share', d.unknownShare, 'share of all referrals, from disclosed counts'), shown: d.unknownShare === null ? 'withheld' : 'yes' });
    if (d.inequality) {
      rows.push(estimateRow(whole, 'rate_ratio_most_to_least_deprived', d.inequality.rateRatio));
      rows.push(estimateRow(whole, 'sii_rate_per_1000', d.inequality.sii));
      rows.push(estimateRow(whole, 'rii_phe', d.inequality.rii));
    }
  }
  return rows;
}

export function toCsv(audit: DisclosedAudit): string {
  return toCsvText([CSV_COLUMNS, ...tidyRows(audit).map((row) => CSV_COLUMNS.map((column) => row[column]))], { bom: true, crlf: true });
}
