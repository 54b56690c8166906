import type { PageStats, PixelArray } from './types';

/**
 * Min, max and sum over all samples of one page's planes (NaN samples are skipped, so float images with
 * "no data" NaNs still report their valid range). An empty or all-NaN page reports NaN for all three.
 */
export function pageStats(page: number, planes: PixelArray[]): PageStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const a of planes) {
    const n = a.length;
    if (a instanceof Float32Array || a instanceof Float64Array) {
      for (let i = 0; i < n; i++) {
        const v = a[i];
        if (v !== v) continue;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
    } else {
      // Integer planes cannot hold NaN, so their loop skips the check.
      let lo = min;
      let hi = max;
      for (let i = 0; i < n; i++) {
        const v = a[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        sum += v;
      }
      min = lo;
      max = hi;
    }
  }
  if (min === Infinity) return { page, min: NaN, max: NaN, sum: NaN };
  return { page, min, max, sum };
}
