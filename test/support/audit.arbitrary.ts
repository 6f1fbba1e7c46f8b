/**
 * Test support: random `AuditAggregates` with the shapes the audit engine produces, for property
 * tests of disclosure control and of the outputs built on it.
 *
 * The generator draws referral records (each standing for 1 to a few hundred identical people, so
 * tables mix counts of 1-7 with large ones) and adds them up the way audit.engine.ts's SQL does,
 * so every identity the engine guarantees holds here too: groups of an additive dimension add up
 * to the total, triage outcomes to `triaged`, local deprivation fifths hold catchment residents
 * only, age-band counts add up across groups, waits and PROM sums agree with the counts.
 */
import fc from 'fast-check';
import { dischargeOutcome, type DischargeOutcome, type OutcomeInstrument } from '../../src/domain/codes.ts';
import { ageBands } from '../../src/equity/audit/audit.dimensions.ts';
import { zeroCounts, type AggregateDimension, type AggregateGroup, type AuditAggregates, type DimensionKey, type GroupCounts, type GroupKind } from '../../src/equity/audit/audit.model.ts';
import { checkDisclosureRule, type DisclosureRule } from '../../src/disclosure/disclosure.ts';

type Area =
  | { kind: 'catchment'; decile: number; localQuintile: number }
  | { kind: 'outside'; decile: number }
  | { kind: 'unknown' }
  | { kind: 'no_area' };

const triageOutcomes = ['accept', 'advice_discharge', 'redirect', 'return_to_referrer'] as const;
const priorities = ['P1', 'P2', 'P3', 'P4'] as const;
const instruments = ['SWEMWBS', 'GAS'] as const satisfies readonly OutcomeInstrument[];
const meaningful: Record<(typeof instruments)[number], number> = { SWEMWBS: 3, GAS: 10 };

export interface ReferralRecord {
  /** How many identical people this record stands for. */
  weight: number;
  area: Area;
  /** Index into ageBands, or null for an unknown date of birth. */
  ageBand: number | null;
  sex: '1' | '2' | null;
  ethnicGroup: 'white' | 'mixed' | 'asian' | 'black' | 'other' | 'not_stated' | null;
  inclusion: ('homeless' | 'carer' | 'asylum_seeker')[];
  triage: null | {
    outcome: (typeof triageOutcomes)[number];
    priority: (typeof priorities)[number] | null;
    pathway: 'mental_health' | 'frailty_falls';
  };
  episode: null | {
    seen: boolean;
    stillWaiting: boolean;
    waitDays: number;
    attended: number;
    didNotAttend: number;
    discharged: boolean;
    outcomes: DischargeOutcome[];
    prom: null | { instrument: (typeof instruments)[number]; change: number };
  };
}

const weight = fc.oneof(
  { weight: 6, arbitrary: fc.constant(1) },
  { weight: 3, arbitrary: fc.integer({ min: 2, max: 7 }) },
  { weight: 2, arbitrary: fc.integer({ min: 8, max: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 61, max: 500 }) },
);

const area: fc.Arbitrary<Area> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('catchment' as const), decile: fc.integer({ min: 1, max: 10 }), localQuintile: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outside' as const), decile: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'no_area' as const }) },
);

const episode = fc.record({
  seen: fc.boolean(),
  stillWaiting: fc.boolean(),
  waitDays: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 420 })),
  attended: fc.integer({ min: 0, max: 6 }),
  didNotAttend: fc.integer({ min: 0, max: 3 }),
  discharged: fc.boolean(),
  outcomes: fc.subarray([...dischargeOutcome.values]),
  prom: fc.option(fc.record({ instrument: fc.constantFrom(...instruments), change: fc.integer({ min: -8, max: 20 }) }), { nil: null }),
});

