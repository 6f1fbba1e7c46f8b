import { sql, type Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { requireServiceAccess, resolveServiceFor } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { refreshReferralFacts } from '../equity/audit/audit.queries.ts';
import { RootsError } from '../errors/roots-error.ts';
import { parseServiceReference } from '../organisations/service.repository.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { benefitsByQuintile, evaluateCase, probabilisticCase, tornado, type CaseResult, type OutcomeLine, type Parameter, type ProbabilisticResult, type Scenario, type TornadoBar } from './business-case.ts';
import { headlineEligible, type EvidenceFigure } from './evidence.ts';
import * as evidence from './evidence.repository.ts';
import { scenarioInput, type ParameterInput, type ScenarioInput } from './scenario.schema.ts';

/**
 * A business case run from a scenario: every parameter resolved to a number with its source (the
 * evidence register, the service's own work in Roots for the period, or a value entered with a
 * reason), the case evaluated, its tornado and (when asked) its probabilistic run. A figure that
 * may not stand in a headline (untraced and not accepted, or non-commercial) makes the whole
 * result "not for headlines", with the reason.
 *
 * The service's measures are aggregates from the equity audit's facts (the same tables the audit
 * reads), only for staff who may see the service's aggregates, and only from at least
 * MIN_DISCHARGES discharges, so no measure rests on a handful of people.
 */

export const MIN_DISCHARGES = 10;

export interface ResolvedInput {
  path: string;
  value: number;
  low: number | null;
  high: number | null;
  source: string;
  /** Register figures: their key, version and whether they may headline. */
  figure: { key: string; version: number; traced: boolean; headline: boolean; why: string; url: string | null; title: string; organisation: string; year: number | null; licence: string } | null;
}

export interface BusinessCaseReport {
  scenario: ScenarioInput;
  service: string | null;
  result: CaseResult;
  tornado: { baseNpv: number; bars: TornadoBar[] };
  probabilistic: ProbabilisticResult | null;
  byQuintile: { quintile: number; presentValueBenefits: number; weighted: number | null }[] | null;
  inputs: ResolvedInput[];
  headline: { eligible: boolean; reasons: string[] };
}

interface ServiceMeasures {
  discharges: number;
  days: number;
  outcomeCounts: Map<string, number>;
  attended: number;
  didNotAttend: number;
}

async function measureService(db: Kysely<Schema>, serviceId: number, period: { from: IsoDate; to: IsoDate }): Promise<ServiceMeasures> {
  await refreshReferralFacts(db);
  const { rows } = await sql<{ discharges: string | number; attended: string | number; did_not_attend: string | number }>`
    select count(*) filter (where discharged_on between ${period.from}::date and ${period.to}::date) as discharges,
      coalesce(sum(attended) filter (where received_on between ${period.from}::date and ${period.to}::date), 0) as attended,
      coalesce(sum(did_not_attend) filter (where received_on between ${period.from}::date and ${period.to}::date), 0) as did_not_attend
    from referral_fact where service_id = ${serviceId}`.execute(db);
  const outcomes = await sql<{ code: string; n: string | number }>`
    select code, count(*) as n
    from referral_fact, unnest(discharge_outcomes) as code
    where service_id = ${serviceId} and discharged_on between ${period.from}::date and ${period.to}::date
    group by code`.execute(db);
  const days = Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000) + 1;
  return {
    discharges: Number(rows[0]!.discharges),
    days,
    outcomeCounts: new Map(outcomes.rows.map((row) => [row.code, Number(row.n)])),
    attended: Number(rows[0]!.attended),
    didNotAttend: Number(rows[0]!.did_not_attend),
  };
}

function spreadOf(input: ParameterInput): Pick<Parameter, 'low' | 'high' | 'distribution'> {
  return { low: input.low, high: input.high, distribution: input.distribution };
}

