/**
 * R's `round(x)` to a whole number: halves go to the even neighbour (IEC 60559), so
 * round(50.5) = 50 where JavaScript's Math.round gives 51. healthequal rounds reconstructed
 * counts this way, and the PHE Monte Carlo methods round simulated counts so.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
