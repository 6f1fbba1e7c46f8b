/**
 * A business case for an OT service, as pure functions: a scenario of costs and outcomes over a
 * horizon, valued by the SROI chain (sroi.ts), put in one price year (inflation.ts), discounted
 * by the Green Book schedule (discounting.ts) and summarised (appraisal.ts): net present value,
 * benefit-cost ratio, payback and break-even years, the switching value of the key effect; who
 * pays and who gains; a one-way sensitivity (tornado) and a seeded probabilistic sensitivity
 * (psa.ts) with the probability that the return exceeds 1; and, optionally, results by
 * deprivation quintile with Green Book distributional weights.
 *
 * Every input parameter carries where it came from (an evidence register figure and version,
 * the service's own measured outcome in Roots for a period, or a value entered with a reason), so
 * a report can trace every figure.
 *
 * Year 0 is the first year of the service (costs and benefits in year 0 are not discounted);
 * an outcome's value in its year y (1 = the year it happens) falls in scenario year y - 1.
 */
import { appraise, switchingValue, type Appraisal } from './appraisal.ts';
import { GREEN_BOOK_HEALTH, GREEN_BOOK_STANDARD, flatRate, type RateStep } from './discounting.ts';
import { rebase, type PriceIndex } from './inflation.ts';
import { runPsa, type PsaSummary, type Uncertain } from './psa.ts';
import { outcomeValueByYear } from './sroi.ts';

export const payers = ['nhs', 'local_authority', 'dwp_hmrc', 'person', 'employer', 'other'] as const;
export type Payer = (typeof payers)[number];

export type ParameterSource =
  | { kind: 'register'; key: string; version: number }
  | { kind: 'service'; measure: string; period: string }
  | { kind: 'entered'; reason: string };

/** One number in the case: a central value, an optional low/high for the tornado, a distribution for the PSA. */
export interface Parameter {
  value: number;
  low?: number | undefined;
  high?: number | undefined;
  /** For the probabilistic run; absent or se 0: fixed at `value`. */
  distribution?: { kind: 'beta' | 'gamma' | 'lognormal'; se: number } | undefined;
  source: ParameterSource;
}

export interface CostLine {
  name: string;
  payer: Payer;
  /** Cost in each scenario year (index 0 = year 0), in the prices of `priceYear`. */
  byYear: readonly number[];
  priceYear: number;
}

export interface OutcomeLine {
  name: string;
  /** Who gains the value (cashable or not). */
  beneficiary: Payer;
  /** People (or events) a year with the outcome. */
  quantity: Parameter;
  /** Value of one, in the prices of `proxyPriceYear`. */
  proxy: Parameter;
  proxyPriceYear: number;
  deadweight: Parameter;
  displacement: Parameter;
  attribution: Parameter;
  dropOff: Parameter;
  /** Years the outcome lasts. */
  duration: number;
  /** Measured against a comparison: deadweight and attribution are taken as 0 (sroi.ts warns). */
  netEffect: boolean;
  /** Share of the people in each deprivation quintile (1 = most deprived), summing to 1; for results by quintile. */
  quintileShares?: readonly [number, number, number, number, number] | undefined;
}

export interface Scenario {
  name: string;
  /** Years appraised (year 0 .. horizonYears - 1). */
  horizonYears: number;
  /** The price year every pound is expressed in. */
  priceYear: number;
  discount: 'standard' | 'health' | { flat: number };
  costs: readonly CostLine[];
  outcomes: readonly OutcomeLine[];
  /** The outcome whose switching value is reported. */
  keyOutcome: string;
  /** Needed when a cost or proxy is in another price year. */
  priceIndex?: { name: string; values: PriceIndex } | undefined;
}

export interface CaseResult {
  scenario: string;
  benefitsByYear: number[];
  costsByYear: number[];
  appraisal: Appraisal;
  /** Multiple of the key outcome's value at which NPV = 0 (below 1: the case survives a fall to that share). */
  switchingValue: number | null;
  /** Present values by payer: what each pays and gains. */
  byPayer: { payer: Payer; presentValueCosts: number; presentValueBenefits: number; net: number }[];
  /** Present value of benefits by outcome. */
  byOutcome: { name: string; presentValueBenefits: number }[];
  warnings: string[];
}

export function scheduleOf(discount: Scenario['discount']): readonly RateStep[] {
  if (discount === 'standard') return GREEN_BOOK_STANDARD;
  if (discount === 'health') return GREEN_BOOK_HEALTH;
  return flatRate(discount.flat);
}

/** Values for every parameter, by path (`outcomes.<name>.<field>`), overriding the central ones. */
export type ParameterValues = Readonly<Record<string, number>>;

/** Every parameter of the scenario by its path. */
export function parametersOf(scenario: Scenario): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  for (const outcome of scenario.outcomes) {
    for (const field of ['quantity', 'proxy', 'deadweight', 'displacement', 'attribution', 'dropOff'] as const) out.set(`outcomes.${outcome.name}.${field}`, outcome[field]);
  }
  return out;
}

