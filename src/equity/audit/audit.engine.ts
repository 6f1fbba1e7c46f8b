import { sql, type Kysely } from 'kysely';
import { readConsistently } from './consistent-read.ts';
import { dischargeOutcome, type DischargeOutcome } from '../../domain/codes.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Schema } from '../../store/schema.ts';
import { ageBands, dimensions, unknownGroups, type DimensionDefinition } from './audit.dimensions.ts';
import { zeroCounts, type AggregateDimension, type AggregateGroup, type AuditAggregates, type AuditRequest, type DimensionKey, type GroupCounts, type GroupKind } from './audit.model.ts';
import {
  catchmentOf,
  catchmentPopulation,
  countsByGroup,
  geographyNames,
  meaningfulChange,
  promChange,
  refreshReferralFacts,
  waitDistribution,
  type AuditScope,
  type Catchment,
  type CountRow,
  type PopulationRow,
  type PromRow,
  type WaitRow,
} from './audit.queries.ts';

/**
 * Runs the equity audit's SQL and assembles the raw aggregates for one service and period.
 * Everything is counted in the database (audit.queries.ts); this only arranges the few hundred
 * rows that come back. The result holds raw small counts: pass it to disclosure control before
 * showing it to anyone.
 */
export interface AuditRunOptions {
  now?: Date;
  /**
   * Run the audit's independent reads at once on separate connections sharing one snapshot
   * (PostgreSQL only; PGlite has one session and runs them in turn).
   */
  parallel?: boolean;
}

export async function auditAggregates(db: Kysely<Schema>, request: AuditRequest, options: AuditRunOptions = {}): Promise<AuditAggregates> {
  const now = options.now ?? new Date();
  const service = await db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select([
      'service.id',
      'service.code',
      'service.name',
      'service.nation',
      'service.icb_code',
      'service.local_authority_code',
      'organisation.name as organisationName',
    ])
    .where('service.id', '=', request.serviceId)
    .executeTakeFirst();
  if (!service) throw new RootsError('NOT_FOUND', { detail: `There is no service with id ${request.serviceId}.` });
  if (request.from > request.to) throw new RootsError('BAD_REQUEST', { detail: 'The audit period starts after it ends.' });

  const scope: AuditScope = { serviceId: service.id, from: request.from, to: request.to, asOf: request.asOf ?? request.to };
  const catchmentArea: Catchment = service.local_authority_code
    ? { kind: 'local_authority', code: service.local_authority_code }
    : service.icb_code
      ? { kind: 'icb', code: service.icb_code }
      : { kind: 'nation', code: service.nation };
  await refreshReferralFacts(db);
  const catchmentSql = await catchmentOf(db, catchmentArea);
  const { counts, waits, proms, populations } = await readConsistently(db, options.parallel ?? false, (reader) => ({
    counts: reader((q) => countsByGroup(q, scope, catchmentSql)),
    waits: reader((q) => waitDistribution(q, scope, catchmentSql)),
    proms: reader((q) => promChange(q, scope, catchmentSql)),
    populations: reader((q) => catchmentPopulation(q, catchmentSql)),
  }));
  const codes = [...new Set(counts.filter((row) => row.dimension === 'icb' || row.dimension === 'local_authority').map((row) => row.group))];
  const names = await geographyNames(db, [...codes, ...[service.icb_code, service.local_authority_code].filter((c): c is string => c !== null)]);
  const referenceLoaded = (await db.selectFrom('ref_deprivation').select('area_code').limit(1).execute()).length > 0;
  const ageBandsLoaded = populations.some((row) => row.dimension === 'age_band');

  const index = indexRows(counts, waits, proms, populations);
  const catchment = service.local_authority_code
    ? `local authority ${names.get(service.local_authority_code) ?? service.local_authority_code}`
    : service.icb_code
      ? `${names.get(service.icb_code) ?? service.icb_code}`
      : `all areas of ${({ E: 'England', W: 'Wales', S: 'Scotland', N: 'Northern Ireland' } as const)[service.nation]}`;

  const total = buildGroup(index, 'total', { code: 'all', label: 'All referrals' }, 'category', null);
  const built: AggregateDimension[] = dimensions.map((definition) => {
    const groups = groupsOf(definition, index, names).map(({ code, label, order }) =>
      buildGroup(index, definition.key, { code, label }, kindOf(code), order),
    );
    return {
      dimension: definition.key,
      label: definition.label,
      ordered: definition.ordered,
      additive: definition.key !== 'inclusion_group',
      groups,
      notes: notesFor(definition, referenceLoaded, ageBandsLoaded),
    };
  });

  return {
    service: { id: service.id, code: service.code, name: service.name, organisationName: service.organisationName, catchment },
    period: { from: scope.from, to: scope.to, asOf: scope.asOf },
    confidence: request.confidence ?? 0.95,
    generatedAt: now.toISOString(),
    sources: [
      'English Indices of Deprivation 2019 (MHCLG); Welsh Index of Multiple Deprivation 2019; Scottish Index of Multiple Deprivation 2020v2; Northern Ireland Multiple Deprivation Measure 2017 - each nation ranked on its own index',
      'Population: Census 2021 usual residents by age (ONS), apportioned from LSOA 2021 to LSOA 2011; mid-2019 small area population estimates (ONS, NRS, NISRA) where age bands are not available',
      'European Standard Population 2013 (Eurostat) for age standardisation',
    ],
    total,
    dimensions: built,
  };
}

