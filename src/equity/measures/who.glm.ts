/**
 * The two regression fits the WHO HEAT measures need, written out so that the arithmetic is
 * visible and has no dependency:
 *
 * - `fitLogistic`: binomial GLM with logit link fitted by iteratively reweighted least squares
 *   (the algorithm of R's `glm.fit`), with the heteroskedasticity-consistent sandwich covariance
 *   HC0 / HC1 as `sandwich::vcovHC` computes it for a `glm`. healthequal's SII and RII use the
 *   quasi-binomial family; its point estimates are the binomial ones and the sandwich covariance
 *   does not depend on the dispersion (it cancels between bread and meat), so the quasi-binomial
 *   dispersion is never needed.
 * - `fitLeastSquares`: ordinary least squares (R's `glm(family = gaussian)` / `lm`) with the
 *   classical covariance s^2 (X'X)^-1, s^2 = RSS / (n - p); used by the concentration indices.
 *
 * Design matrices are arrays of rows. Both functions are pure.
 */

export interface LogisticFit {
  coefficients: number[];
  /** Fitted probabilities. */
  fitted: number[];
  /** Model-based (binomial, dispersion 1) covariance (X'WX)^-1. */
  covariance: number[][];
  /** Sandwich covariance HC0: B M B with B = (X'WX)^-1, M = sum_i w_i^2 (y_i - mu_i)^2 x_i x_i'. */
  hc0: number[][];
  /** HC1 = n / (n - p) HC0 (Stata's and `vcovHC(type = "HC1")`'s small-sample factor). */
  hc1: number[][];
  iterations: number;
  converged: boolean;
  deviance: number;
}

export interface LogisticInput {
  /** Rows of the design matrix (include a column of ones for an intercept). */
  x: readonly (readonly number[])[];
  /** Observed proportions y_i in [0, 1]. */
  proportion: readonly number[];
  /**
   * Prior weights w_i. For a response given as counts, R's binomial family sets
   * w_i = (prior weight) x (number of trials).
   */
  weight: readonly number[];
  maxIterations?: number;
  /** Convergence: largest change in a coefficient, relative to max(1, |beta|); one more step follows. */
  tolerance?: number;
}

/**
 * Binomial-logit maximum likelihood by IRLS.
 *
 * Model: logit(mu_i) = x_i' beta. The first iteration is glm.fit's: weighted least squares of
 * z_i = eta_i + (y_i - mu_i) / (mu_i (1 - mu_i)) on x_i with weights w_i mu_i (1 - mu_i), from R's
 * binomial starting values `mustart = (w y + 0.5) / (w + 1)`. Later iterations take the same
 * step written in Newton form, beta += (X'WX)^-1 X' w (y - mu), which stays accurate when a
 * fitted proportion is near 0 or 1.
 * Iterates until a step changes no coefficient by more than 1e-10 (relative to max(1, |beta|)),
 * then takes one more step: with Newton's quadratic convergence that is the maximum likelihood
 * estimate to machine precision (tighter than glm's deviance criterion).
 *
 * Sandwich (White 1980; Zeileis 2006, `sandwich`): score contributions
 * u_i = w_i (y_i - mu_i) x_i, bread B = (X'WX)^-1, HC0 = B (sum u_i u_i') B,
 * HC1 = n / (n - p) HC0 with n the number of rows with non-zero weight.
 */
