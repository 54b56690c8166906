import { DEFAULT_TOLERANCE as SIMPLIFY_PX, nearestPeak, PROFILE_STEP, sampleBilinear } from '../centreline';
import { simplifyPath } from '../simplify';
import type { SmoothedPlane } from '../cost-image';
import { distanceToPolyline } from './junction';

type Point = [number, number];

/** The most a sample moves: the parent's pull reaches a px at shallow angles; a larger move is onto another neurite. */
const MAX_SHIFT_PX = 1.5;
/** Peaks of the plane's and the difference's cross-sections this close are one (px). */
const SAME_PEAK_PX = 0.1;
/** The least share of the child's height above its cross-section's floor that the difference keeps at its peak. */
const OWN_SHARE = 0.5;
/** How far from the child's start the parent is read (px): past the zone at the shallowest angles that reach it. */
const LOCAL_PX = 60;
/** How far the parent may stray from its tangent around a sample's mirror line (px). */
const STRAIGHT_PX = 0.5;

/**
 * A child's centre line where it still runs beside its parent, re-centred on the child's own signal. There the
 * child's cross-section also holds the parent's flank, so its peak (where refineCentreline puts the line) sits
 * towards the parent, most at shallow branch angles; extended back onto the parent that line meets it px past the
 * true junction. The parent's cross-section is symmetric about its centre line, so its part at a point is what the
 * plane holds at the point's mirror image across that line: the child's own signal is the difference. Each child
 * sample within 2 × `overlap` + 2 px of the parent (`overlap`: the parent's half-width where the child split off;
 * the parent's line from vertex `first` on) moves to the difference's peak across the child, by at most
 * MAX_SHIFT_PX. Samples with no such peak, those within a px of the parent, those beside a bend of it, those whose
 * mirror image holds a neurite too, and the rest of the line stay as they are, except that the search's own path
 * inside the parent's width, before the first re-centred sample, is dropped: junctionOnParent extends the child's
 * line from where it leaves that width. A line with no sample to move is returned as it was.
 */
