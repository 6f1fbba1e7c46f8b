/**
 * Discounting to present value by HM Treasury's Green Book (2022), Annex A6: the social time
 * preference rate falls in steps over the long term, and a lower rate applies to health effects
 * valued in QALYs or wellbeing. Year 0 is the present (factor 1); the rate in force for year n
 * applies to the step from year n - 1 to year n, so the factor for year n is the product of
 * 1 / (1 + r) over years 1 to n.
 */

export interface RateStep {
  /** The first year (1 or later) to which this rate applies. */
  fromYear: number;
  /** The annual rate as a fraction (0.035 for 3.5%). */
  rate: number;
}

/** Standard rate: 3.5% for years 0-30, 3.0% 31-75, 2.5% 76-125, 2.0% 126-200, 1.5% 201-300, 1.0% after. */
export const GREEN_BOOK_STANDARD: readonly RateStep[] = [
  { fromYear: 1, rate: 0.035 },
  { fromYear: 31, rate: 0.03 },
  { fromYear: 76, rate: 0.025 },
  { fromYear: 126, rate: 0.02 },
  { fromYear: 201, rate: 0.015 },
  { fromYear: 301, rate: 0.01 },
];

/** Health rate (the standard rate less the 2% wealth effect): 1.5% for years 0-30, then 1.29%, 1.07%, 0.86%, 0.64%, 0.43%. */
export const GREEN_BOOK_HEALTH: readonly RateStep[] = [
  { fromYear: 1, rate: 0.015 },
  { fromYear: 31, rate: 0.0129 },
  { fromYear: 76, rate: 0.0107 },
  { fromYear: 126, rate: 0.0086 },
  { fromYear: 201, rate: 0.0064 },
  { fromYear: 301, rate: 0.0043 },
];

/** A flat schedule, for sensitivity runs ("what if the rate were 5%?"). */
export function flatRate(rate: number): readonly RateStep[] {
  if (!Number.isFinite(rate) || rate <= -1) throw new RangeError('a discount rate is a number above -1');
  return [{ fromYear: 1, rate }];
}

function rateForYear(schedule: readonly RateStep[], year: number): number {
  let rate = schedule[0]!.rate;
  for (const step of schedule) if (year >= step.fromYear) rate = step.rate;
  return rate;
}

/** Discount factors for years 0 to `years` inclusive under a (stepped) schedule. */
export function discountFactors(years: number, schedule: readonly RateStep[] = GREEN_BOOK_STANDARD): number[] {
  if (!Number.isInteger(years) || years < 0) throw new RangeError('years must be a whole number, 0 or more');
  if (schedule.length === 0) throw new RangeError('a discount schedule needs at least one rate');
  const factors = [1];
  for (let year = 1; year <= years; year++) factors.push(factors[year - 1]! / (1 + rateForYear(schedule, year)));
  return factors;
}

/** Present value of a flow by year (index 0 = year 0). */
export function presentValue(flows: readonly number[], schedule: readonly RateStep[] = GREEN_BOOK_STANDARD): number {
  if (flows.length === 0) return 0;
  const factors = discountFactors(flows.length - 1, schedule);
  return flows.reduce((sum, flow, year) => sum + flow * factors[year]!, 0);
}
