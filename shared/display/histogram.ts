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

/**
 * computeHistogram of a plane that arrives in pieces (a band of rows at a time, for images too large to hold):
 * the same counts, min, max and bins. Integers up to 16 bits are counted in one pass over the pieces; wider and float
 * samples need their range first, so they are passed twice (`needsSecondPass`, then `startSecondPass`).
 */
export class HistogramAccumulator {
  private min = Infinity;
  private max = -Infinity;
  private nanCount = 0;
  private total = 0;
  private readonly exactInts: boolean;
  /** One count per possible value (exact integers), offset by the type's lowest value. */
  private valueCounts: Uint32Array | null = null;
  private readonly offset: number;
  private binned: Histogram | null = null;

  constructor(
    private readonly sampleFormat: SampleFormat,
    private readonly bitsPerSample: number,
    private readonly bins = 4096,
  ) {
    this.exactInts = sampleFormat !== 'float' && bitsPerSample <= 16;
    const span = bitsPerSample <= 8 ? 256 : 65536;
    this.offset = sampleFormat === 'int' ? span / 2 : 0;
    if (this.exactInts) this.valueCounts = new Uint32Array(span);
  }

  get needsSecondPass(): boolean {
    return !this.exactInts;
  }

  add(data: PixelArray): void {
    if (this.binned) return this.addBinned(data, this.binned);
    let { min, max } = this;
    const counts = this.valueCounts;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v !== v) {
        this.nanCount++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      if (counts) counts[v + this.offset]++;
    }
    this.min = min;
    this.max = max;
    this.total += data.length;
  }

  /** After the first pass of a wide or float plane: the range is known, count into bins on the second. */
  startSecondPass(): void {
    if (this.min === Infinity) return;
    const binWidth = this.max > this.min ? (this.max - this.min) / this.bins : 1;
    this.binned = { counts: new Uint32Array(this.bins), min: this.min, max: this.max, binWidth, total: this.total - this.nanCount, nanCount: this.nanCount };
  }

  private addBinned(data: PixelArray, h: Histogram): void {
    const inv = 1 / h.binWidth;
    const n = h.counts.length;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v !== v) continue;
      let b = ((v - h.min) * inv) | 0;
      if (b >= n) b = n - 1;
      h.counts[b]++;
    }
  }

  result(): Histogram {
    if (this.min === Infinity) return { counts: new Uint32Array(1), min: 0, max: 0, binWidth: 1, total: 0, nanCount: this.nanCount };
    if (this.binned) return this.binned;
    const counts = this.valueCounts!.slice(this.min + this.offset, this.max + this.offset + 1);
    return { counts, min: this.min, max: this.max, binWidth: 1, total: this.total - this.nanCount, nanCount: this.nanCount };
  }
}
