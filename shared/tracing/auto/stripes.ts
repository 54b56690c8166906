import { median, selectInPlace } from '../../stats/descriptive';

/** Rows (or columns) on each side whose levels give a row's local level: far wider than a neurite, narrower than a gradient. */
const REACH = 16;
/** A line standing this many times the stripes' spread off its neighbours is left as it is. */
const OUTLIER = 5;
/** A line's level is read from this many of its px at most (spread evenly). */
const LINE_SAMPLE = 256;
/** Px pairs read for the noise, at most. */
const SAMPLE = 1 << 14;
/**
 * Stripes are taken out when the rows' offsets spread this many times what the noise alone gives a row's level: the
 * renders drawn without stripes read 0.9-1.6, NeuronJ's neurites.tif 3.0 (left alone), rows offset by σ 3 beside
 * noise of σ 8 read 4.5 (TreeV, 176 px a row) to 7 (21dpi, 448 px).
 */
const SPREAD = 4;

/**
 * Takes out, in place, an offset per row and then per column when the rows' (columns') levels stand apart from their
 * neighbours' far more than noise would put them (a scanner's line-to-line flicker, a camera's fixed-pattern rows or
 * columns). Read through the ridge filter, each bright row was a horizontal ridge across the whole field: rows offset
 * by 6 grey levels beside noise of σ 8 took a render of SNT's 21dpi neuron from 0.886 to 0.534. A row's offset is its
 * level (midmean) less the median of the levels of the REACH rows on each side (a gradient across the field stays; a
 * neurite along a row shifts its level little). Returns how many rows and columns were shifted.
 */
export function removeStripes(data: Float32Array, width: number, height: number): { rows: number; columns: number } {
  // The noise from differences along rows, which offsets of whole rows leave alone; once the rows are level, the
  // differences along columns hold only the noise, and the columns' offsets are read the same way.
  const rows = offsetsAlong(data, width, height, true, noiseAlong(data, width, height, true));
  const columns = offsetsAlong(data, width, height, false, noiseAlong(data, width, height, false));
  return { rows, columns };
}

/** Offsets of rows (`byRow`) or columns taken out when they spread beyond the noise's; how many lines were shifted. */
function offsetsAlong(data: Float32Array, width: number, height: number, byRow: boolean, sigma: number): number {
  const [lines, length] = byRow ? [height, width] : [width, height];
  if (!(sigma > 0) || lines < 2 * REACH + 1 || length < 32) return 0;
  const at = (line: number, k: number) => (byRow ? line * width + k : k * width + line);
  const levels = new Float64Array(lines);
  // A sample of a long line: its level within the noise, at a fraction of the sorting (2048 rows of 2048 px).
  const step = Math.max(1, Math.floor(length / LINE_SAMPLE));
  const line = new Float64Array(Math.ceil(length / step));
  for (let l = 0; l < lines; l++) {
    for (let k = 0, j = 0; k < length; k += step, j++) line[j] = data[at(l, k)];
    levels[l] = midmean(line);
  }
  const offsets = new Float64Array(lines);
  for (let l = 0; l < lines; l++) offsets[l] = levels[l] - median(levels.subarray(Math.max(0, l - REACH), Math.min(lines, l + REACH + 1)));
  // The midmean of n Gaussian values spreads about √(1.2 / n) σ (its efficiency is 0.83).
  const expected = sigma * Math.sqrt(1.2 / line.length);
  const spread = 1.4826 * median(Float64Array.from(offsets, Math.abs));
  if (!(spread > SPREAD * expected)) return 0;
  let shifted = 0;
  for (let l = 0; l < lines; l++) {
    // Far beyond the stripes' spread a line's level is not a stripe's: a neurite running along it.
    if (Math.abs(offsets[l]) > OUTLIER * spread) continue;
    for (let k = 0; k < length; k++) data[at(l, k)] -= offsets[l];
    shifted++;
  }
  return shifted;
}

/**
 * The mean of the middle half of the values (reordered in place): as robust as the median to the few px of a neurite
 * along a line, but not stuck to whole grey levels as a median of integers is (rows of noise then differed by 0 or 1).
 * The middle half is selected, not sorted (a sort of every line was 35-50 ms of a 1024² plane's preparation); summed
 * in another order, the sum of whole grey levels is the same to the bit.
 */
function midmean(values: Float64Array): number {
  const [from, to] = [values.length >> 2, values.length - (values.length >> 2)];
  selectInPlace(values, to - 1, 0, values.length - 1);
  selectInPlace(values, from, 0, to - 1);
  let sum = 0;
  for (let k = from; k < to; k++) sum += values[k];
  return sum / (to - from);
}

/**
 * σ of the noise from differences of neighbours along rows (or columns): 1.4826 × their MAD / √2, on a sample; of
 * pairs above the plane's lowest value, as levelAndNoise reads them: a background clipped there (subtracted, or a
 * display range's minimum applied) pairs px at the clip that differ by 0, the noise read was too low, and the rise of
 * the columns' levels out of a clip over an uneven background passed for stripes.
 */
function noiseAlong(data: Float32Array, width: number, height: number, byRow: boolean): number {
  const n = width * height;
  const step = Math.max(1, Math.floor(n / SAMPLE));
  let lo = Infinity;
  for (let i = 0; i < n; i += step) if (data[i] < lo) lo = data[i];
  const diffs = new Float64Array(Math.ceil(n / step));
  let pairs = 0;
  for (let i = 0; i < n; i += step) {
    const j = byRow ? ((i + 1) % width === 0 ? -1 : i + 1) : i + width < n ? i + width : -1;
    if (j >= 0 && data[i] > lo && data[j] > lo) diffs[pairs++] = Math.abs(data[i] - data[j]);
  }
  return pairs > 0 ? (1.4826 * median(diffs.subarray(0, pairs))) / Math.SQRT2 : 0;
}