function validate(scenario: Scenario): void {
  if (!Number.isInteger(scenario.horizonYears) || scenario.horizonYears < 1 || scenario.horizonYears > 100) throw new RangeError('the horizon is a whole number of years from 1 to 100');
  const names = new Set<string>();
  for (const outcome of scenario.outcomes) {
    if (names.has(outcome.name)) throw new RangeError(`two outcomes are called ${outcome.name}`);
    names.add(outcome.name);
    if (outcome.quintileShares) {
      const total = outcome.quintileShares.reduce((a, b) => a + b, 0);
      if (Math.abs(total - 1) > 1e-9 || outcome.quintileShares.some((share) => share < 0)) throw new RangeError(`${outcome.name}: quintile shares are 0 or more and add up to 1`);
    }
  }
  if (!names.has(scenario.keyOutcome)) throw new RangeError(`the key outcome ${scenario.keyOutcome} is not one of the scenario's outcomes`);
}

function toPriceYear(amount: number, fromYear: number, scenario: Scenario, what: string): number {
  if (fromYear === scenario.priceYear) return amount;
  if (!scenario.priceIndex) throw new RangeError(`${what} is in ${fromYear} prices and the case is in ${scenario.priceYear} prices: give a price index`);
  return rebase(amount, fromYear, scenario.priceYear, scenario.priceIndex.values, scenario.priceIndex.name);
}

/** Benefits by scenario year for one outcome, in the case's price year, before discounting. */
function outcomeFlows(scenario: Scenario, outcome: OutcomeLine, values: ParameterValues, warnings: string[]): number[] {
  const pick = (field: 'quantity' | 'proxy' | 'deadweight' | 'displacement' | 'attribution' | 'dropOff') => values[`outcomes.${outcome.name}.${field}`] ?? outcome[field].value;
  const chain = outcomeValueByYear({
    name: outcome.name,
    quantity: pick('quantity'),
    proxy: toPriceYear(pick('proxy'), outcome.proxyPriceYear, scenario, `${outcome.name}'s proxy`),
    deadweight: pick('deadweight'),
    displacement: pick('displacement'),
    attribution: pick('attribution'),
    dropOff: pick('dropOff'),
    duration: outcome.duration,
    netEffect: outcome.netEffect,
  });
  warnings.push(...chain.warnings);
  // A cohort each year of the horizon: the cohort of year c gains byYear[k] in year c + k.
  const flows = new Array<number>(scenario.horizonYears).fill(0);
  for (let cohort = 0; cohort < scenario.horizonYears; cohort++) {
    for (let k = 0; k < chain.byYear.length && cohort + k < scenario.horizonYears; k++) flows[cohort + k]! += chain.byYear[k]!;
  }
  return flows;
}

/** The case at its central values (or with `values` overriding some). */
export function evaluateCase(scenario: Scenario, values: ParameterValues = {}): CaseResult {
  validate(scenario);
  const schedule = scheduleOf(scenario.discount);
  const warnings: string[] = [];
  const years = scenario.horizonYears;
  const costFlows = scenario.costs.map((cost) => {
    if (cost.byYear.length > years) warnings.push(`${cost.name} has costs after the horizon; they are left out`);
    return { cost, flows: Array.from({ length: years }, (_, y) => toPriceYear(cost.byYear[y] ?? 0, cost.priceYear, scenario, cost.name)) };
  });
  const benefitFlows = scenario.outcomes.map((outcome) => ({ outcome, flows: outcomeFlows(scenario, outcome, values, warnings) }));
  const sum = (lists: number[][]) => Array.from({ length: years }, (_, y) => lists.reduce((total, list) => total + list[y]!, 0));
  const benefitsByYear = sum(benefitFlows.map((b) => b.flows));
  const costsByYear = sum(costFlows.map((c) => c.flows));
  const appraisal = appraise({ benefits: benefitsByYear, costs: costsByYear }, schedule);
  const pv = (flows: readonly number[]) => appraise({ benefits: flows, costs: [] }, schedule).presentValueBenefits;

  const key = benefitFlows.find((b) => b.outcome.name === scenario.keyOutcome)!;
  const others = sum(benefitFlows.filter((b) => b !== key).map((b) => b.flows));
  const byPayer = payers
    .map((payer) => {
      const presentValueCosts = pv(sum(costFlows.filter((c) => c.cost.payer === payer).map((c) => c.flows)));
      const presentValueBenefits = pv(sum(benefitFlows.filter((b) => b.outcome.beneficiary === payer).map((b) => b.flows)));
      return { payer, presentValueCosts, presentValueBenefits, net: presentValueBenefits - presentValueCosts };
    })
    .filter((row) => row.presentValueCosts !== 0 || row.presentValueBenefits !== 0);
  return {
    scenario: scenario.name,
    benefitsByYear,
    costsByYear,
    appraisal,
    switchingValue: switchingValue(key.flows, { benefits: others, costs: costsByYear }, schedule),
    byPayer,
    byOutcome: benefitFlows.map((b) => ({ name: b.outcome.name, presentValueBenefits: pv(b.flows) })),
    warnings: [...new Set(warnings)],
  };
}

