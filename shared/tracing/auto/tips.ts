import { median } from '../../stats/descriptive';
import type { SegmentForest } from './segments';

/** Consecutive pixels at or above the tip level that end a trim: one bright noise pixel does not stop it. */
const SOLID_RUN = 3;

/**
 * Where each segment's signal ends: its length without the distal run of pixels whose smoothed, background-flattened
 * signal has fallen below `fraction` of the segment's own median (a half-maximum rule, the end a person tracing by
 * eye places). The geodesic front runs on through noise above the foreground threshold for several px past a real
 * tip; those px carry no neurite. A segment that never reaches the level keeps length 0 and cannot be kept; one
 * that reaches the image's edge ends at its first edge pixel.
 *
 * A child's median is taken over its own px, past its parent's width (`depth` at the attach pixel, + 1): the first
 * px carry the parent's signal. A segment whose median stays under `noiseFloor` (the background's level plus a few
 * σ, see AutoTracer) is a path through noise (a shortest path picks the brightest noise pixels, so a few σ above
 * the background is what noise alone gives) and gets length 0.
 */
export function signalEnds(
  forest: Pick<SegmentForest, 'width' | 'height' | 'pixels' | 'start' | 'length' | 'count'> & Partial<Pick<SegmentForest, 'parentSegment' | 'attachAt'>>,
  signal: Float32Array,
  fraction = 0.5,
  noiseFloor = 0,
  depth?: Float32Array,
): Int32Array {
  const { width, height, pixels, start, length, count, parentSegment, attachAt } = forest;
  const ends = new Int32Array(count);
  let values = new Float32Array(64);
  for (let s = 0; s < count; s++) {
    const n = length[s];
    if (n === 0) continue;
    if (values.length < n) values = new Float32Array(2 * n);
    for (let j = 0; j < n; j++) values[j] = signal[pixels[start[s] + j]];
    // A child's first px lie inside its parent's width and carry the parent's signal, not its own.
    let own = 0;
    const ps = parentSegment ? parentSegment[s] : -1;
    if (depth && attachAt && ps >= 0) {
      const a = pixels[start[ps] + attachAt[s]];
      const ax = a % width;
      const ay = (a - ax) / width;
      const reach = depth[a] + 1;
      while (own < n) {
        const p = pixels[start[s] + own];
        const x = p % width;
        if (Math.hypot(x - ax, (p - x) / width - ay) > reach) break;
        own++;
      }
      if (n - own < SOLID_RUN) own = 0;
    }
    const mid = median(values.subarray(own, n));
    if (mid < noiseFloor) continue;
    const level = fraction * mid;
    let end = 0;
    let run = 0;
    for (let j = n - 1; j >= 0; j--) {
      if (values[j] >= level && level > 0) {
        run++;
        if (run === SOLID_RUN || j === 0) {
          end = j + run;
          break;
        }
      } else run = 0;
    }
    // A neurite that reaches the image's edge leaves the field there: the front would only run on along the edge.
    for (let j = 0; j < end; j++) {
      const p = pixels[start[s] + j];
      const x = p % width;
      const y = (p - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        end = j + 1;
        break;
      }
    }
    ends[s] = end;
  }
  return ends;
}
