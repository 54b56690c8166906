import { median } from '../../stats/descriptive';

/** The plane's lowest value is a fill, not a reading, when the next value lies this many σ of the rest above it… */
const FILL_GAP_SIGMAS = 3;
/** …and the rest is noisy: this share of its px, or more, a strict maximum or minimum of its four neighbours. */
const NOISY_EXTREMA = 0.1;
/** Below this share of the plane's range between its lowest value and the next, the lowest is a reading, not a fill. */
const MIN_FILL_GAP = 0.002;
/** Px read for the spread and the noise of the rest, at most (spread over the plane). */
const SAMPLE = 1 << 16;

/**
 * Where the plane holds image, or null when it all does. A rotated, registered, stitched or padded picture has a
 * margin filled with one value (0) where no camera pixel lies; read as image, the margin drags the background
 * estimate to 0 beside it (flattenBackground's blocks take a low quantile, then their neighbours' minimum), and the
 * raw level of a band of the field a block or two wide passed as foreground: a 4 px black margin on the bundled
 * sample grew one neuron's cable by 40 %, a 16 px one added a fifth neuron. The fill is told from a background
 * subtracted to 0 (its 0s are noise clipped, the next value 1 grey level up) and from a noise-free drawing on black
 * (its 0s are its background) by both: a gap above the lowest value of 3 σ of the rest or more, and noise in the rest
 * (a tenth of its px or more a strict extremum of their four neighbours; white noise makes a fifth of them one).
 * The field is every px above the lowest value; a dead px at it goes with the margin.
 */
export function imageField(data: Float32Array, width: number, height: number): Uint8Array | null {
  // One pass for the lowest value, the next one above it and the highest.
  let lo = Infinity;
  let next = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) {
      next = lo;
      lo = v;
    } else if (v > lo && v < next) next = v;
    if (v > hi) hi = v;
  }
  // Most planes end here: their lowest value is a reading, a grey level or a hair below the next.
  if (!(next < Infinity) || next - lo <= MIN_FILL_GAP * (hi - lo)) return null;
  const stride = Math.max(1, Math.floor(data.length / SAMPLE)) | 1;
  const rest: number[] = [];
  let inner = 0;
  let extrema = 0;
  for (let i = stride; i < data.length; i += stride) {
    const v = data[i];
    if (v <= lo) continue;
    rest.push(v);
    const x = i % width;
    const y = (i - x) / width;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) continue;
    const around = [data[i - 1], data[i + 1], data[i - width], data[i + width]];
    if (around.some((a) => a <= lo)) continue;
    inner++;
    if (around.every((a) => a < v) || around.every((a) => a > v)) extrema++;
  }
  if (rest.length < 2 || inner === 0 || extrema < NOISY_EXTREMA * inner) return null;
  const middle = median(rest);
  const sigma = 1.4826 * median(rest.map((v) => Math.abs(v - middle)));
  if (!(sigma > 0) || next - lo < FILL_GAP_SIGMAS * sigma) return null;
  const field = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) field[i] = data[i] > lo ? 1 : 0;
  return field;
}
