import { median } from '../../stats/descriptive';
import { centreOffset, crossSectionOffset, sampleBilinear } from '../centreline';
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
const INSET_PER_NOISE = 14;
/** Largest retraction of a tip, px. */
const MAX_INSET = 2;

/**
 * How far a tip found by signalEnds lies past the end of its neurite, px. The level crossing is read from the distal
 * end inwards and stops at the first run of pixels above the level, so noise carries it outwards: by about the noise
 * over the slope of the signal there, which is the level over the width of the fall-off (the smoothing's few px).
 * On public reconstructions drawn as micrographs the overshoot grew from 0.5 px at noise σ 8 to 1.1–1.4 px at σ 25;
 * on the project's low-noise synthetic fields it is 0.1–0.2 px. Drawn back by 10 × noise / signal, the tips of those
 * drawn with thin neurites still lay a median 0.3–0.5 px past the gold's (21dpi at σ 25 0.37 px, TreeV 0.31 and
 * 0.54); by 14 ×, 0.03 and 0.21 and 0.33 (a thick neurite's tip is placed by its cap, capInset, instead). `level`
 * is the segment's median signal, `background` and `noise` the median and robust σ of the same signal over the
 * background.
 */
export function tipInset(level: number, background: number, noise: number): number {
  const above = level - background;
  return above > 0 && noise > 0 ? Math.min(MAX_INSET, (INSET_PER_NOISE * noise) / above) : 0;
}

/** σ of the optics' blur, px: images are sampled near Nyquist, so a line of no width is about 2 px wide at half maximum. */
const PSF_SIGMA_PX = 0.85;
/** Half width at half maximum of a Gaussian, per unit σ. */
const HWHM_PER_SIGMA = Math.sqrt(2 * Math.LN2);
/** Where, before a tip, its neurite's width is read (px of arc length): past its cap, on the branch's own stretch. */
const WIDTH_AT_PX = [5, 7, 9, 11];
/** Arc a branch needs beyond a width reading (px), so that the reading is not taken where it leaves its parent. */
const WIDTH_MARGIN_PX = 6;
/** The stretch before a tip whose median signal is the tip's own plateau (px of arc length). */
const PLATEAU_FROM_PX = 3;
const PLATEAU_TO_PX = 15;
/** How far before and past a tip the half-plateau crossing is looked for, px. */
const CROSSING_BEFORE_PX = 5;
const CROSSING_PAST_PX = 8;
/** Sample spacing along and across a neurite, px. */
const STEP_PX = 0.25;
/** Smallest cap radius read from the width, px: below it the neurite is no wider than the blur (see capInset). */
const MIN_CAP_RADIUS_PX = 0.5;

/**
 * How far a thick neurite's tip lies inside where its branch line now ends, px; NaN where the neurite is thin or
 * its ends can't be read. A neurite wider than the blur ends in a rounded cap: its signal falls to half its plateau
 * where the cap ends, and the tip node (the centre of the terminal sphere, as SWC draws a neurite and a person
 * tracing with a cursor of the neurite's width places it) lies one radius inside. The radius is the neurite's half
 * width at half maximum a few px before the tip (the narrower side's) less `blur`, the half width the blur alone
 * gives a neurite (blurHalfWidth), in quadrature. The crossing is read against the tip's own plateau, not the
 * segment's median (signalEnds): a neurite dimming towards its tip crosses half its median inside its cap. Thin
 * neurites keep signalEnds' end, where a line end under a symmetric blur falls to half: there the cap is under a
 * pixel, and the plateau of a dim, noisy tip is the less reliable reading. `plane` is the background-flattened
 * signal, `background` its level over the background. On DIADEM's OP_1 drawn as a micrograph (tubes of σ 0.8–3.6
 * px) the tips within 1.2 px of a gold tip rose from 3 and 2 of 49 to 12 and 12 (noise σ 8 and 25).
 */
export function capInset(line: ReadonlyArray<readonly [number, number]>, plane: SmoothedPlane, background: number, blur: number): number {
  const total = polylineLength(line);
  const w = widthBeforeEnd(line, total, plane, background, false);
  if (Number.isNaN(w)) return NaN;
  const radius = Math.sqrt(Math.max(0, w * w - blur * blur));
  if (radius < MIN_CAP_RADIUS_PX) return NaN;
  const plateau: number[] = [];
  for (let arc = PLATEAU_FROM_PX; arc <= PLATEAU_TO_PX && arc < total; arc++) {
    const p = pointBeforeEnd(line, arc);
    plateau.push(sampleBilinear(plane, p[0], p[1]) - background);
  }
  const half = median(plateau) / 2;
  if (!(half > 0)) return NaN;
  // Along the line up to its end, then on along its last direction.
  const end = line[line.length - 1];
  const before = pointBeforeEnd(line, TANGENT_FROM_PX);
  const dl = Math.hypot(end[0] - before[0], end[1] - before[1]);
  if (dl === 0) return NaN;
  for (let a = -CROSSING_BEFORE_PX; a <= CROSSING_PAST_PX; a += STEP_PX) {
    const p = a <= 0 ? pointBeforeEnd(line, -a) : [end[0] + (a * (end[0] - before[0])) / dl, end[1] + (a * (end[1] - before[1])) / dl];
    if (sampleBilinear(plane, p[0], p[1]) - background < half) return Math.max(0, radius - a);
  }
  return NaN;
}

