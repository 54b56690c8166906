/**
 * Least-squares polynomial fits for Sholl profiles. The abscissa is mapped to s = (x − centre) / halfRange ∈ [−1, 1]
 * before building the Vandermonde matrix, which is then factorised once by Householder QR: the leading (d+1)
 * columns of that factorisation are the QR of the degree-d design, so every degree up to the maximum comes from one
 * factorisation, with no normal equations (whose condition number squares).
 */
export interface PolynomialFit {
  /** Polynomial degree. */
  degree: number;
  /** Coefficients of s^0 … s^degree, where s = (x − centre) / halfRange. */
  coefficients: number[];
  /** Centre of the abscissa mapping. */
  centre: number;
  /** Half range of the abscissa mapping (> 0). */
  halfRange: number;
  /** 1 − RSS / TSS. */
  rSquared: number;
  /** 1 − (1 − R²)(n − 1)/(n − degree − 1). */
  adjustedRSquared: number;
}

/** Value of the fitted polynomial at x (Horner in the scaled variable). */
export function evaluatePolynomial(fit: PolynomialFit, x: number): number {
  const s = (x - fit.centre) / fit.halfRange;
  const c = fit.coefficients;
  let v = 0;
  for (let j = c.length - 1; j >= 0; j--) v = v * s + c[j];
  return v;
}

/**
 * Fits degrees minDegree…maxDegree (capped at n − 2 so adjusted R² stays defined) and returns each fit, or [] when
 * the data cannot be fitted (fewer than 3 points, constant y, or a single distinct x).
 */
export function fitPolynomials(x: ArrayLike<number>, y: ArrayLike<number>, minDegree: number, maxDegree: number): PolynomialFit[] {
  const n = x.length;
  const top = Math.min(maxDegree, n - 2);
  if (n < 3 || top < minDegree) return [];
  let lo = Infinity;
  let hi = -Infinity;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
    mean += y[i];
  }
  mean /= n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += (y[i] - mean) ** 2;
  if (!(hi > lo) || tss === 0) return [];
  const centre = (lo + hi) / 2;
  const halfRange = (hi - lo) / 2;
  const m = top + 1;
  // Column-major design matrix A[j][i] = s_i^j, and the right-hand side, both overwritten by the factorisation.
  const A: Float64Array[] = [];
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = (x[i] - centre) / halfRange;
  for (let j = 0; j < m; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = j === 0 ? 1 : A[j - 1][i] * s[i];
    A.push(col);
  }
  const b = Float64Array.from(y as ArrayLike<number>);
  const diag = new Float64Array(m);
  let rank = m;
  for (let k = 0; k < m; k++) {
    const a = A[k];
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[i] * a[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-12 * Math.sqrt(n)) {
      rank = k;
      break;
    }
    const alpha = a[k] > 0 ? -norm : norm;
    // Householder vector v = a[k..] − alpha·e_k, stored in place; H = I − 2vvᵀ/(vᵀv).
    a[k] -= alpha;
    let vtv = 0;
    for (let i = k; i < n; i++) vtv += a[i] * a[i];
    for (let j = k + 1; j < m; j++) {
      const c = A[j];
      let dot = 0;
      for (let i = k; i < n; i++) dot += a[i] * c[i];
      const f = (2 * dot) / vtv;
      for (let i = k; i < n; i++) c[i] -= f * a[i];
    }
    let dot = 0;
    for (let i = k; i < n; i++) dot += a[i] * b[i];
    const f = (2 * dot) / vtv;
    for (let i = k; i < n; i++) b[i] -= f * a[i];
    diag[k] = alpha;
  }
  const fits: PolynomialFit[] = [];
  for (let d = minDegree; d <= top && d < rank; d++) {
    // RSS of the degree-d fit = squared norm of (Qᵀb) beyond its first d+1 entries.
    let rss = 0;
    for (let i = d + 1; i < n; i++) rss += b[i] * b[i];
    const coefficients = new Array<number>(d + 1).fill(0);
    for (let r = d; r >= 0; r--) {
      let v = b[r];
      for (let j = r + 1; j <= d; j++) v -= A[j][r] * coefficients[j];
      coefficients[r] = v / diag[r];
    }
    const rSquared = 1 - rss / tss;
    fits.push({ degree: d, coefficients, centre, halfRange, rSquared, adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / (n - d - 1) });
  }
  return fits;
}

/** The fit with the highest adjusted R² (lowest degree on ties), as SNT's LinearProfileStats.findBestFit ranks fits. */
export function bestPolynomialFit(x: ArrayLike<number>, y: ArrayLike<number>, minDegree = 1, maxDegree = 8): PolynomialFit | null {
  let best: PolynomialFit | null = null;
  for (const f of fitPolynomials(x, y, minDegree, maxDegree)) if (!best || f.adjustedRSquared > best.adjustedRSquared) best = f;
  return best;
}

/**
 * Maximum of the polynomial on [lo, hi]: the larger of the end values and of the interior stationary points, found
 * as sign changes of the derivative on a 512-interval grid refined by bisection.
 */
export function polynomialMaximum(fit: PolynomialFit, lo: number, hi: number): { x: number; value: number } {
  const c = fit.coefficients;
  const deriv = (x: number) => {
    const s = (x - fit.centre) / fit.halfRange;
    let v = 0;
    for (let j = c.length - 1; j >= 1; j--) v = v * s + j * c[j];
    return v;
  };
  let bestX = lo;
  let bestV = evaluatePolynomial(fit, lo);
  const consider = (x: number) => {
    const v = evaluatePolynomial(fit, x);
    if (v > bestV) {
      bestV = v;
      bestX = x;
    }
  };
  consider(hi);
  const steps = 512;
  let x0 = lo;
  let d0 = deriv(lo);
  for (let k = 1; k <= steps; k++) {
    const x1 = lo + ((hi - lo) * k) / steps;
    const d1 = deriv(x1);
    if (d0 > 0 && d1 <= 0) {
      let a = x0;
      let b = x1;
      for (let it = 0; it < 60; it++) {
        const mid = (a + b) / 2;
        if (deriv(mid) > 0) a = mid;
        else b = mid;
      }
      consider((a + b) / 2);
    }
    x0 = x1;
    d0 = d1;
  }
  return { x: bestX, value: bestV };
}
