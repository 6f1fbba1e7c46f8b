/**
 * The equity audit as a table of counts with the exact identities an output reader could use
 * to work out a hidden count ("families": total = sum of parts). suppression.ts decides what to
 * hide from this table; audit.disclosure.ts reads the decisions back by address.
 *
 * Cells, for the total and for every group of every dimension: each count in `GroupCounts`
 * (priorities, triage outcomes and discharge outcomes one by one), PROM pairs and people improved
 * for every instrument, and referrals of catchment residents by age band where the group has
 * them (those are not printed, but a standardised rate computed from them reveals them). One more
 * cell per dimension: its referrals in unknown, not stated and no-area groups.
 *
 * Families (the identities; see docs/disclosure-control.md):
 *  A. For each additive dimension and each count: the groups (unknown and no-area groups
 *     included) add up to the total row.
 *  B. For each row: the four triage outcomes add up to `triaged` (every triage has an outcome).
 *  C. For each dimension: the unknown / not stated / no-area groups' referrals add up to the
 *     dimension's `unknownReferrals`.
 *  D. For each additive dimension with age-band counts and each age band: the groups' referrals of
 *     catchment residents in the band add up to the total's, which is the age-band dimension's
 *     count for that band (a one-part family ties the two together).
 *  E. For each local deprivation fifth: every referral in it lives in the catchment, so
 *     `referrals` and `referralsInCatchment` are the same number (a one-part family).
 *
 * Not identities, so not families: priorities add up to at most `triaged` (a triage that does not
 * accept may have no priority); seen + still waiting is at most `episodes` (people can leave the
 * list unseen); discharge outcomes are not exclusive; groups of inclusion health (a person can be in
 * several) do not add up to the total.
 */
import { dischargeOutcome, outcomeInstrument, type OutcomeInstrument } from '../../domain/codes.ts';
import { ageBands } from './audit.dimensions.ts';
import type { AggregateGroup, AuditAggregates, GroupCounts } from './audit.model.ts';
import type { Family } from '../../disclosure/suppression.ts';

/** Every count of a row, by name, in a fixed order. */
export const countFields = [
  'referrals',
  'referralsInCatchment',
  'triaged',
  'priority.P1',
  'priority.P2',
  'priority.P3',
  'priority.P4',
  'triageOutcome.accept',
  'triageOutcome.advice_discharge',
  'triageOutcome.redirect',
  'triageOutcome.return_to_referrer',
  'episodes',
  'seen',
  'stillWaiting',
  'contactsAttended',
  'contactsDidNotAttend',
  'discharged',
  ...dischargeOutcome.values.map((code) => `dischargeOutcomes.${code}` as const),
] as const;
export type CountField = (typeof countFields)[number];

export const triageOutcomeFields = [
  'triageOutcome.accept',
  'triageOutcome.advice_discharge',
  'triageOutcome.redirect',
  'triageOutcome.return_to_referrer',
] as const satisfies readonly CountField[];

/** Reads one count of a row by its dotted name. */
export function countOf(counts: GroupCounts, field: CountField): number {
  const [head, tail] = field.split('.') as [string, string | undefined];
  const value = tail === undefined ? (counts as unknown as Record<string, number>)[head] : (counts as unknown as Record<string, Record<string, number>>)[head]?.[tail];
  return value ?? 0;
}

/** Where a row is: the total, or group `group` (index) of dimension `dimension` (index). */
export type RowAddress = { dimension: null } | { dimension: number; group: number };

export interface AuditCells {
  values: number[];
  families: Family[];
  /** Cell of a count of a row. */
  count(row: RowAddress, field: CountField): number;
  /** Cells of PROM pairs and people improved for an instrument in a row. */
  prom(row: RowAddress, instrument: OutcomeInstrument): { pairs: number; improved: number };
  /** Cells of a row's referrals of catchment residents by age band, in `ageBands` order; null when the row has none. */
  byAge(row: RowAddress): number[] | null;
  /** Cell of a dimension's referrals in unknown / not stated / no-area groups. */
  unknownReferrals(dimension: number): number;
  /** The PROM instruments that appear anywhere in the audit, in the code list's order. */
  instruments: OutcomeInstrument[];
  /** Each instrument's meaningful change, from the first row that has it. */
  meaningfulChange: Map<string, number>;
  /** A readable name for a cell (tests and explanations). */
  describe(cell: number): string;
}

const isUnknownKind = (group: AggregateGroup) => group.kind === 'unknown' || group.kind === 'no_area';