/** Farthest a neurite's edge is looked for from its centre, px. */
const MAX_HALF_WIDTH_PX = 8;

/**
 * The neurite's half width at half maximum a few px before the end of a line `total` px long (median of WIDTH_AT_PX
 * readings); NaN when fewer than two can be read. With `centre`, each reading is first moved across onto the
 * cross-section's peak (a pixel path may run beside the ridge, and its narrower side would read narrow).
 */
function widthBeforeEnd(line: ReadonlyArray<readonly [number, number]>, total: number, plane: SmoothedPlane, background: number, centre: boolean): number {
  const widths: number[] = [];
  for (const arc of WIDTH_AT_PX) {
    if (total < arc + WIDTH_MARGIN_PX) break;
    const p = pointBeforeEnd(line, arc);
    const q = pointBeforeEnd(line, arc + 2);
    const len = Math.hypot(p[0] - q[0], p[1] - q[1]);
    if (len === 0) continue;
    const nx = -(p[1] - q[1]) / len;
    const ny = (p[0] - q[0]) / len;
    const t = centre ? crossSectionOffset(plane, p[0], p[1], nx, ny) : 0;
    if (Number.isNaN(t)) continue;
    const w = halfWidth(plane, background, [p[0] + t * nx, p[1] + t * ny], nx, ny);
    if (!Number.isNaN(w)) widths.push(w);
  }
  return widths.length < 2 ? NaN : median(widths);
}

/**
 * The half width at half maximum the blur alone gives a neurite on `plane` (see capInset): that of a line of no width
 * under the plane's smoothing and the optics' blur at Nyquist sampling, or, when every segment of the trace reads
 * wider, the narrowest segment's width (an image blurred more than that shows no neurite thinner than its blur). Read
 * before each segment's signal end, on its pixel path moved onto the ridge.
 */
export function blurHalfWidth(forest: Pick<SegmentForest, 'width' | 'pixels' | 'start' | 'count'>, signalEnd: Int32Array, plane: SmoothedPlane, background: number): number {
  let narrowest = Infinity;
  for (let s = 0; s < forest.count; s++) {
    const n = signalEnd[s];
    if (n < WIDTH_AT_PX[1] + WIDTH_MARGIN_PX) continue;
    const path: Array<[number, number]> = [];
    for (let j = Math.max(0, n - WIDTH_AT_PX[WIDTH_AT_PX.length - 1] - WIDTH_MARGIN_PX - 2); j < n; j++) {
      const p = forest.pixels[forest.start[s] + j];
      const x = p % forest.width;
      path.push([x + 0.5, (p - x) / forest.width + 0.5]);
    }
    const w = widthBeforeEnd(path, polylineLength(path), plane, background, true);
    if (w < narrowest) narrowest = w;
  }
  const line = HWHM_PER_SIGMA * Math.hypot(plane.sigma, PSF_SIGMA_PX);
  return Number.isFinite(narrowest) ? Math.max(line, narrowest) : line;
}

/**
 * Half width at half maximum of the cross-section through p along the unit normal: the narrower side's (a neighbour
 * beside a neurite widens only one side); NaN when neither side falls to half.
 */
function halfWidth(plane: SmoothedPlane, background: number, p: readonly [number, number], nx: number, ny: number): number {
  const peak = sampleBilinear(plane, p[0], p[1]) - background;
  if (!(peak > 0)) return NaN;
  const side = (sign: number) => {
    let prev = peak;
    for (let d = STEP_PX; d <= MAX_HALF_WIDTH_PX; d += STEP_PX) {
      const v = sampleBilinear(plane, p[0] + sign * d * nx, p[1] + sign * d * ny) - background;
      if (v < peak / 2) return d - STEP_PX + (STEP_PX * (prev - peak / 2)) / (prev - v);
      prev = v;
    }
    return Infinity;
  };
  const w = Math.min(side(1), side(-1));
  return Number.isFinite(w) ? w : NaN;
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