export interface TornadoBar {
  parameter: string;
  low: number;
  high: number;
  /** NPV with the parameter at its low and high value, the others central. */
  npvAtLow: number;
  npvAtHigh: number;
  swing: number;
}

/** One-way sensitivity: each parameter with a low and high value moved alone; widest swing first. */
export function tornado(scenario: Scenario): { baseNpv: number; bars: TornadoBar[] } {
  const baseNpv = evaluateCase(scenario).appraisal.netPresentValue;
  const bars: TornadoBar[] = [];
  for (const [path, parameter] of parametersOf(scenario)) {
    if (parameter.low === undefined || parameter.high === undefined) continue;
    const npvAtLow = evaluateCase(scenario, { [path]: parameter.low }).appraisal.netPresentValue;
    const npvAtHigh = evaluateCase(scenario, { [path]: parameter.high }).appraisal.netPresentValue;
    bars.push({ parameter: path, low: parameter.low, high: parameter.high, npvAtLow, npvAtHigh, swing: Math.abs(npvAtHigh - npvAtLow) });
  }
  bars.sort((a, b) => b.swing - a.swing || a.parameter.localeCompare(b.parameter));
  return { baseNpv, bars };
}

export interface ProbabilisticResult {
  npv: PsaSummary;
  /** The benefit-cost ratio's summary; `probabilityOfSuccess` is P(ratio > 1). */
  benefitCostRatio: PsaSummary;
}

/**
 * Seeded probabilistic sensitivity: every parameter with a distribution drawn independently,
 * the case evaluated per draw. The same seed gives the same result; with every standard error 0
 * the result equals the deterministic case.
 */
export function probabilisticCase(scenario: Scenario, options: { draws: number; seed: number }): ProbabilisticResult {
  const parameters: Record<string, Uncertain> = {};
  for (const [path, parameter] of parametersOf(scenario)) {
    parameters[path] = parameter.distribution ? { kind: parameter.distribution.kind, mean: parameter.value, se: parameter.distribution.se } : { kind: 'fixed', value: parameter.value };
  }
  // Two summaries from one set of draws: the same seed gives the same draws to both.
  const ratio = runPsa(
    parameters,
    (values) => {
      const { benefitCostRatio } = evaluateCase(scenario, values).appraisal;
      return { outcome: benefitCostRatio ?? Number.POSITIVE_INFINITY, succeeded: benefitCostRatio === null || benefitCostRatio > 1 };
    },
    options,
  );
  const npv = runPsa(
    parameters,
    (values) => {
      const { netPresentValue } = evaluateCase(scenario, values).appraisal;
      return { outcome: netPresentValue, succeeded: netPresentValue > 0 };
    },
    options,
  );
  return { npv, benefitCostRatio: ratio };
}

/**
 * Green Book (2022) Annex A3 distributional weights: a pound to a household of income y is
 * weighted (ȳ / y)^e, with ȳ the mean income across the groups and e the elasticity of marginal
 * utility of income, 1.3 in the Green Book. `incomes` are the groups' mean (equivalised) incomes.
 */
export function distributionalWeights(incomes: readonly number[], elasticity = 1.3): number[] {
  if (incomes.length === 0 || incomes.some((income) => !(income > 0))) throw new RangeError('incomes are positive numbers');
  const mean = incomes.reduce((a, b) => a + b, 0) / incomes.length;
  return incomes.map((income) => (mean / income) ** elasticity);
}

/**
 * Present value of benefits by deprivation quintile (1 = most deprived), from each outcome's
 * quintile shares; with `weights` (distributionalWeights, in quintile order) also weighted.
 * Outcomes without shares are reported as unallocated.
 */
export function benefitsByQuintile(scenario: Scenario, result: CaseResult, weights?: readonly number[]): { quintile: number; presentValueBenefits: number; weighted: number | null }[] & { unallocated?: number } {
  if (weights && weights.length !== 5) throw new RangeError('distributional weights come one per quintile');
  const totals = [0, 0, 0, 0, 0];
  let unallocated = 0;
  for (const outcome of scenario.outcomes) {
    const pv = result.byOutcome.find((o) => o.name === outcome.name)!.presentValueBenefits;
    if (!outcome.quintileShares) {
      unallocated += pv;
      continue;
    }
    outcome.quintileShares.forEach((share, q) => (totals[q]! += pv * share));
  }
  const rows = totals.map((presentValueBenefits, q) => ({ quintile: q + 1, presentValueBenefits, weighted: weights ? presentValueBenefits * weights[q]! : null }));
  return Object.assign(rows, { unallocated });
}