export const referralRecord: fc.Arbitrary<ReferralRecord> = fc
  .record({
    weight,
    area,
    ageBand: fc.option(fc.integer({ min: 0, max: ageBands.length - 1 }), { nil: null, freq: 8 }),
    sex: fc.option(fc.constantFrom('1' as const, '2' as const), { nil: null, freq: 8 }),
    ethnicGroup: fc.option(fc.constantFrom('white' as const, 'mixed' as const, 'asian' as const, 'black' as const, 'other' as const, 'not_stated' as const), { nil: null, freq: 5 }),
    inclusion: fc.subarray(['homeless', 'carer', 'asylum_seeker'] as ('homeless' | 'carer' | 'asylum_seeker')[], { maxLength: 2 }),
    triage: fc.option(
      fc.record({
        outcome: fc.constantFrom(...triageOutcomes),
        priority: fc.option(fc.constantFrom(...priorities), { nil: null, freq: 3 }),
        pathway: fc.constantFrom('mental_health' as const, 'frailty_falls' as const),
      }),
      { nil: null, freq: 6 },
    ),
    episode: fc.option(episode, { nil: null, freq: 2 }),
  })
  .map((r) => {
    // As the schema requires: an accepted triage has a priority, and episodes follow acceptance.
    const triage = r.triage && r.triage.outcome === 'accept' && r.triage.priority === null ? { ...r.triage, priority: 'P3' as const } : r.triage;
    const accepted = triage?.outcome === 'accept';
    const ep = accepted ? r.episode : null;
    return {
      ...r,
      triage,
      episode: ep && {
        ...ep,
        stillWaiting: !ep.seen && ep.stillWaiting,
        attended: ep.seen ? ep.attended : 0,
        discharged: ep.seen && ep.discharged,
        outcomes: ep.seen && ep.discharged ? ep.outcomes : [],
        prom: ep.seen ? ep.prom : null,
      },
    };
  });

export interface PopulationOptions {
  /** Population by age band per local fifth (the catchment) and per national decile; null when age bands are not loaded. */
  byLocalQuintile: number[][] | null;
  byDecile: number[][] | null;
}

const bandPopulations = fc.array(fc.integer({ min: 50, max: 20_000 }), { minLength: ageBands.length, maxLength: ageBands.length });
export const populationOptions: fc.Arbitrary<PopulationOptions> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ byLocalQuintile: fc.array(bandPopulations, { minLength: 5, maxLength: 5 }), byDecile: fc.array(bandPopulations, { minLength: 10, maxLength: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ byLocalQuintile: null, byDecile: null }) },
);

interface GroupSpec {
  code: string;
  label: string;
  kind: GroupKind;
  order: number | null;
  /** Population by age band, for groups with a denominator. */
  populationByAge: number[] | null;
}

interface DimensionSpec {
  key: DimensionKey;
  ordered: boolean;
  additive: boolean;
  groups: GroupSpec[];
  /** The groups a record falls in (one for additive dimensions). */
  of(record: ReferralRecord): string[];
}

const category = (code: string, order: number | null = null, populationByAge: number[] | null = null): GroupSpec => ({ code, label: code, kind: 'category', order, populationByAge });
const unknownGroup: GroupSpec = { code: 'unknown', label: 'Not known', kind: 'unknown', order: null, populationByAge: null };
const noAreaGroup: GroupSpec = { code: 'no_area', label: 'No fixed address (no area)', kind: 'no_area', order: null, populationByAge: null };

const areaGroup = (record: ReferralRecord, known: (a: Extract<Area, { decile: number }>) => string): string =>
  record.area.kind === 'unknown' ? 'unknown' : record.area.kind === 'no_area' ? 'no_area' : known(record.area);

const sumBands = (rows: number[][]): number[] => ageBands.map((_, b) => rows.reduce((s, row) => s + row[b]!, 0));

