/** Per-group summaries and the rank helpers shared by the rank tests. */

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN for n < 2. */
  sd: number;
  /** Standard error of the mean, sd/√n. */
  sem: number;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sum of squared deviations from the mean (two-pass, so large offsets do not cancel). */
export function sumSquares(xs: ArrayLike<number>, m = mean(xs)): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s;
}

export function describe(xs: ArrayLike<number>): Summary {
  const n = xs.length;
  const m = n > 0 ? mean(xs) : NaN;
  const sd = n > 1 ? Math.sqrt(sumSquares(xs, m) / (n - 1)) : NaN;
  return { n, mean: m, sd, sem: sd / Math.sqrt(n) };
}

export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs);
  const h = s.length >> 1;
  // Selected, not sorted (the same values, in linear time); NaN, which no order places, takes the sort's way.
  if (s.some(Number.isNaN)) s.sort();
  else if (s.length > 0) {
    selectInPlace(s, h, 0, s.length - 1);
    if (s.length % 2 === 0) selectInPlace(s, h - 1, 0, h - 1);
  }
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Reorders values[lo..hi] so that values[k] is the value a sort would put there, none after it smaller and none before
 * it larger (Hoare's selection, the middle of three as the pivot). Values must not be NaN.
 */
export function selectInPlace(values: Float32Array | Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const [a, b, c] = [values[lo], values[mid], values[hi]];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Mid-ranks (1-based; ties share the average rank) and the tie group sizes. */
export function rank(xs: ArrayLike<number>): { ranks: Float64Array; ties: number[] } {
  const n = xs.length;
  // A native numeric sort of the values, then each value's run of equals found by binary search: no comparator calls.
  const sorted = Float64Array.from(xs).sort();
  const ties: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  const bound = (x: number, strict: boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x || (strict && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) ranks[i] = (bound(xs[i], false) + bound(xs[i], true) - 1) / 2 + 1;
  return { ranks, ties };
}

/** Σ (t³ − t) over tie groups: the ties term of the rank tests' variances. */
export const tieSum = (ties: number[]): number => ties.reduce((s, t) => s + t * t * t - t, 0);
