import { median } from '../../stats/descriptive';
import { centreOffset } from '../centreline';
import type { SmoothedPlane } from '../cost-image';
import { polylineLength } from '../path-metrics';
import type { SegmentForest } from './segments';

/** Px next to the image's edge in which a neurite leaving the field ends (see signalEnds). */
const EDGE_BAND_PX = 1;

/** Consecutive pixels at or above the tip level that end a trim: one bright noise pixel does not stop it. */
const SOLID_RUN = 3;

/** Shortest stretch past a segment's end that is looked at as a dimmer continuation of it, px (see signalEnds). */
const CONTINUATION_PX = 10;

/**
 * Where each segment's signal ends: its length without the distal run of pixels whose smoothed, background-flattened
 * signal has fallen below `fraction` of the segment's own median (a half-maximum rule, the end a person tracing by
 * eye places). The geodesic front runs on through noise above the foreground threshold for several px past a real
 * tip; those px carry no neurite. A neurite dimming with distance from the soma is followed past that end as long as
 * a dimmer stretch of it carries a neurite's signal (see the loop below). A segment that never reaches the level
 * keeps length 0 and cannot be kept; one that reaches the image's edge ends at its first edge pixel.
 *
 * A child's median is taken over its own px, past its parent's width (`depth` at the attach pixel, + 1): the first
 * px carry the parent's signal. A segment whose median stays under `noiseFloor` (the background's level plus a few
 * σ, see AutoTracer) is a path through noise (a shortest path picks the brightest noise pixels, so a few σ above
 * the background is what noise alone gives) and gets length 0. `levels`, when given, receives each segment's median.
 */
export function signalEnds(
  forest: Pick<SegmentForest, 'width' | 'height' | 'pixels' | 'start' | 'length' | 'count'> & Partial<Pick<SegmentForest, 'parentSegment' | 'attachAt'>>,
  signal: Float32Array,
  fraction = 0.5,
  noiseFloor = 0,
  depth?: Float32Array,
  levels?: Float32Array,
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
    if (levels) levels[s] = mid;
    if (mid < noiseFloor) continue;
    const level = fraction * mid;
    let end = level > 0 ? lastSolidEnd(values, 0, n, level) : 0;
    // A long neurite dims with distance from the soma, and its last stretch can fall under half the segment's median
    // while still plainly a neurite: past the end, a stretch of at least CONTINUATION_PX whose median is above the
    // noise floor is looked at as a neurite of its own, ending at half its own median. Its part up to there continues
    // the segment when it carries at least `fraction` of the level the segment was cut at (the front running on into
    // the background past a tip carries far less: noise and the tip's blurred edge). Its tip then lies where that
    // dimmer signal ends, and `levels` gets its median.
    while (end > 0 && n - end >= CONTINUATION_PX) {
      const restLevel = median(values.subarray(end, n));
      if (restLevel < noiseFloor) break;
      const next = lastSolidEnd(values, end, n, fraction * restLevel);
      if (next <= end || median(values.subarray(end, next)) < fraction * level) break;
      end = next;
      if (levels) levels[s] = restLevel;
    }
    // A neurite that reaches the image's edge leaves the field there: the front would only run on along the edge
    // (and along the row next to it, before it touches the edge). A fibre that enters the field at the edge starts on
    // it: its first edge px are where it comes in, not where it leaves.
    let inside = false;
    const m = EDGE_BAND_PX;
    for (let j = 0; j < end; j++) {
      const p = pixels[start[s] + j];
      const x = p % width;
      const y = (p - x) / width;
      if (x > m && y > m && x < width - 1 - m && y < height - 1 - m) inside = true;
      else if (inside) {
        end = j + 1;
        break;
      }
    }
    ends[s] = end;
  }
  return ends;
}

/**
 * One past the last pixel of values[from, to) that ends a run of SOLID_RUN pixels at or above `level` (a run cut
 * short by `from` counts), read from `to` inwards; `from` when there is none.
 */