function dimensionSpecs(populations: PopulationOptions): DimensionSpec[] {
  const decilePopulation = (d: number) => populations.byDecile?.[d - 1] ?? null;
  const quintilePopulation = (q: number) => (populations.byDecile ? sumBands([populations.byDecile[2 * q - 2]!, populations.byDecile[2 * q - 1]!]) : null);
  return [
    {
      key: 'imd_quintile',
      ordered: true,
      additive: true,
      groups: [...[1, 2, 3, 4, 5].map((q) => category(String(q), q, quintilePopulation(q))), unknownGroup, noAreaGroup],
      of: (r) => [areaGroup(r, (a) => String(Math.ceil(a.decile / 2)))],
    },
    {
      key: 'imd_decile',
      ordered: true,
      additive: true,
      groups: [...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => category(String(d), d, decilePopulation(d))), unknownGroup, noAreaGroup],
      of: (r) => [areaGroup(r, (a) => String(a.decile))],
    },
    {
      key: 'local_quintile',
      ordered: true,
      additive: true,
      groups: [...[1, 2, 3, 4, 5].map((q) => category(String(q), q, populations.byLocalQuintile?.[q - 1] ?? null)), category('outside_catchment'), unknownGroup, noAreaGroup],
      of: (r) => [areaGroup(r, (a) => (a.kind === 'catchment' ? String(a.localQuintile) : 'outside_catchment'))],
    },
    {
      key: 'age_band',
      ordered: false,
      additive: true,
      groups: [...ageBands.map((band) => category(band.code)), unknownGroup],
      of: (r) => [r.ageBand === null ? 'unknown' : ageBands[r.ageBand]!.code],
    },
    { key: 'sex', ordered: false, additive: true, groups: [category('1'), category('2'), unknownGroup], of: (r) => [r.sex ?? 'unknown'] },
    {
      key: 'ethnic_group',
      ordered: false,
      additive: true,
      groups: [...['white', 'mixed', 'asian', 'black', 'other'].map((c) => category(c)), { ...unknownGroup, code: 'not_stated', label: 'Not stated' }, unknownGroup],
      of: (r) => [r.ethnicGroup ?? 'unknown'],
    },
    {
      key: 'inclusion_group',
      ordered: false,
      additive: false,
      groups: [category('homeless'), category('carer'), category('asylum_seeker'), category('none')],
      of: (r) => (r.inclusion.length === 0 ? ['none'] : r.inclusion),
    },
    {
      key: 'pathway',
      ordered: false,
      additive: true,
      groups: [category('mental_health'), category('frailty_falls'), category('not_triaged')],
      of: (r) => [r.triage?.pathway ?? 'not_triaged'],
    },
  ];
}

/** Adds records up into one group, as the engine's SQL does. */
function buildGroup(records: readonly ReferralRecord[], spec: Omit<GroupSpec, 'populationByAge'> & { populationByAge: number[] | null }): AggregateGroup {
  const counts = zeroCounts();
  const waits = new Map<number, { seen: number; censored: number }>();
  const proms = new Map<string, { pairs: number; sum: number; sumSq: number; improved: number }>();
  const referralsByAge = ageBands.map(() => 0);
  for (const r of records) {
    const w = r.weight;
    const inCatchment = r.area.kind === 'catchment';
    counts.referrals += w;
    if (inCatchment) {
      counts.referralsInCatchment += w;
      if (r.ageBand !== null) referralsByAge[r.ageBand]! += w;
    }
    if (r.triage) {
      counts.triaged += w;
      counts.triageOutcome[r.triage.outcome] += w;
      if (r.triage.priority) counts.priority[r.triage.priority] += w;
    }
    const e = r.episode;
    if (e) {
      counts.episodes += w;
      if (e.seen) counts.seen += w;
      if (e.stillWaiting) counts.stillWaiting += w;
      counts.contactsAttended += w * e.attended;
      counts.contactsDidNotAttend += w * e.didNotAttend;
      if (e.discharged) {
        counts.discharged += w;
        for (const outcome of e.outcomes) counts.dischargeOutcomes[outcome] += w;
      }
      const at = waits.get(e.waitDays) ?? { seen: 0, censored: 0 };
      if (e.seen) at.seen += w;
      else at.censored += w;
      waits.set(e.waitDays, at);
      if (e.prom) {
        const p = proms.get(e.prom.instrument) ?? { pairs: 0, sum: 0, sumSq: 0, improved: 0 };
        p.pairs += w;
        p.sum += w * e.prom.change;
        p.sumSq += w * e.prom.change * e.prom.change;
        if (e.prom.change >= meaningful[e.prom.instrument]) p.improved += w;
        proms.set(e.prom.instrument, p);
      }
    }
  }
  const populationByAge = spec.populationByAge ? Object.fromEntries(ageBands.map((band, b) => [band.code, spec.populationByAge![b]!])) : null;
  return {
    group: spec.code,
    label: spec.label,
    kind: spec.kind,
    order: spec.order,
    counts,
    population: spec.populationByAge ? spec.populationByAge.reduce((s, n) => s + n, 0) : null,
    populationByAge,
    referralsByAge: populationByAge ? Object.fromEntries(ageBands.map((band, b) => [band.code, referralsByAge[b]!])) : null,
    waits: [...waits.entries()].sort(([a], [b]) => a - b).map(([days, w]) => ({ days, ...w })),
    proms: instruments
      .filter((instrument) => proms.has(instrument))
      .map((instrument) => {
        const p = proms.get(instrument)!;
        return { instrument, pairs: p.pairs, sumChange: p.sum, sumSquaredChange: p.sumSq, improved: p.improved, meaningfulChange: meaningful[instrument] };
      }),
  };
}

