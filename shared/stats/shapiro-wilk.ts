import { pnormUpper, qnorm } from './distributions';

/** Evaluates c[0] + c[1]x + c[2]x² + … */
const poly = (c: readonly number[], x: number) => c.reduceRight((acc, ci) => acc * x + ci, 0);

// Royston (1995), Algorithm AS R94, Applied Statistics 44:547: coefficients of the approximations.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

/** Shapiro–Wilk normality test, Royston's AS R94 approximation as in R's `shapiro.test` (3 ≤ n ≤ 5000). */
export function shapiroWilk(values: ArrayLike<number>): { W: number; p: number } {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  if (n < 3 || n > 5000) throw new Error(`Shapiro–Wilk needs 3 to 5000 values, got ${n}`);
  if (x[n - 1] - x[0] === 0) throw new Error('Shapiro–Wilk: all values are identical');
  const half = n >> 1;
  // Coefficients a_i for the lower half (the upper half is antisymmetric): Royston's approximation.
  const a = new Float64Array(half);
  if (n === 3) a[0] = Math.SQRT1_2;
  else {
    const m = new Float64Array(half);
    let summ2 = 0;
    for (let i = 0; i < half; i++) {
      m[i] = qnorm((i + 1 - 0.375) / (n + 0.25));
      summ2 += m[i] * m[i];
    }
    summ2 *= 2;
    const ssumm2 = Math.sqrt(summ2);
    const rsn = 1 / Math.sqrt(n);
    const a1 = poly(C1, rsn) - m[0] / ssumm2;
    let first: number;
    let fac: number;
    if (n > 5) {
      first = 2;
      const a2 = -m[1] / ssumm2 + poly(C2, rsn);
      fac = Math.sqrt((summ2 - 2 * m[0] * m[0] - 2 * m[1] * m[1]) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
      a[1] = a2;
    } else {
      first = 1;
      fac = Math.sqrt((summ2 - 2 * m[0] * m[0]) / (1 - 2 * a1 * a1));
    }
    a[0] = a1;
    for (let i = first; i < half; i++) a[i] = -m[i] / fac;
  }
  let mu = 0;
  for (let i = 0; i < n; i++) mu += x[i];
  mu /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mu) ** 2;
  let b = 0;
  for (let i = 0; i < half; i++) b += a[i] * (x[n - 1 - i] - x[i]);
  const W = Math.min(1, (b * b) / ss);
  if (n === 3) return { W, p: Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(W)) - Math.PI / 3)) };
  let y = Math.log1p(-W);
  let mean: number;
  let sd: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return { W, p: 1e-99 };
    y = -Math.log(gamma - y);
    mean = poly(C3, n);
    sd = Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    mean = poly(C5, ln);
    sd = Math.exp(poly(C6, ln));
  }
  return { W, p: pnormUpper((y - mean) / sd) };
}
