/**
 * Deciles and quintiles of a deprivation rank, by the official cut-offs.
 *
 * MHCLG defines the IMD 2019 deciles by rank (1 = most deprived): decile d holds the ranks up to
 * floor(N·d/10), where N is the number of areas ranked (The English Indices of Deprivation 2019,
 * Technical report, section 3.8; N = 32,844 LSOAs). The same rule is applied here to every
 * index, with 10 groups for deciles and 5 for quintiles, so that Welsh (N = 1,909), Scottish
 * (N = 6,976) and Northern Irish (N = 890) areas get groups derived the same way. Each nation's
 * groups are relative to that nation only: the indices are not comparable across nations.
 *
 * The common shortcut floor((rank − 1)·10/N) + 1 differs from this rule wherever N·d/10 is not
 * a whole number and the rank falls just above the true cut-off; for England it misplaces 8 LSOAs.
 */

/** Highest rank of each group: cutOffs(N, g)[i] is the last rank in group i + 1. */
export function cutOffs(areaCount: number, groups: number): number[] {
  assertWhole(areaCount, 'area count', 1);
  assertWhole(groups, 'number of groups', 1);
  // Integer arithmetic: floor(N·g/G) without floating-point division of a non-integer product.
  return Array.from({ length: groups }, (_, index) => Math.floor((areaCount * (index + 1)) / groups));
}

/**
 * The group (1 = most deprived) holding `rank` among `areaCount` ranked areas: the smallest g with
 * rank ≤ floor(N·g/G). For whole ranks this equals ceil(rank·G/N), which is what is computed.
 */
export function groupOfRank(rank: number, areaCount: number, groups: number): number {
  assertWhole(rank, 'rank', 1);
  assertWhole(areaCount, 'area count', 1);
  if (rank > areaCount) throw new RangeError(`rank ${rank} is above the number of areas ranked (${areaCount})`);
  // rank ≤ floor(N·g/G) ⇔ rank ≤ N·g/G (rank is whole) ⇔ g ≥ rank·G/N. Both operands are whole
  // numbers far below 2^53, so the division is exact whenever the quotient is whole.
  return Math.ceil((rank * groups) / areaCount);
}

export const decileOfRank = (rank: number, areaCount: number): number => groupOfRank(rank, areaCount, 10);
export const quintileOfRank = (rank: number, areaCount: number): number => groupOfRank(rank, areaCount, 5);

function assertWhole(value: number, what: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${what} must be a whole number of at least ${minimum}, not ${value}`);
}
