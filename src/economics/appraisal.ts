/**
 * Appraisal summaries over yearly flows (index 0 = year 0), as HM Treasury's Green Book (2022,
 * chapter 6 and Annex A6) defines them: net present value, benefit-cost ratio, discounted payback
 * (break-even) year, and the switching value of a key effect, the multiple of it at which the
 * net present value is 0.
 */
import { GREEN_BOOK_STANDARD, discountFactors, type RateStep } from './discounting.ts';

export interface Flows {
  benefits: readonly number[];
  costs: readonly number[];
}

export interface Appraisal {
  presentValueBenefits: number;
  presentValueCosts: number;
  netPresentValue: number;
  /** PV benefits / PV costs; null when there are no costs. */
  benefitCostRatio: number | null;
  /** First year the cumulative undiscounted net flow is 0 or more; null if never. */
  paybackYear: number | null;
  /** First year the cumulative discounted net flow is 0 or more; null if never. */
  breakEvenYear: number | null;
}

export function appraise(flows: Flows, schedule: readonly RateStep[] = GREEN_BOOK_STANDARD): Appraisal {
  const years = Math.max(flows.benefits.length, flows.costs.length);
  if (years === 0) throw new RangeError('an appraisal needs at least one year of flows');
  const factors = discountFactors(years - 1, schedule);
  let pvBenefits = 0;
  let pvCosts = 0;
  let cumulative = 0;
  let cumulativeDiscounted = 0;
  let lastBelow = -1;
  let lastBelowDiscounted = -1;
  for (let year = 0; year < years; year++) {
    const benefit = flows.benefits[year] ?? 0;
    const cost = flows.costs[year] ?? 0;
    if (!Number.isFinite(benefit) || !Number.isFinite(cost)) throw new RangeError(`year ${year}: flows must be finite numbers`);
    pvBenefits += benefit * factors[year]!;
    pvCosts += cost * factors[year]!;
    cumulative += benefit - cost;
    cumulativeDiscounted += (benefit - cost) * factors[year]!;
    if (cumulative < 0) lastBelow = year;
    if (cumulativeDiscounted < 0) lastBelowDiscounted = year;
  }
  // Payback is the year after the cumulative flow was last below zero (a later dip resets it).
  const paybackYear = lastBelow === years - 1 ? null : lastBelow + 1;
  const breakEvenYear = lastBelowDiscounted === years - 1 ? null : lastBelowDiscounted + 1;
  return {
    presentValueBenefits: pvBenefits,
    presentValueCosts: pvCosts,
    netPresentValue: pvBenefits - pvCosts,
    benefitCostRatio: pvCosts === 0 ? null : pvBenefits / pvCosts,
    paybackYear,
    breakEvenYear,
  };
}

/**
 * Switching value: the multiple k of the key effect's benefits at which NPV = 0, with the other
 * flows unchanged (NPV is linear in k). Null when the key effect has no present value.
 */
export function switchingValue(key: readonly number[], others: Flows, schedule: readonly RateStep[] = GREEN_BOOK_STANDARD): number | null {
  const pvKey = appraise({ benefits: key, costs: [] }, schedule).presentValueBenefits;
  if (pvKey === 0) return null;
  const npvOthers = appraise(others, schedule).netPresentValue;
  return -npvOthers / pvKey;
}
