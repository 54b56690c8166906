import type { PixelArray, SampleFormat } from '../image/types';

/**
 * A histogram fine enough for exact contrast work: integer images up to 16 bits get one bin per value, wider or
 * float images get `bins` equal bins over [min, max]. NaN samples are counted apart and ignored otherwise.
 */
export interface Histogram {
  counts: Uint32Array;
  /** Value at the lower edge of bin 0. */
  min: number;
  /** Largest finite value seen. */
  max: number;
  /** Width of one bin in sample units. */
  binWidth: number;
  /** Finite samples counted. */
  total: number;
  nanCount: number;
}

export function computeHistogram(data: PixelArray, sampleFormat: SampleFormat, bitsPerSample: number, bins = 4096): Histogram {
  const isFloat = sampleFormat === 'float';
  let nanCount = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) {
      nanCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { counts: new Uint32Array(1), min: 0, max: 0, binWidth: 1, total: 0, nanCount };
  const exactInts = !isFloat && bitsPerSample <= 16;
  const binWidth = exactInts ? 1 : max > min ? (max - min) / bins : 1;
  const n = exactInts ? max - min + 1 : bins;
  const counts = new Uint32Array(n);
  const inv = 1 / binWidth;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) continue;
    let b = ((v - min) * inv) | 0;
    if (b >= n) b = n - 1;
    counts[b]++;
  }
  return { counts, min, max, binWidth, total: data.length - nanCount, nanCount };
}

/** Re-bins a histogram into `n` display bins over [lo, hi] (for drawing). */
export function displayBins(h: Histogram, lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (hi <= lo) return out;
  const scale = n / (hi - lo);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i];
    if (!c) continue;
    const v = h.min + (i + 0.5) * h.binWidth;
    const b = Math.floor((v - lo) * scale);
    if (b >= 0 && b < n) out[b] += c;
  }
  return out;
}