export async function runBusinessCase(db: Kysely<Schema>, actor: Actor, input: unknown, today: IsoDate): Promise<BusinessCaseReport> {
  const parsed = scenarioInput.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', { detail: 'The scenario cannot be run as it is.', problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })) });
  }
  const scenario = parsed.data;

  let measures: ServiceMeasures | null = null;
  let serviceLabel: string | null = null;
  let serviceScope: { serviceId: number; organisationId: number } | null = null;
  if (scenario.service) {
    const reference = parseServiceReference(scenario.service);
    const found = await resolveServiceFor(db, actor, { serviceCode: reference.serviceCode!, organisationCode: reference.organisationCode }, { on: today, subjectKind: 'business_case' });
    await requireServiceAccess(db, actor, found.serviceId, 'read_aggregates', { on: today, subjectKind: 'business_case' });
    serviceLabel = `${found.organisationCode}/${found.serviceCode}`;
    serviceScope = found;
    if (scenario.period) measures = await measureService(db, found.serviceId, scenario.period);
  }

  const inputs: ResolvedInput[] = [];
  const headlineReasons: string[] = [];
  const figureCache = new Map<string, EvidenceFigure>();
  const figureFor = async (key: string, version: number | undefined): Promise<EvidenceFigure> => {
    const cacheKey = `${key}@${version ?? 'latest'}`;
    const cached = figureCache.get(cacheKey);
    if (cached) return cached;
    const versions = await evidence.figureVersions(db, key);
    const figure = version === undefined ? versions.at(-1) : versions.find((f) => f.version === version);
    if (!figure) throw new RootsError('VALIDATION_FAILED', { detail: `The evidence register has no figure ${key}${version ? ` version ${version}` : ''}.`, problems: [{ field: 'register', value: key, reason: 'not in the evidence register' }] });
    figureCache.set(cacheKey, figure);
    return figure;
  };

  const resolve = async (path: string, parameter: ParameterInput): Promise<Parameter & { priceYear?: number | null }> => {
    if ('value' in parameter) {
      inputs.push({ path, value: parameter.value, low: parameter.low ?? null, high: parameter.high ?? null, source: `entered: ${parameter.reason}`, figure: null });
      return { value: parameter.value, ...spreadOf(parameter), source: { kind: 'entered', reason: parameter.reason } };
    }
    if ('register' in parameter) {
      const figure = await figureFor(parameter.register, parameter.version);
      const headline = headlineEligible(figure);
      if (!headline.eligible) headlineReasons.push(`${figure.key} (${figure.label}): ${headline.why}`);
      const by = parameter.scale?.by ?? 1;
      const value = figure.central * by;
      const low = parameter.low ?? (figure.low === null ? undefined : figure.low * by);
      const high = parameter.high ?? (figure.high === null ? undefined : figure.high * by);
      inputs.push({
        path,
        value,
        low: low ?? null,
        high: high ?? null,
        source: `evidence register ${figure.key} v${figure.version}${parameter.scale ? ` x ${parameter.scale.by} (${parameter.scale.reason})` : ''}`,
        figure: { key: figure.key, version: figure.version, traced: figure.traced, headline: headline.eligible, why: headline.why, url: figure.source.url, title: figure.source.title, organisation: figure.source.organisation, year: figure.source.year, licence: figure.licence },
      });
      return { value, low, high, distribution: parameter.distribution, source: { kind: 'register', key: figure.key, version: figure.version }, priceYear: figure.priceYear };
    }
    if (!measures) throw new RootsError('VALIDATION_FAILED', { detail: 'A service measure needs the scenario\'s service and period.', problems: [{ field: path, reason: 'service measure without a service and period' }] });
    if (measures.discharges < MIN_DISCHARGES && parameter.service !== 'did_not_attend_rate') {
      throw new RootsError('VALIDATION_FAILED', { detail: `${serviceLabel} has fewer than ${MIN_DISCHARGES} discharges in the period: too few to measure ${parameter.service} from.`, problems: [{ field: path, reason: 'too few discharges' }] });
    }
    let value: number;
    let se = 0;
    let what: string;
    if (parameter.service === 'discharges_per_year') {
      value = (measures.discharges * 365.25) / measures.days;
      what = `${measures.discharges} discharges in ${measures.days} days`;
    } else if (parameter.service === 'discharge_outcome_share') {
      const k = measures.outcomeCounts.get(parameter.code!) ?? 0;
      value = k / measures.discharges;
      se = Math.sqrt((value * (1 - value)) / measures.discharges);
      what = `${k} of ${measures.discharges} discharges with outcome ${parameter.code}`;
    } else {
      const contacts = measures.attended + measures.didNotAttend;
      if (contacts < MIN_DISCHARGES) throw new RootsError('VALIDATION_FAILED', { detail: `${serviceLabel} has too few contacts in the period to measure did-not-attend.`, problems: [{ field: path, reason: 'too few contacts' }] });
      value = measures.didNotAttend / contacts;
      se = Math.sqrt((value * (1 - value)) / contacts);
      what = `${measures.didNotAttend} did-not-attend of ${contacts} contacts`;
    }
    const source = `${serviceLabel}, ${scenario.period!.from} to ${scenario.period!.to}: ${what}`;
    inputs.push({ path, value, low: parameter.low ?? null, high: parameter.high ?? null, source, figure: null });
    const distribution = parameter.distribution ?? (se > 0 ? { kind: 'beta' as const, se } : undefined);
    return { value, low: parameter.low, high: parameter.high, distribution, source: { kind: 'service', measure: parameter.service, period: `${scenario.period!.from}/${scenario.period!.to}` } };
  };

  const outcomes: OutcomeLine[] = [];
  for (const outcome of scenario.outcomes) {
    const at = (field: string) => `outcomes.${outcome.name}.${field}`;
    const proxy = await resolve(at('proxy'), outcome.proxy);
    const proxyPriceYear = outcome.proxyPriceYear ?? proxy.priceYear ?? null;
    if (proxyPriceYear === null) throw new RootsError('VALIDATION_FAILED', { detail: `Give the price year of ${outcome.name}'s proxy.`, problems: [{ field: at('proxyPriceYear'), reason: 'required for this proxy' }] });
    outcomes.push({
      name: outcome.name,
      beneficiary: outcome.beneficiary,
      quantity: await resolve(at('quantity'), outcome.quantity),
      proxy,
      proxyPriceYear,
      deadweight: await resolve(at('deadweight'), outcome.deadweight),
      displacement: await resolve(at('displacement'), outcome.displacement),
      attribution: await resolve(at('attribution'), outcome.attribution),
      dropOff: await resolve(at('dropOff'), outcome.dropOff),
      duration: outcome.duration,
      netEffect: outcome.netEffect,
      quintileShares: outcome.quintileShares,
    });
  }
  const model: Scenario = {
    name: scenario.name,
    horizonYears: scenario.horizonYears,
    priceYear: scenario.priceYear,
    discount: scenario.discount,
    costs: scenario.costs,
    outcomes,
    keyOutcome: scenario.keyOutcome,
    priceIndex: scenario.priceIndex && { name: scenario.priceIndex.name, values: Object.fromEntries(Object.entries(scenario.priceIndex.values).map(([year, value]) => [Number(year), value])) },
  };
  let result: CaseResult;
  try {
    result = evaluateCase(model);
  } catch (error) {
    if (error instanceof RangeError) throw new RootsError('VALIDATION_FAILED', { detail: error.message });
    throw error;
  }
  const report: BusinessCaseReport = {
    scenario,
    service: serviceLabel,
    result,
    tornado: tornado(model),
    probabilistic: scenario.psa ? probabilisticCase(model, scenario.psa) : null,
    byQuintile: outcomes.some((o) => o.quintileShares) ? [...benefitsByQuintile(model, result)] : null,
    inputs,
    headline: { eligible: headlineReasons.length === 0, reasons: headlineReasons },
  };
  if (serviceScope) {
    await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'business_case', subjectId: serviceScope.serviceId, organisationId: serviceScope.organisationId, detail: { measures: measures !== null } });
  }
  return report;
}
