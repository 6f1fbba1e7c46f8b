/**
 * The standard normal distribution, once for all of Roots (equity measures, WHO HEAT measures,
 * the synthetic data generator's truth). Pure functions, double precision.
 *
 * - Distribution function: W. J. Cody's rational Chebyshev approximations, as in R's `pnorm`
 *   (Cody WJ. Rational Chebyshev approximations for the error function. Math Comp
 *   1969;23:631-637; Cody WJ. Algorithm 715. ACM TOMS 1993;19:22-32). Relative error about 1e-16,
 *   in the far tails too (to x = -37.5, where it underflows).
 * - Quantile: Wichura's algorithm AS 241 (PPND16), as in R's `qnorm` (Wichura MJ. The
 *   percentage points of the normal distribution. Appl Stat 1988;37:477-484). Relative error
 *   about 1e-16.
 */

const DBL_EPSILON = 2.220446049250313e-16;
const SQRT_32 = 5.656854249492381;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

// Cody (1993) coefficients.
const CODY_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const CODY_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const CODY_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const CODY_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const CODY_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** P(Z <= x) for a standard normal Z (Cody's algorithm, as R's `pnorm`). P(Z > x) is `normalCdf(-x)`, exactly. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    const xsq = y > DBL_EPSILON * 0.5 ? x * x : 0;
    let xnum = CODY_A[4]! * xsq;
    let xden = xsq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + CODY_A[i]!) * xsq;
      xden = (xden + CODY_B[i]!) * xsq;
    }
    return 0.5 + (x * (xnum + CODY_A[3]!)) / (xden + CODY_B[3]!);
  }
  let tail: number;
  if (y <= SQRT_32) {
    let xnum = CODY_C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + CODY_C[i]!) * y;
      xden = (xden + CODY_D[i]!) * y;
    }
    const temp = (xnum + CODY_C[7]!) / (xden + CODY_D[7]!);
    tail = gaussianTail(y, temp);
  } else {
    if (y > 40) return x > 0 ? 1 : 0;
    const xsq = 1 / (x * x);
    let xnum = CODY_P[5]! * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + CODY_P[i]!) * xsq;
      xden = (xden + CODY_Q[i]!) * xsq;
    }
    let temp = (xsq * (xnum + CODY_P[4]!)) / (xden + CODY_Q[4]!);
    temp = (ONE_OVER_SQRT_2PI - temp) / y;
    tail = gaussianTail(y, temp);
  }
  return x > 0 ? 1 - tail : tail;
}

/** exp(-y^2/2) * factor, splitting y so the square loses no precision (Cody's device). */
function gaussianTail(y: number, factor: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5) * factor;
}

// Wichura AS 241 (PPND16) coefficients.
const AS241_A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const AS241_B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const AS241_C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const AS241_D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const AS241_E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/** The p-quantile of the standard normal distribution (Wichura's AS 241, as R's `qnorm`). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_A, r)) / polynomial(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(AS241_C, r) / polynomial(AS241_D, r);
  } else {
    r -= 5;
    value = polynomial(AS241_E, r) / polynomial(AS241_F, r);
  }
  return q < 0 ? -value : value;
}

/**
 * The normal deviate for a two-sided interval at `confidence`, written as PHEindicatormethods
 * writes it: qnorm(confidence + (1 - confidence) / 2). (Written this way, rather than
 * (1 + confidence) / 2, so that the last bit agrees with PHE's published figures.)
 */
export function twoSidedZ(confidence: number): number {
  return normalQuantile(confidence + (1 - confidence) / 2);
}

/**
 * The same critical value written qnorm(1 - (1 - confidence) / 2), as the WHO HEAT measures
 * (healthequal) write it. Equal to `twoSidedZ` at the usual levels (0.8, 0.9, 0.95, 0.99, 0.998,
 * 0.999) but one unit in the last place apart at about one level in eight, so the WHO measures
 * keep their own form and their results do not move.
 */
export function twoSidedZComplement(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}
