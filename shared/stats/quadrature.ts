/**
 * Adaptive Gauss–Legendre quadrature for the smooth one-dimensional integrals behind the studentized range and the
 * multivariate t. A panel is accepted when the 20-point rule on it agrees with the sum of the rules on its two halves.
 */

const ORDER = 20;

/** Nodes and weights of the Gauss–Legendre rule on [-1, 1], by Newton's method on the Legendre polynomial. */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const RULE = gaussLegendre(ORDER);

function panel(f: (x: number) => number, a: number, b: number): number {
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  let s = 0;
  for (let i = 0; i < ORDER; i++) s += RULE.w[i] * f(mid + half * RULE.x[i]);
  return s * half;
}

/**
 * ∫_a^b f. The range is first cut into `panels` equal pieces so that a narrow peak is not missed; each piece is then
 * refined until |coarse − fine| ≤ max(absTol, relTol·|fine|), down to `maxDepth` halvings.
 */
export function integrate(f: (x: number) => number, a: number, b: number, opts: { panels?: number; absTol?: number; relTol?: number; maxDepth?: number } = {}): number {
  const { panels = 4, absTol = 1e-15, relTol = 1e-12, maxDepth = 30 } = opts;
  const refine = (lo: number, hi: number, whole: number, depth: number): number => {
    const mid = (lo + hi) / 2;
    const left = panel(f, lo, mid);
    const right = panel(f, mid, hi);
    const fine = left + right;
    // A NaN integrand (e.g. a statistic of degenerate data) must not send the refinement down 2^maxDepth panels.
    if (!Number.isFinite(fine)) return fine;
    if (depth >= maxDepth || Math.abs(fine - whole) <= Math.max(absTol, relTol * Math.abs(fine))) return fine;
    return refine(lo, mid, left, depth + 1) + refine(mid, hi, right, depth + 1);
  };
  let total = 0;
  const h = (b - a) / panels;
  for (let i = 0; i < panels; i++) {
    const lo = a + i * h;
    const hi = i === panels - 1 ? b : lo + h;
    total += refine(lo, hi, panel(f, lo, hi), 0);
  }
  return total;
}

/** The x in [lo, hi] where g changes sign, by the Illinois variant of regula falsi (keeps the bracket). */
export function findRoot(g: (x: number) => number, lo: number, hi: number, tol = 1e-12): number {
  let a = lo;
  let b = hi;
  let fa = g(a);
  let fb = g(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new Error('findRoot: the root is not bracketed');
  for (let i = 0; i < 200; i++) {
    const c = b - (fb * (b - a)) / (fb - fa);
    const fc = g(c);
    if (fc === 0) return c;
    if (fc * fb < 0) {
      a = b;
      fa = fb;
    } else fa /= 2;
    b = c;
    fb = fc;
    if (Math.abs(b - a) <= tol * Math.max(1, Math.abs(b))) return b;
  }
  return b;
}

/**
 * Chebyshev interpolant of f on [a, b] from n samples at the Chebyshev points, evaluated by Clenshaw's recurrence.
 * For the analytic functions used here (normal-theory probabilities as a function of a threshold) the error falls
 * geometrically with n; callers check it against direct evaluation in their tests.
 */
export function chebyshev(f: (x: number) => number, a: number, b: number, n: number): (x: number) => number {
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = f((a + b) / 2 + ((b - a) / 2) * Math.cos((Math.PI * (j + 0.5)) / n));
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += values[j] * Math.cos((Math.PI * k * (j + 0.5)) / n);
    c[k] = (2 / n) * s;
  }
  return (x) => {
    const t = (2 * x - a - b) / (b - a);
    let b1 = 0;
    let b2 = 0;
    for (let k = n - 1; k >= 1; k--) {
      const tmp = 2 * t * b1 - b2 + c[k];
      b2 = b1;
      b1 = tmp;
    }
    return t * b1 - b2 + c[0] / 2;
  };
}
