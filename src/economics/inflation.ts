/**
 * Prices in one price year. A price index (the HM Treasury GDP deflator for general prices, the
 * NHS cost inflation index for NHS pay and prices, as the PSSRU unit-cost volumes publish it) is a
 * series by year; an amount in the prices of year a is in the prices of year b after multiplying
 * by index(b) / index(a) (HM Treasury, The Green Book 2022, Annex A6: "real prices"; PSSRU Unit
 * Costs, "inflation indices").
 *
 * Roots holds no index values of its own: a series comes from the evidence register (figures of
 * kind `assumption`, unit "index", one per year) or from the person making the case, with its
 * source, so that every pound in a business case says how it was rebased.
 */

export type PriceIndex = Readonly<Record<number, number>>;

function indexFor(index: PriceIndex, year: number, name: string): number {
  const value = index[year];
  if (value === undefined) throw new RangeError(`the ${name} has no value for ${year}: add it to the evidence register or choose another price year`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`the ${name} for ${year} must be a positive number`);
  return value;
}

/** An amount in the prices of `fromYear`, expressed in the prices of `toYear`. */
export function rebase(amount: number, fromYear: number, toYear: number, index: PriceIndex, name = 'price index'): number {
  if (fromYear === toYear) return amount;
  return (amount * indexFor(index, toYear, name)) / indexFor(index, fromYear, name);
}

/**
 * Cash (nominal) amounts by calendar year, from `firstYear` on, as real amounts in the prices of
 * `baseYear`. With an index that never falls and years at or after the base year, no real
 * amount is above its cash amount: deflating never raises a benefit.
 */
export function deflate(cashByYear: readonly number[], firstYear: number, baseYear: number, index: PriceIndex, name = 'price index'): number[] {
  const base = indexFor(index, baseYear, name);
  return cashByYear.map((amount, i) => (amount * base) / indexFor(index, firstYear + i, name));
}

/**
 * Extends a series past its last year at a constant rate (the Office for Budget Responsibility's
 * forecast, or the Bank of England's 2% target, as the user chooses), so a ten-year case can be
 * deflated. Returns a new series; years already there are kept.
 */
export function extendIndex(index: PriceIndex, toYear: number, annualRate: number): Record<number, number> {
  const years = Object.keys(index).map(Number);
  if (years.length === 0) throw new RangeError('an index needs at least one year to extend');
  if (!(annualRate > -1)) throw new RangeError('an inflation rate is above -100%');
  const out: Record<number, number> = { ...index };
  let last = Math.max(...years);
  while (last < toYear) {
    out[last + 1] = out[last]! * (1 + annualRate);
    last += 1;
  }
  return out;
}