export function fitLogistic(input: LogisticInput): LogisticFit {
  const { x, proportion, weight } = input;
  const n = x.length;
  const p = x[0]?.length ?? 0;
  if (n === 0 || p === 0) throw new RangeError('fitLogistic needs at least one row and one column');
  if (proportion.length !== n || weight.length !== n) throw new RangeError('fitLogistic: x, proportion and weight must have the same length');
  const maxIterations = input.maxIterations ?? 100;
  const tolerance = input.tolerance ?? 1e-10;

  let eta = proportion.map((y, i) => {
    const w = weight[i] as number;
    const mu = (w * y + 0.5) / (w + 1);
    return Math.log(mu / (1 - mu));
  });
  // First step exactly as glm.fit: weighted least squares on the working response from mustart.
  const mu0 = eta.map(logistic);
  let beta = weightedLeastSquares(
    x,
    eta.map((e, i) => e + ((proportion[i] as number) - (mu0[i] as number)) / ((mu0[i] as number) * (1 - (mu0[i] as number)))),
    mu0.map((m, i) => (weight[i] as number) * m * (1 - m)),
  );
  eta = x.map((row) => dot(row, beta));
  let converged = false;
  let iterations = 1;
  for (iterations = 2; iterations <= maxIterations; iterations++) {
    // Later steps in Newton form, beta += (X'WX)^-1 X'(w (y - mu)): the same iteration as IRLS
    // for the canonical link, but without dividing by mu (1 - mu), which loses all precision
    // when a fitted proportion is close to 0 or 1.
    const mu = eta.map(logistic);
    const workingWeight = mu.map((m, i) => (weight[i] as number) * m * (1 - m));
    const score = new Array<number>(p).fill(0);
    x.forEach((row, i) => {
      const u = (weight[i] as number) * ((proportion[i] as number) - (mu[i] as number));
      for (let a = 0; a < p; a++) score[a] = (score[a] as number) + u * (row[a] as number);
    });
    const step = invertSymmetric(crossProductWeighted(x, workingWeight)).map((row) => dot(row, score));
    beta = beta.map((b, j) => b + (step[j] as number));
    eta = x.map((row) => dot(row, beta));
    if (!beta.every(Number.isFinite)) break;
    if (converged) break; // the polishing step below has been taken
    // Newton's method converges quadratically: once a step is this small, one more step reaches
    // machine precision, so take it and stop (waiting for steps of 1e-16 can stall on rounding).
    const change = Math.max(...step.map(Math.abs));
    if (change <= tolerance * Math.max(1, ...beta.map(Math.abs))) converged = true;
  }
  if (!beta.every(Number.isFinite)) throw new RangeError('fitLogistic: the fit did not produce finite coefficients');

  const fitted = eta.map(logistic);
  const workingWeight = fitted.map((m, i) => (weight[i] as number) * m * (1 - m));
  const covariance = invertSymmetric(crossProductWeighted(x, workingWeight));
  const meat = zeros(p);
  for (let i = 0; i < n; i++) {
    const row = x[i] as readonly number[];
    const score = (weight[i] as number) * ((proportion[i] as number) - (fitted[i] as number));
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        (meat[a] as number[])[b] = ((meat[a] as number[])[b] as number) + score * score * (row[a] as number) * (row[b] as number);
      }
    }
  }
  const hc0 = multiply(multiply(covariance, meat), covariance);
  const effectiveRows = weight.filter((w) => w !== 0).length;
  const factor = effectiveRows / (effectiveRows - p);
  const hc1 = hc0.map((row) => row.map((v) => v * factor));

  let deviance = 0;
  for (let i = 0; i < n; i++) {
    const y = proportion[i] as number;
    const m = fitted[i] as number;
    const w = weight[i] as number;
    deviance += 2 * w * (xlogy(y, y / m) + xlogy(1 - y, (1 - y) / (1 - m)));
  }
  return { coefficients: beta, fitted, covariance, hc0, hc1, iterations, converged, deviance };
}

export interface LeastSquaresFit {
  coefficients: number[];
  residuals: number[];
  /** Residual variance s^2 = RSS / (n - p). */
  residualVariance: number;
  /** Classical covariance s^2 (X'X)^-1. */
  covariance: number[][];
}

/**
 * Ordinary least squares: beta = (X'X)^-1 X'y, covariance s^2 (X'X)^-1 with s^2 = RSS / (n - p),
 * as `summary(glm(y ~ 0 + ..., family = gaussian))` reports it. No intercept is added.
 */
