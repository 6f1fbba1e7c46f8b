/**
 * The social return on investment (SROI) value chain for one outcome, by year, as in the
 * Cabinet Office's *A guide to social return on investment* (2012, stages 3 and 4):
 *
 *   value(year y) = quantity x financial proxy x (1 - deadweight) x (1 - displacement)
 *                   x (1 - attribution) x (1 - drop-off)^(y - 1),   y = 1 .. duration
 *
 * A **net effect** (an outcome measured against a comparison group, or a return already net of
 * what would have happened anyway) has deadweight and attribution in it already: for those the
 * two deductions are forced to 0 (their multipliers to 1) and a warning says so when the input
 * set them, so they are never taken twice.
 */

export interface OutcomeChain {
  name: string;
  /** People (or events) a year. */
  quantity: number;
  /** Value of one, in pounds at the scenario's price year. */
  proxy: number;
  /** Fractions from 0 to 1. */
  deadweight: number;
  displacement: number;
  attribution: number;
  /** Fraction lost each year after the first. */
  dropOff: number;
  /** Years the outcome lasts (1 or more). */
  duration: number;
  /** True for an effect already net of a comparison (see above). */
  netEffect: boolean;
}

export interface ChainResult {
  /** Value in each year 1 .. duration (index 0 = year 1), undiscounted. */
  byYear: number[];
  warnings: string[];
}

export function outcomeValueByYear(chain: OutcomeChain): ChainResult {
  const warnings: string[] = [];
  for (const [name, value] of Object.entries({
    deadweight: chain.deadweight,
    displacement: chain.displacement,
    attribution: chain.attribution,
    dropOff: chain.dropOff,
  })) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${chain.name}: ${name} must be a fraction from 0 to 1`);
  }
  if (!(chain.quantity >= 0) || !Number.isFinite(chain.proxy)) throw new RangeError(`${chain.name}: quantity and proxy must be numbers, quantity 0 or more`);
  if (!Number.isInteger(chain.duration) || chain.duration < 1) throw new RangeError(`${chain.name}: duration must be a whole number of years, 1 or more`);
  let deadweight = chain.deadweight;
  let attribution = chain.attribution;
  if (chain.netEffect && (deadweight > 0 || attribution > 0)) {
    warnings.push(
      `${chain.name} is a net effect (measured against a comparison), so deadweight and attribution are already in it; they were set to 0 rather than taken twice`,
    );
    deadweight = 0;
    attribution = 0;
  }
  const first = chain.quantity * chain.proxy * (1 - deadweight) * (1 - chain.displacement) * (1 - attribution);
  const byYear: number[] = [];
  for (let year = 1; year <= chain.duration; year++) byYear.push(first * (1 - chain.dropOff) ** (year - 1));
  return { byYear, warnings };
}