function lastSolidEnd(values: Float32Array, from: number, to: number, level: number): number {
  let run = 0;
  for (let j = to - 1; j >= from; j--) {
    if (values[j] >= level) {
      run++;
      if (run === SOLID_RUN || j === from) return j + run;
    } else run = 0;
  }
  return from;
}

/** Retraction of a tip per unit of noise-to-signal ratio, px (see tipInset). */
const INSET_PER_NOISE = 10;
/** Largest retraction of a tip, px. */
const MAX_INSET = 2;

/**
 * How far a tip found by signalEnds lies past the end of its neurite, px. The level crossing is read from the distal
 * end inwards and stops at the first run of pixels above the level, so noise carries it outwards: by about the noise
 * over the slope of the signal there, which is the level over the width of the fall-off (the smoothing's few px).
 * On public reconstructions drawn as micrographs the overshoot grew from 0.5 px at noise σ 8 to 1.1–1.4 px at σ 25;
 * on the project's low-noise synthetic fields it is 0.1–0.2 px. `level` is the segment's median signal, `background`
 * and `noise` the median and robust σ of the same signal over the background.
 */
export function tipInset(level: number, background: number, noise: number): number {
  const above = level - background;
  return above > 0 && noise > 0 ? Math.min(MAX_INSET, (INSET_PER_NOISE * noise) / above) : 0;
}

/**
 * A branch's last vertex moved onto the end of its neurite's centre line. The refined line keeps its ends where they
 * were (pixel centres), so a tip sits up to half a px beside the centre line and, past the noise, `inset` px beyond
 * its end: the line is cut back by `inset` px of arc length (never below half its length), then its last vertex moves
 * across the neurite onto the cross-section peak of `plane` (at most 1.5 px; none found: it stays).
 */
export function centredTip(line: ReadonlyArray<readonly [number, number]>, plane: SmoothedPlane, inset: number): Array<[number, number]> {
  const out = line.map((p): [number, number] => [p[0], p[1]]);
  if (out.length < 2) return out;
  let rest = Math.min(inset, polylineLength(out) / 2);
  while (rest > 0) {
    const a = out[out.length - 2];
    const b = out[out.length - 1];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (l > rest) {
      out[out.length - 1] = [b[0] - ((b[0] - a[0]) * rest) / l, b[1] - ((b[1] - a[1]) * rest) / l];
      break;
    }
    out.pop();
    rest -= l;
  }
  // Across the neurite's direction just before the tip (the pinned end itself may sit on the neurite's edge).
  const b = out[out.length - 1];
  const near = pointBeforeEnd(out, TANGENT_FROM_PX);
  const far = pointBeforeEnd(out, TANGENT_TO_PX);
  const tx = near[0] - far[0];
  const ty = near[1] - far[1];
  const len = Math.hypot(tx, ty);
  if (len > 0) {
    const nx = -ty / len;
    const ny = tx / len;
    const t = centreOffset(plane, b[0], b[1], nx, ny);
    if (Math.abs(t) <= MAX_TIP_SHIFT) out[out.length - 1] = [b[0] + t * nx, b[1] + t * ny];
  }
  return out;
}

/** The point `arc` px of arc length before a polyline's end (its first point when it is shorter). */
function pointBeforeEnd(line: ReadonlyArray<readonly [number, number]>, arc: number): [number, number] {
  let rest = arc;
  for (let i = line.length - 1; i > 0; i--) {
    const a = line[i - 1];
    const b = line[i];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (l >= rest) return [b[0] + ((a[0] - b[0]) * rest) / l, b[1] + ((a[1] - b[1]) * rest) / l];
    rest -= l;
  }
  return [line[0][0], line[0][1]];
}

/** The stretch before a tip whose direction is the tip's, px of arc length from the end. */
const TANGENT_FROM_PX = 2;
const TANGENT_TO_PX = 6;
/** Largest move of a tip across its neurite, px. */
const MAX_TIP_SHIFT = 1.5;
