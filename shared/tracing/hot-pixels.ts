import { median } from '../stats/descriptive';

/** A px stands alone when it lies this many σ of the noise above the brightest of its neighbours. */
const ALONE_SIGMAS = 6;
/** Px pairs read for the noise, at most (spread over the plane). */
const SAMPLE = 1 << 16;

/**
 * Replaces, in place, each px that stands alone far above all its neighbours (eight, or the five or three of a px on
 * the border: a hot px of the camera, a cosmic ray, a PMT spike) by the median of those neighbours, and returns how
 * many it replaced. A neurite or a cell body, however thin or faint, is blurred over several px by the optics, so one
 * of a px's neighbours is always near it: standing ALONE_SIGMAS of the noise above the brightest neighbour, and that
 * neighbour under a third of the px's height above the plane's median, is something no structure gives (a speck
 * three px across keeps its centre), nor noise (shot noise on a bright neurite, which grows with its level, fails the
 * second). Left in, 50 hot px of 4000 on a render of SNT's 21dpi neuron (noise σ 8, neurites 72-168 above the
 * background) took its DIADEM from 0.886 to 0.530: smoothed, each is a bright blob the trace runs to.
 */
export function removeHotPixels(data: Float32Array, width: number, height: number): number {
  if (width < 2 || height < 2) return 0;
  const level = levelAndNoise(data, width);
  // No noise to measure (a binary mask, a drawing in few values): a lone px there is drawn, not a camera's.
  if (!(level.sigma > 0)) return 0;
  const least = ALONE_SIGMAS * level.sigma;
  const replaced: Array<[number, number]> = [];
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - 1);
    const y1 = Math.min(height - 1, y + 1);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = data[i];
      // Most px end here: a horizontal neighbour within the noise's reach of them.
      if ((x > 0 && v - data[i - 1] <= least) || (x + 1 < width && v - data[i + 1] <= least)) continue;
      const x0 = Math.max(0, x - 1);
      const x1 = Math.min(width - 1, x + 1);
      let brightest = -Infinity;
      for (let ny = y0; ny <= y1; ny++) for (let nx = x0; nx <= x1; nx++) if (nx !== x || ny !== y) brightest = Math.max(brightest, data[nx + ny * width]);
      // Written so that a NaN never counts as standing alone (planeToFloat maps a float picture's NaN to 0 first).
      if (!(v - brightest > Math.max(least, (2 * (v - level.median)) / 3))) continue;
      const around: number[] = [];
      for (let ny = y0; ny <= y1; ny++) for (let nx = x0; nx <= x1; nx++) if (nx !== x || ny !== y) around.push(data[nx + ny * width]);
      replaced.push([i, median(around)]);
    }
  }
  for (const [i, v] of replaced) data[i] = v;
  return replaced.length;
}

/**
 * The plane's median, and the noise σ from differences of horizontal neighbours (1.4826 × MAD / √2, which a gradient
 * does not widen), of pairs above the plane's lowest value: a clipped background's pairs at the clip differ by 0.
 */
export function levelAndNoise(data: ArrayLike<number>, width: number): { median: number; sigma: number } {
  const stride = Math.max(1, Math.floor(data.length / SAMPLE));
  let lo = Infinity;
  for (let i = 0; i < data.length; i += stride) if (data[i] < lo) lo = data[i];
  // Typed arrays, filled in place: pushing 65536 numbers to plain arrays doubled this function's time.
  const values = new Float32Array(Math.ceil(data.length / stride));
  const diffs = new Float32Array(values.length);
  let n = 0;
  let pairs = 0;
  for (let i = 0; i < data.length; i += stride) {
    values[n++] = data[i];
    if ((i + 1) % width !== 0 && i + 1 < data.length && data[i] > lo && data[i + 1] > lo) diffs[pairs++] = Math.abs(data[i] - data[i + 1]);
  }
  return { median: median(values.subarray(0, n)), sigma: pairs > 0 ? (1.4826 * median(diffs.subarray(0, pairs))) / Math.SQRT2 : 0 };
}