type Key = `${DimensionKey | 'total'}|${string}`;
interface RowIndex {
  counts: Map<Key, CountRow>;
  countsByAge: Map<Key, Map<string, number>>;
  waits: Map<Key, WaitRow[]>;
  proms: Map<Key, PromRow[]>;
  population: Map<Key, number>;
  populationByAge: Map<Key, Map<string, number>>;
}

function indexRows(counts: CountRow[], waits: WaitRow[], proms: PromRow[], populations: PopulationRow[]): RowIndex {
  const index: RowIndex = { counts: new Map(), countsByAge: new Map(), waits: new Map(), proms: new Map(), population: new Map(), populationByAge: new Map() };
  const key = (dimension: string, group: string) => `${dimension}|${group}` as Key;
  for (const row of counts) {
    if (row.ageBand === null) index.counts.set(key(row.dimension, row.group), row);
    else {
      const byAge = index.countsByAge.get(key(row.dimension, row.group)) ?? new Map<string, number>();
      byAge.set(row.ageBand, Number(row.referrals_in_catchment));
      index.countsByAge.set(key(row.dimension, row.group), byAge);
    }
  }
  // The catchment's referrals by age band are the age_band dimension's in-catchment counts.
  const totalByAge = new Map<string, number>();
  for (const row of counts) if (row.dimension === 'age_band') totalByAge.set(row.group, Number(row.referrals_in_catchment));
  index.countsByAge.set(key('total', 'all'), totalByAge);
  for (const row of waits) {
    const list = index.waits.get(key(row.dimension, row.group)) ?? [];
    list.push(row);
    index.waits.set(key(row.dimension, row.group), list);
  }
  for (const row of proms) {
    const list = index.proms.get(key(row.dimension, row.group)) ?? [];
    list.push(row);
    index.proms.set(key(row.dimension, row.group), list);
  }
  const totalPopulationByAge = new Map<string, number>();
  for (const row of populations) {
    if (row.ageBand === null) {
      index.population.set(key(row.dimension, row.group), row.population);
      if (row.dimension === 'age_band') totalPopulationByAge.set(row.group, row.population);
    } else {
      const byAge = index.populationByAge.get(key(row.dimension, row.group)) ?? new Map<string, number>();
      byAge.set(row.ageBand, row.population);
      index.populationByAge.set(key(row.dimension, row.group), byAge);
    }
  }
  if (totalPopulationByAge.size > 0) index.populationByAge.set(key('total', 'all'), totalPopulationByAge);
  return index;
}

function countsOf(row: CountRow | undefined): GroupCounts {
  if (!row) return zeroCounts();
  const n = (value: unknown) => Number(value ?? 0);
  return {
    referrals: n(row.referrals),
    referralsInCatchment: n(row.referrals_in_catchment),
    triaged: n(row.triaged),
    priority: { P1: n(row.p1), P2: n(row.p2), P3: n(row.p3), P4: n(row.p4) },
    triageOutcome: {
      accept: n(row.accept),
      advice_discharge: n(row.advice_discharge),
      redirect: n(row.redirect),
      return_to_referrer: n(row.return_to_referrer),
    },
    episodes: n(row.episodes),
    seen: n(row.seen),
    stillWaiting: n(row.still_waiting),
    contactsAttended: n(row.attended),
    contactsDidNotAttend: n(row.did_not_attend),
    discharged: n(row.discharged),
    dischargeOutcomes: Object.fromEntries(dischargeOutcome.values.map((code) => [code, n(row[`out_${code}`])])) as Record<DischargeOutcome, number>,
  };
}