export function recentreNearParent(plane: SmoothedPlane, whole: readonly Point[], child: readonly Point[], overlap: number, firstOfWhole: number, reach = 3): Point[] {
  const zone = 2 * overlap + 2;
  if (child.length < 2 || whole.length - firstOfWhole < 2) return child as Point[];
  // The parent near the child's start only: a long parent read whole at every sample of each of hundreds of
  // children slows a large arbor's re-prune.
  const parent = nearStretch(whole, child[0], firstOfWhole, LOCAL_PX);
  // The stretch read starts at or after the parent's first own vertex.
  const first = 0;
  // Samples every ~1 px from the child's start until a vertex lies beyond the zone.
  const samples: Point[] = [child[0]];
  let rest = child.length;
  for (let i = 1; i < child.length; i++) {
    const [ax, ay] = child[i - 1];
    const [bx, by] = child[i];
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    for (let k = 1; k <= n; k++) samples.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
    if (distanceToPolyline(parent, child[i], first).d > zone) {
      rest = i + 1;
      break;
    }
  }
  if (rest === child.length && samples.length < 3) return child as Point[];
  const half = Math.max(1, Math.round(reach / PROFILE_STEP));
  const profile = new Float64Array(2 * half + 1);
  const plain = new Float64Array(2 * half + 1);
  const offsets = new Float64Array(samples.length).fill(NaN);
  // Each sample's distance from the parent, where the loop below reached it.
  const apart = new Float64Array(samples.length).fill(NaN);
  const normals = new Float64Array(2 * samples.length);
  const last = samples.length - 1;
  for (let i = 1; i < last; i++) {
    const p = samples[i];
    const foot = distanceToPolyline(parent, p, first);
    apart[i] = foot.d;
    // Past the zone the child does not come back: the samples left run on to the vertex that lies beyond it.
    if (foot.d > zone + reach) break;
    // A foot at either end of the stretch read: past the parent's end, or (rarely) beyond the stretch.
    if (foot.d < 1 || foot.d > zone || foot.at <= first || foot.at >= parent.length - 1) continue;
    const vx = (p[0] - foot.point[0]) / foot.d;
    const vy = (p[1] - foot.point[1]) / foot.d;
    if (!straightAround(parent, foot.point, vx, vy, zone + reach, first)) continue;
    const a = samples[Math.max(0, i - 2)];
    const b = samples[Math.min(last, i + 2)];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (!(len > 0)) continue;
    const nx = -(b[1] - a[1]) / len;
    const ny = (b[0] - a[0]) / len;
    normals[2 * i] = nx;
    normals[2 * i + 1] = ny;
    let floor = Infinity;
    for (let k = 0; k < profile.length; k++) {
      const t = (k - half) * PROFILE_STEP;
      const qx = p[0] + t * nx;
      const qy = p[1] + t * ny;
      const s = (qx - foot.point[0]) * vx + (qy - foot.point[1]) * vy;
      plain[k] = sampleBilinear(plane, qx, qy);
      profile[k] = s > 0 ? plain[k] - sampleBilinear(plane, qx - 2 * s * vx, qy - 2 * s * vy) : 0;
      floor = Math.min(floor, plain[k]);
    }
    // Where the parent adds nothing the two peaks agree to within the profile's interpolation, and the sub-pixel
    // centre refineCentreline found stays.
    const t = nearestPeak(profile, half, profile.length, 0);
    if (Math.abs(t - nearestPeak(plain, half, plain.length, 0)) < SAME_PEAK_PX) continue;
    // Where the mirror image holds a neurite too (the child's continuation across a crossing, a branch opposite) the
    // difference cancels: its peak is no longer the child's.
    if (valueAt(profile, half, t) < OWN_SHARE * (valueAt(plain, half, t) - floor)) continue;
    if (Math.abs(t) <= MAX_SHIFT_PX) offsets[i] = t;
  }
  // Nothing to move: the line as refined, not resampled.
  if (!offsets.some(Number.isFinite)) return child as Point[];
  const out: Point[] = [];
  for (let i = 1; i <= last; i++) {
    // The search's path inside the parent's width up to the first re-centred sample cuts the corner: it is dropped.
    if (out.length === 0 && !Number.isFinite(offsets[i]) && i < last && (Number.isNaN(apart[i]) ? distanceToPolyline(parent, samples[i], first).d : apart[i]) <= overlap) continue;
    const window: number[] = [];
    for (let k = Math.max(1, i - 2); k <= Math.min(last - 1, i + 2); k++) if (Number.isFinite(offsets[k])) window.push(offsets[k]);
    if (!Number.isFinite(offsets[i]) || window.length === 0) {
      out.push(samples[i]);
      continue;
    }
    window.sort((x, y) => x - y);
    const m = window[window.length >> 1];
    out.push([samples[i][0] + m * normals[2 * i], samples[i][1] + m * normals[2 * i + 1]]);
  }
  if (out.length < 2) return child as Point[];
  // Simplified as refineCentreline stores a line: the samples' sub-px scatter is not drawn as a zigzag.
  const line = simplifyPath(out, SIMPLIFY_PX) as Point[];
  for (let i = rest; i < child.length; i++) line.push(child[i]);
  return line;
}

/**
 * Whether the parent's vertices within `span` px of `at` lie within STRAIGHT_PX of the line through it ⟂ (vx, vy):
 * the mirror image is the parent's own flank only where the parent runs straight (at a bend the mirror of a point
 * beside one arm falls on the other).
 */
function straightAround(parent: readonly Point[], at: Point, vx: number, vy: number, span: number, first: number): boolean {
  for (let i = first; i < parent.length; i++) {
    const dx = parent[i][0] - at[0];
    const dy = parent[i][1] - at[1];
    if (dx * dx + dy * dy > span * span) continue;
    if (Math.abs(dx * vx + dy * vy) > STRAIGHT_PX) return false;
  }
  return true;
}

/** The profile at offset t px (linear between samples). */
function valueAt(profile: Float64Array, half: number, t: number): number {
  const u = Math.max(0, Math.min(profile.length - 1, t / PROFILE_STEP + half));
  const k = Math.min(profile.length - 2, Math.floor(u));
  return profile[k] + (u - k) * (profile[k + 1] - profile[k]);
}

/** The stretch of `line` (from vertex `first` on) around its point nearest q, out to the first vertex on each side more than `radius` px from q. */
function nearStretch(line: readonly Point[], q: Point, first: number, radius: number): readonly Point[] {
  const at = Math.min(line.length - 2, Math.floor(distanceToPolyline(line, q, first).at));
  const far = (i: number) => Math.hypot(line[i][0] - q[0], line[i][1] - q[1]) > radius;
  let lo = Math.max(first, at);
  let hi = at + 1;
  while (lo > first && !far(lo)) lo--;
  while (hi < line.length - 1 && !far(hi)) hi++;
  return line.slice(lo, hi + 1);
}