export function fitLeastSquares(x: readonly (readonly number[])[], y: readonly number[]): LeastSquaresFit {
  const n = x.length;
  const p = x[0]?.length ?? 0;
  if (y.length !== n) throw new RangeError('fitLeastSquares: x and y must have the same length');
  if (n <= p) throw new RangeError(`fitLeastSquares needs more rows (${n}) than columns (${p}) to estimate the residual variance`);
  const ones = new Array<number>(n).fill(1);
  const coefficients = weightedLeastSquares(x, y, ones);
  const residuals = y.map((v, i) => v - dot(x[i] as readonly number[], coefficients));
  const rss = residuals.reduce((s, r) => s + r * r, 0);
  const residualVariance = rss / (n - p);
  const covariance = invertSymmetric(crossProductWeighted(x, ones)).map((row) => row.map((v) => v * residualVariance));
  return { coefficients, residuals, residualVariance, covariance };
}

/** Solves (X'WX) beta = X'Wz. */
function weightedLeastSquares(x: readonly (readonly number[])[], z: readonly number[], w: readonly number[]): number[] {
  const p = (x[0] as readonly number[]).length;
  const xtwx = crossProductWeighted(x, w);
  const xtwz = new Array<number>(p).fill(0);
  x.forEach((row, i) => {
    for (let a = 0; a < p; a++) xtwz[a] = (xtwz[a] as number) + (row[a] as number) * (w[i] as number) * (z[i] as number);
  });
  const inverse = invertSymmetric(xtwx);
  return inverse.map((row) => dot(row, xtwz));
}

function crossProductWeighted(x: readonly (readonly number[])[], w: readonly number[]): number[][] {
  const p = (x[0] as readonly number[]).length;
  const out = zeros(p);
  x.forEach((row, i) => {
    const wi = w[i] as number;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        (out[a] as number[])[b] = ((out[a] as number[])[b] as number) + (row[a] as number) * wi * (row[b] as number);
      }
    }
  });
  return out;
}

/** Inverse of a small symmetric positive-definite matrix by Gauss-Jordan elimination with partial pivoting. */
export function invertSymmetric(matrix: readonly (readonly number[])[]): number[][] {
  const p = matrix.length;
  const a = matrix.map((row) => [...row]);
  const inv: number[][] = zeros(p).map((row, i) => row.map((_, j): number => (i === j ? 1 : 0)));
  const scale = Math.max(...a.map((row) => Math.max(...row.map(Math.abs))));
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) {
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    }
    const pivotValue = (a[pivot] as number[])[col] as number;
    if (!(Math.abs(pivotValue) > 1e-14 * scale)) throw new RangeError('matrix is singular: the design has collinear columns');
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    [inv[col], inv[pivot]] = [inv[pivot] as number[], inv[col] as number[]];
    const rowA = a[col] as number[];
    const rowI = inv[col] as number[];
    for (let j = 0; j < p; j++) {
      rowA[j] = (rowA[j] as number) / pivotValue;
      rowI[j] = (rowI[j] as number) / pivotValue;
    }
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const factor = (a[r] as number[])[col] as number;
      if (factor === 0) continue;
      for (let j = 0; j < p; j++) {
        (a[r] as number[])[j] = ((a[r] as number[])[j] as number) - factor * (rowA[j] as number);
        (inv[r] as number[])[j] = ((inv[r] as number[])[j] as number) - factor * (rowI[j] as number);
      }
    }
  }
  return inv;
}

/** Quadratic form g' V g: the delta-method variance of a function with gradient g. */
export function quadraticForm(gradient: readonly number[], covariance: readonly (readonly number[])[]): number {
  let total = 0;
  for (let a = 0; a < gradient.length; a++) {
    for (let b = 0; b < gradient.length; b++) {
      total += (gradient[a] as number) * ((covariance[a] as readonly number[])[b] as number) * (gradient[b] as number);
    }
  }
  return total;
}

function multiply(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row) => (b[0] as readonly number[]).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as readonly number[])[j] as number), 0)));
}

function zeros(p: number): number[][] {
  return Array.from({ length: p }, () => new Array<number>(p).fill(0));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function logistic(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}