/** The aggregates the engine would return for these referral records. */
export function aggregateRecords(records: readonly ReferralRecord[], populations: PopulationOptions, confidence = 0.95): AuditAggregates {
  const specs = dimensionSpecs(populations);
  const catchmentByAge = populations.byLocalQuintile ? sumBands(populations.byLocalQuintile) : null;
  const total = buildGroup(records, { code: 'all', label: 'All referrals', kind: 'category', order: null, populationByAge: catchmentByAge });
  const dimensions: AggregateDimension[] = specs.map((spec) => ({
    dimension: spec.key,
    label: spec.key,
    ordered: spec.ordered,
    additive: spec.additive,
    groups: spec.groups.map((group) => buildGroup(records.filter((r) => spec.of(r).includes(group.code)), group)),
    notes: spec.key === 'inclusion_group' ? ['A person can belong to several inclusion health groups, so the groups do not add up to the total.'] : [],
  }));
  return {
    service: { id: 1, code: 'test-ot', name: 'Test OT', organisationName: 'Test Trust', catchment: 'Test ICB' },
    period: { from: '2025-04-01', to: '2026-03-31', asOf: '2026-03-31' },
    confidence,
    generatedAt: '2026-04-01T00:00:00.000Z',
    sources: ['synthetic test data'],
    total,
    dimensions,
  };
}

/** Random audits: a few to a few hundred referral records, some standing for hundreds of people. */
export const auditAggregates: fc.Arbitrary<AuditAggregates> = fc
  .record({
    records: fc.array(referralRecord, { minLength: 0, maxLength: 60 }),
    populations: populationOptions,
    confidence: fc.constantFrom(0.95, 0.9, 0.998),
  })
  .map(({ records, populations, confidence }) => aggregateRecords(records, populations, confidence));

/** Valid disclosure rules: the NHS rule most often, and others with and without rounding. */
export const disclosureRule: fc.Arbitrary<DisclosureRule> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ suppressUpTo: 7, roundTo: 5 }) },
  { weight: 2, arbitrary: fc.constant({ suppressUpTo: 7, roundTo: 1 }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ suppressUpTo: fc.integer({ min: 1, max: 12 }), roundTo: fc.integer({ min: 1, max: 10 }) })
      .filter((rule) => {
        try {
          checkDisclosureRule(rule);
          return true;
        } catch {
          return false;
        }
      }),
  },
);

/** Whether a published count is safe under the rule: hidden (null), 0, or rounded and above the suppression limit. */
export function isSafeCount(value: unknown, rule: DisclosureRule): boolean {
  if (value === null) return true;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return false;
  if (value === 0) return true;
  return value > rule.suppressUpTo && value % rule.roundTo === 0;
}