function buildGroup(
  index: RowIndex,
  dimension: DimensionKey | 'total',
  { code, label }: { code: string; label: string },
  kind: GroupKind,
  order: number | null,
): AggregateGroup {
  const key = `${dimension}|${code}` as Key;
  const populationByAge = index.populationByAge.get(key);
  const referralsByAge = index.countsByAge.get(key);
  const bandCodes = ageBands.map((band) => band.code);
  return {
    group: code,
    label,
    kind,
    order,
    counts: countsOf(index.counts.get(key)),
    population: index.population.get(key) ?? null,
    populationByAge: populationByAge ? Object.fromEntries(bandCodes.map((band) => [band, populationByAge.get(band) ?? 0])) : null,
    referralsByAge: populationByAge ? Object.fromEntries(bandCodes.map((band) => [band, referralsByAge?.get(band) ?? 0])) : null,
    waits: (index.waits.get(key) ?? []).map(({ days, seen, censored }) => ({ days, seen, censored })).sort((a, b) => a.days - b.days),
    proms: (index.proms.get(key) ?? []).map((row) => ({
      instrument: row.instrument,
      pairs: row.pairs,
      sumChange: row.sumChange,
      sumSquaredChange: row.sumSquaredChange,
      improved: row.improved,
      meaningfulChange: meaningfulChange[row.instrument].change,
    })),
  };
}

function kindOf(code: string): GroupKind {
  if (code === 'no_area') return 'no_area';
  if (code === 'unknown' || code === 'not_stated') return 'unknown';
  return 'category';
}

const languageNames = new Intl.DisplayNames(['en-GB'], { type: 'language' });

/**
 * The groups of a dimension in display order: its fixed categories (shown even when empty, so
 * a missing group is visible as a zero), then any other groups the data has (areas, languages,
 * outside the catchment), then the unknown and no-area groups.
 */
function groupsOf(definition: DimensionDefinition, index: RowIndex, names: Map<string, string>) {
  const seen = [...index.counts.keys()]
    .filter((key) => key.startsWith(`${definition.key}|`))
    .map((key) => key.slice(definition.key.length + 1));
  const fixed = definition.categories ?? [];
  const fixedCodes = new Set(fixed.map((c) => c.code));
  const special = ['unknown', 'not_stated', 'no_area'];
  const extra = seen
    .filter((code) => !fixedCodes.has(code) && !special.includes(code))
    .sort()
    .map((code) => ({ code, label: labelFor(definition.key, code, names), order: null as number | null }));
  const trailing = special
    .filter((code) => seen.includes(code) || code === 'unknown')
    .filter((code) => !(code === 'no_area' && !seen.includes(code)))
    .map((code) => ({ code, label: unknownGroups[code] ?? code, order: null as number | null }));
  return [...fixed.map((c) => ({ code: c.code, label: c.label, order: c.order ?? null })), ...extra, ...trailing];
}

function labelFor(dimension: DimensionKey, code: string, names: Map<string, string>): string {
  if (unknownGroups[code]) return unknownGroups[code]!;
  if (code === 'outside_catchment') return 'Outside the catchment';
  if (dimension === 'language') {
    try {
      return languageNames.of(code) ?? code;
    } catch {
      return code;
    }
  }
  if (dimension === 'inclusion_group' && code === 'none') return 'None recorded';
  return names.get(code) ?? code;
}

function notesFor(definition: DimensionDefinition, referenceLoaded: boolean, ageBandsLoaded: boolean): string[] {
  const notes: string[] = [];
  if (['imd_quintile', 'imd_decile', 'local_quintile', 'icb', 'local_authority'].includes(definition.key) && !referenceLoaded) {
    notes.push('No deprivation or geography reference data has been imported (roots reference import), so every area is unknown.');
  }
  if (definition.key === 'age_band' && !ageBandsLoaded) notes.push('No population by age is loaded, so rates by age are not shown.');
  if (!definition.hasPopulation) {
    notes.push(
      definition.key === 'ethnic_group' || definition.key === 'ethnicity'
        ? 'Population by ethnicity (Census 2021 TS021) is not in the reference pack, so rates by ethnicity are not shown: compare shares with the local population instead.'
        : 'There is no population denominator for this breakdown: counts and shares only.',
    );
  }
  if (definition.key === 'inclusion_group') notes.push('A person can belong to several inclusion health groups, so the groups do not add up to the total.');
  if (definition.key === 'local_quintile') notes.push('Local fifths divide the catchment\'s residents into five equal parts by national deprivation rank.');
  return notes;
}