export function auditCells(aggregates: AuditAggregates): AuditCells {
  const values: number[] = [];
  const names: string[] = [];
  const families: Family[] = [];
  const add = (value: number, name: string): number => {
    values.push(value);
    names.push(name);
    return values.length - 1;
  };

  const present = new Set<OutcomeInstrument>();
  const meaningfulChange = new Map<string, number>();
  for (const group of [aggregates.total, ...aggregates.dimensions.flatMap((d) => d.groups)]) {
    for (const p of group.proms) {
      present.add(p.instrument);
      if (!meaningfulChange.has(p.instrument)) meaningfulChange.set(p.instrument, p.meaningfulChange);
    }
  }
  const instruments = outcomeInstrument.values.filter((code) => present.has(code));

  interface RowCells {
    counts: Map<CountField, number>;
    proms: Map<OutcomeInstrument, { pairs: number; improved: number }>;
    byAge: number[] | null;
  }
  const rowCells = (group: AggregateGroup, name: string): RowCells => {
    const counts = new Map(countFields.map((field) => [field, add(countOf(group.counts, field), `${name} ${field}`)]));
    const proms = new Map(
      instruments.map((instrument) => {
        const sums = group.proms.find((p) => p.instrument === instrument);
        return [instrument, { pairs: add(sums?.pairs ?? 0, `${name} ${instrument} pairs`), improved: add(sums?.improved ?? 0, `${name} ${instrument} improved`) }];
      }),
    );
    const byAge = group.referralsByAge
      ? ageBands.map((band) => add(group.referralsByAge![band.code] ?? 0, `${name} referrals in catchment aged ${band.code}`))
      : null;
    return { counts, proms, byAge };
  };

  const total = rowCells(aggregates.total, 'total');
  const rows = aggregates.dimensions.map((dimension) => dimension.groups.map((group) => rowCells(group, `${dimension.dimension}=${group.group}`)));
  const unknown = aggregates.dimensions.map((dimension) =>
    add(dimension.groups.filter(isUnknownKind).reduce((n, g) => n + g.counts.referrals, 0), `${dimension.dimension} unknown referrals`),
  );

  const rowOf = (row: RowAddress): RowCells => (row.dimension === null ? total : rows[row.dimension]![row.group]!);

  // B: the four triage outcomes add up to triaged, in every row.
  for (const [name, cells] of [['total', total] as const, ...rows.flatMap((groups, d) => groups.map((cells, g) => [`${aggregates.dimensions[d]!.dimension}=${aggregates.dimensions[d]!.groups[g]!.group}`, cells] as const))]) {
    families.push({ total: cells.counts.get('triaged')!, parts: triageOutcomeFields.map((f) => cells.counts.get(f)!), label: `${name}: triage outcomes add up to triaged` });
  }

  const ageBandDimension = aggregates.dimensions.findIndex((d) => d.dimension === 'age_band');
  const totalBandCell = (b: number): number | null => {
    if (total.byAge) return total.byAge[b]!;
    if (ageBandDimension < 0) return null;
    const g = aggregates.dimensions[ageBandDimension]!.groups.findIndex((group) => group.group === ageBands[b]!.code);
    return g < 0 ? null : rows[ageBandDimension]![g]!.counts.get('referralsInCatchment')!;
  };

  for (const [d, dimension] of aggregates.dimensions.entries()) {
    const groups = rows[d]!;
    if (dimension.additive) {
      // A: groups add up to the total, count by count.
      for (const field of countFields) {
        families.push({ total: total.counts.get(field)!, parts: groups.map((cells) => cells.counts.get(field)!), label: `${dimension.dimension}: ${field} adds up to the total` });
      }
      for (const instrument of instruments) {
        for (const which of ['pairs', 'improved'] as const) {
          families.push({
            total: total.proms.get(instrument)![which],
            parts: groups.map((cells) => cells.proms.get(instrument)![which]),
            label: `${dimension.dimension}: ${instrument} ${which} adds up to the total`,
          });
        }
      }
      // D: age-band counts add up to the catchment's, band by band.
      const withAge = groups.filter((cells) => cells.byAge !== null);
      if (withAge.length > 0) {
        for (const [b, band] of ageBands.entries()) {
          const bandTotal = totalBandCell(b);
          if (bandTotal === null) continue;
          families.push({ total: bandTotal, parts: withAge.map((cells) => cells.byAge![b]!), label: `${dimension.dimension}: referrals aged ${band.code} add up to the catchment's` });
        }
      }
    }
    // C: the unknown groups add up to the dimension's unknown referrals.
    families.push({
      total: unknown[d]!,
      parts: dimension.groups.flatMap((group, g) => (isUnknownKind(group) ? [groups[g]!.counts.get('referrals')!] : [])),
      label: `${dimension.dimension}: unknown groups add up to unknown referrals`,
    });
    // E: a local deprivation fifth holds catchment residents only.
    if (dimension.dimension === 'local_quintile') {
      for (const [g, group] of dimension.groups.entries()) {
        if (group.kind !== 'category' || group.order === null) continue;
        families.push({
          total: groups[g]!.counts.get('referrals')!,
          parts: [groups[g]!.counts.get('referralsInCatchment')!],
          label: `local_quintile=${group.group}: every referral lives in the catchment`,
        });
      }
    }
  }
  // D (tie): the catchment's referrals in each age band are the age-band dimension's counts.
  if (total.byAge && ageBandDimension >= 0) {
    for (const [b, band] of ageBands.entries()) {
      const g = aggregates.dimensions[ageBandDimension]!.groups.findIndex((group) => group.group === band.code);
      if (g < 0) continue;
      families.push({
        total: total.byAge[b]!,
        parts: [rows[ageBandDimension]![g]!.counts.get('referralsInCatchment')!],
        label: `referrals aged ${band.code} in the catchment are the age band's`,
      });
    }
  }

  return {
    values,
    families,
    count: (row, field) => rowOf(row).counts.get(field)!,
    prom: (row, instrument) => {
      const cells = rowOf(row).proms.get(instrument);
      if (!cells) throw new Error(`no PROM cells for ${instrument}`);
      return cells;
    },
    byAge: (row) => rowOf(row).byAge,
    unknownReferrals: (d) => unknown[d]!,
    instruments,
    meaningfulChange,
    describe: (cell) => names[cell] ?? `cell ${cell}`,
  };
}
