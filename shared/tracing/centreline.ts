import { RamifyError } from '../result';
import type { SmoothedPlane } from './cost-image';
import { simplifyPath } from './simplify';

/**
 * Centre-line refinement of a traced path: the step between a pixel path (live-wire, a straight segment, an
 * automatic trace) and the nodes Ramify stores. A pixel path runs through pixel centres in 1-px jogs; where a
 * dendrite runs along a Sholl circle every jog crosses it, so raw or merely simplified pixel paths inflate Sholl
 * counts. Here, as SNT refines paths by fitting cross-sections, each point of the path moves across the neurite to
 * the intensity peak of the smoothed image, the moved points are smoothed along the path, and the smooth curve is
 * simplified. Anchors (points the user placed) are kept exactly.
 *
 * 1. Resampling: each stretch between two anchors is resampled every ~1 px of arc length (a straight segment is
 *    just its two ends before this).
 * 2. Cross-section fit: at each sample, the smoothed intensity is read along the path normal (±`reach` px, every
 *    0.5 px, bilinear); the local maximum nearest the path finds the neurite, and Steger's estimate on the pixel
 *    grid there (ridgePoint) places its centre to sub-pixel precision. A sample without such a maximum (soma, gap)
 *    keeps its position. A running median of the offsets over 5 samples rejects isolated jumps to a neighbour.
 * 3. Smoothing along the path: Savitzky–Golay (local quadratic, Gaussian weights of `smoothing` px of arc length)
 *    with the stretch point-reflected about its anchors, which leaves each anchor exactly in place, a straight
 *    stretch straight and a bend its curvature.
 * 4. Simplification: Douglas–Peucker with `tolerance` px per stretch, so every anchor is a stored node.
 */
export interface RefineOptions {
  /** Half-width in px of the cross-section searched for the centre (default 3). */
  reach?: number;
  /** σ in px of arc length of the Savitzky–Golay weights along the path (default 5; 0 = none). */
  smoothing?: number;
  /** Douglas–Peucker tolerance in px of the stored polyline (default 0.2); 0 keeps every 1-px sample. */
  tolerance?: number;
}

type Pt = [number, number];

export const DEFAULT_REACH = 3;
export const DEFAULT_SMOOTHING = 5;
export const DEFAULT_TOLERANCE = 0.2;
/** Cross-section sample spacing in px. */
const PROFILE_STEP = 0.5;

/** Bilinear interpolation of the smoothed plane at document px (pixel i's centre is i + 0.5); edges replicated. */
export function sampleBilinear(plane: SmoothedPlane, x: number, y: number): number {
  const { width: w, height: h, data } = plane;
  let u = x - 0.5;
  let v = y - 0.5;
  u = u < 0 ? 0 : u > w - 1 ? w - 1 : u;
  v = v < 0 ? 0 : v > h - 1 ? h - 1 : v;
  const i = Math.min(w - 2, Math.floor(u));
  const j = Math.min(h - 2, Math.floor(v));
  if (i < 0 || j < 0) {
    // A one-pixel-wide or -high plane: interpolate along the other axis only.
    const ii = Math.max(0, Math.min(w - 1, Math.round(u)));
    const jj = Math.max(0, Math.min(h - 1, Math.round(v)));
    return data[ii + w * jj];
  }
  const fu = u - i;
  const fv = v - j;
  const o = i + w * j;
  const top = data[o] + fu * (data[o + 1] - data[o]);
  const bottom = data[o + w] + fu * (data[o + w + 1] - data[o + w]);
  return top + fv * (bottom - top);
}

/**
 * Offset in px along the unit normal (nx, ny) from (x, y) to the intensity peak of the cross-section nearest to the
 * point, or NaN when the cross-section has no interior maximum within ±reach.
 */
export function crossSectionOffset(plane: SmoothedPlane, x: number, y: number, nx: number, ny: number, reach = DEFAULT_REACH, profile?: Float64Array): number {
  const half = Math.max(1, Math.round(reach / PROFILE_STEP));
  const count = 2 * half + 1;
  const s = profile && profile.length >= count ? profile : new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const t = (k - half) * PROFILE_STEP;
    s[k] = sampleBilinear(plane, x + t * nx, y + t * ny);
  }
  let best = -1;
  for (let k = 1; k < count - 1; k++) {
    // ≥ on the left, > on the right: a flat-topped maximum counts once, at its left end.
    if (s[k] >= s[k - 1] && s[k] > s[k + 1] && (best < 0 || Math.abs(k - half) < Math.abs(best - half))) best = k;
  }
  if (best < 0) return NaN;
  const curvature = s[best - 1] - 2 * s[best] + s[best + 1];
  const delta = curvature < 0 ? (0.5 * (s[best - 1] - s[best + 1])) / curvature : 0;
  return (best - half + delta) * PROFILE_STEP;
}

/**
 * The ridge's centre line near (x, y), to sub-pixel accuracy without interpolation (Steger's line detector): at
 * the centre c of the pixel under the point, the smoothed plane's gradient g and Hessian H (central differences on
 * the pixel grid) give the peak across the ridge at c + t·n, n the unit eigenvector of H's most negative eigenvalue
 * λ, t = −(g·n)/λ. Null when there is no ridge there (λ ≥ 0) or the peak lies outside that pixel's neighbourhood
 * (|t| > 1). Interpolated profiles would instead lock peaks onto pixel centres (a bilinear profile is piecewise
 * linear between them).
 */
export function ridgePoint(plane: SmoothedPlane, x: number, y: number): { point: Pt; normal: Pt } | null {
  const { width: w, height: h, data } = plane;
  if (w < 3 || h < 3) return null;
  const i = Math.min(w - 2, Math.max(1, Math.floor(x)));
  const j = Math.min(h - 2, Math.max(1, Math.floor(y)));
  const o = i + w * j;
  const c = data[o];
  const gx = 0.5 * (data[o + 1] - data[o - 1]);
  const gy = 0.5 * (data[o + w] - data[o - w]);
  const fxx = data[o + 1] + data[o - 1] - 2 * c;
  const fyy = data[o + w] + data[o - w] - 2 * c;
  const fxy = 0.25 * (data[o + w + 1] - data[o + w - 1] - data[o - w + 1] + data[o - w - 1]);
  const n = hessianNormal(fxx, fyy, fxy);
  if (!n) return null;
  const t = -(gx * n.normal[0] + gy * n.normal[1]) / n.lambda;
  if (!(Math.abs(t) <= 1)) return null;
  return { point: [i + 0.5 + t * n.normal[0], j + 0.5 + t * n.normal[1]], normal: n.normal };
}

/** Unit eigenvector of the most negative eigenvalue λ of [[fxx, fxy], [fxy, fyy]]; null when λ ≥ 0 (no ridge). */
function hessianNormal(fxx: number, fyy: number, fxy: number): { normal: Pt; lambda: number } | null {
  // λ = (fxx + fyy)/2 − √(((fxx − fyy)/2)² + fxy²); its eigenvector is (fxy, λ − fxx) (or an axis when fxy = 0).
  const half = 0.5 * (fxx - fyy);
  const lambda = 0.5 * (fxx + fyy) - Math.sqrt(half * half + fxy * fxy);
  if (!(lambda < 0)) return null;
  let nx = 1;
  let ny = 0;
  if (Math.abs(fxy) > 1e-12 * Math.abs(lambda)) {
    nx = fxy;
    ny = lambda - fxx;
  } else if (fxx > fyy) {
    nx = 0;
    ny = 1;
  }
  const len = Math.hypot(nx, ny);
  return { normal: [nx / len, ny / len], lambda };
}

/**
 * Offset along the unit normal (nx, ny) from (x, y) to the ridge centre line: the nearest cross-section peak, made
 * sub-pixel by Steger's estimate at that peak when the two directions agree; NaN when there is no peak within ±reach.
 */
export function centreOffset(plane: SmoothedPlane, x: number, y: number, nx: number, ny: number, reach = DEFAULT_REACH, profile?: Float64Array): number {
  const coarse = crossSectionOffset(plane, x, y, nx, ny, reach, profile);
  if (!Number.isFinite(coarse)) return NaN;
  const r = ridgePoint(plane, x + coarse * nx, y + coarse * ny);
  if (!r) return coarse;
  const cos = nx * r.normal[0] + ny * r.normal[1];
  // Where the path crosses the ridge line through r (direction ⟂ r.normal), measured along the path normal.
  if (Math.abs(cos) < 0.7) return coarse;
  const s = ((r.point[0] - x) * r.normal[0] + (r.point[1] - y) * r.normal[1]) / cos;
  return Math.abs(s - coarse) <= 1 ? s : coarse;
}

/** Points every ≤ 1 px along the polyline a → … → b (the given points), first and last kept exactly. */
function resample(points: readonly Pt[]): Pt[] {
  const cum = [0];
  for (let i = 1; i < points.length; i++) cum.push(cum[i - 1] + Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]));
  const total = cum[cum.length - 1];
  const n = Math.max(1, Math.ceil(total - 1e-9));
  const out: Pt[] = [[points[0][0], points[0][1]]];
  let seg = 1;
  for (let k = 1; k < n; k++) {
    const s = (k * total) / n;
    while (seg < points.length - 1 && cum[seg] < s) seg++;
    const len = cum[seg] - cum[seg - 1];
    const t = len > 0 ? (s - cum[seg - 1]) / len : 0;
    const a = points[seg - 1];
    const b = points[seg];
    out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
  }
  const last = points[points.length - 1];
  out.push([last[0], last[1]]);
  return out;
}

/** Median of up to 5 finite values (NaN when none). */
function median(values: number[]): number {
  const f = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (f.length === 0) return NaN;
  const m = f.length >> 1;
  return f.length % 2 ? f[m] : 0.5 * (f[m - 1] + f[m]);
}

/** Moves the interior samples of one stretch onto the cross-section peaks (first and last stay: they are anchors). */
function fitCrossSections(plane: SmoothedPlane, pts: Pt[], reach: number): Pt[] {
  const n = pts.length;
  if (n <= 2) return pts;
  const offsets = new Float64Array(n).fill(NaN);
  const normals = new Float64Array(2 * n);
  const profile = new Float64Array(2 * Math.max(1, Math.round(reach / PROFILE_STEP)) + 1);
  // The tangent over ±3 samples: long enough to ignore pixel jogs, short enough to follow curvature.
  const span = 3;
  for (let i = 1; i < n - 1; i++) {
    const a = pts[Math.max(0, i - span)];
    const b = pts[Math.min(n - 1, i + span)];
    const tx = b[0] - a[0];
    const ty = b[1] - a[1];
    const len = Math.hypot(tx, ty);
    if (!(len > 0)) continue;
    const nx = -ty / len;
    const ny = tx / len;
    normals[2 * i] = nx;
    normals[2 * i + 1] = ny;
    const t = centreOffset(plane, pts[i][0], pts[i][1], nx, ny, reach, profile);
    // A peak at the edge of the window is a neighbour or the soma, not this neurite.
    if (Math.abs(t) < reach - PROFILE_STEP) offsets[i] = t;
  }
  const out: Pt[] = [pts[0]];
  for (let i = 1; i < n - 1; i++) {
    const window: number[] = [];
    for (let k = Math.max(1, i - 2); k <= Math.min(n - 2, i + 2); k++) window.push(offsets[k]);
    const m = Number.isFinite(offsets[i]) ? median(window) : NaN;
    const t = Number.isFinite(m) ? m : 0;
    out.push([pts[i][0] + t * normals[2 * i], pts[i][1] + t * normals[2 * i + 1]]);
  }
  out.push(pts[n - 1]);
  return out;
}

/**
 * Savitzky–Golay smoothing of a stretch whose ends are anchors: at each sample, a quadratic in arc length fitted by
 * least squares with Gaussian weights (σ in samples ≈ px) over ±3σ; the fit's value there is the smoothed point. A
 * quadratic fit follows curvature, where a plain moving average would pull a bend inwards by ~σ²/2R. The stretch is
 * extended by point reflection about each end (p₋ₖ = 2·p₀ − pₖ): about an end the extension is odd, the even
 * terms of the fit see no offset, so each anchor stays exactly in place; a straight stretch stays straight.
 */
function smoothStretch(pts: Pt[], sigma: number): Pt[] {
  const n = pts.length;
  if (n <= 2 || !(sigma > 0)) return pts;
  const r = Math.max(1, Math.ceil(3 * sigma));
  // Symmetric window: the odd terms decouple and c₀ = (S4·Σw·f − S2·Σw·j²·f) / (S0·S4 − S2²), S_k = Σ w·j^k.
  const w = new Float64Array(r + 1);
  let s0 = 0;
  let s2 = 0;
  let s4 = 0;
  for (let j = 0; j <= r; j++) {
    w[j] = Math.exp((-j * j) / (2 * sigma * sigma));
    const m = j === 0 ? 1 : 2;
    s0 += m * w[j];
    s2 += m * w[j] * j * j;
    s4 += m * w[j] * j * j * j * j;
  }
  const det = s0 * s4 - s2 * s2;
  const first = pts[0];
  const last = pts[n - 1];
  const at = (k: number, c: 0 | 1): number => {
    // Repeated reflection covers windows longer than the stretch.
    if (k < 0) return 2 * first[c] - at(-k, c);
    if (k > n - 1) return 2 * last[c] - at(2 * (n - 1) - k, c);
    return pts[k][c];
  };
  const out: Pt[] = [first];
  for (let i = 1; i < n - 1; i++) {
    const xy: Pt = [0, 0];
    for (const c of [0, 1] as const) {
      let m0 = w[0] * pts[i][c];
      let m2 = 0;
      for (let j = 1; j <= r; j++) {
        const pair = at(i - j, c) + at(i + j, c);
        m0 += w[j] * pair;
        m2 += w[j] * j * j * pair;
      }
      xy[c] = (s4 * m0 - s2 * m2) / det;
    }
    out.push(xy);
  }
  out.push(last);
  return out;
}

/**
 * The stored centre line of a traced path: see the module comment. `path` is the traced polyline (pixel centres
 * of a live-wire path, or just the ends of a straight segment); `anchorIndices` are indices into `path` of points
 * that must be kept exactly (the first and last point always are). Returns the polyline to store, first point =
 * path[0], last = path[last], every anchor among its vertices. Pure; a few hundred px take well under a millisecond.
 */
export function refineCentreline(plane: SmoothedPlane, path: ReadonlyArray<readonly [number, number]>, anchorIndices: readonly number[] = [], options: RefineOptions = {}): Pt[] {
  const reach = options.reach ?? DEFAULT_REACH;
  const smoothing = options.smoothing ?? DEFAULT_SMOOTHING;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(reach > 0) || !(smoothing >= 0) || !(tolerance >= 0)) throw new RamifyError('invalid-argument', `Centre-line options must be positive (reach ${reach}, smoothing ${smoothing}, tolerance ${tolerance}).`);
  for (const p of path) if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new RamifyError('invalid-argument', `Path point (${p[0]}, ${p[1]}) is not a position in the image.`);
  if (path.length <= 1) return path.map((p) => [p[0], p[1]]);
  const cuts = [...new Set([0, path.length - 1, ...anchorIndices.filter((i) => Number.isInteger(i) && i > 0 && i < path.length - 1)])].sort((a, b) => a - b);
  const out: Pt[] = [[path[0][0], path[0][1]]];
  for (let c = 1; c < cuts.length; c++) {
    const stretch = path.slice(cuts[c - 1], cuts[c] + 1) as Pt[];
    const samples = resample(stretch);
    // A stretch shorter than a few σ would be fitted mostly to its own reflections about the anchors (which pull
    // it towards their chord): such stretches are smoothed over at most a sixth of their length.
    const fitted = smoothStretch(fitCrossSections(plane, samples, reach), Math.min(smoothing, (samples.length - 1) / 6));
    const stored = tolerance > 0 ? simplifyPath(fitted, tolerance) : fitted;
    for (let k = 1; k < stored.length; k++) {
      const prev = out[out.length - 1];
      // Two anchors at one spot (a zero-length stretch) give one node.
      if (stored[k][0] !== prev[0] || stored[k][1] !== prev[1]) out.push([stored[k][0], stored[k][1]]);
    }
  }
  return out;
}

/** Unit normal across the ridge at (x, y) (bilinear Hessian of the smoothed plane); null off ridges. */
export function ridgeNormal(plane: SmoothedPlane, x: number, y: number): Pt | null {
  const f = (dx: number, dy: number) => sampleBilinear(plane, x + dx, y + dy);
  const c = f(0, 0);
  const n = hessianNormal(f(1, 0) + f(-1, 0) - 2 * c, f(0, 1) + f(0, -1) - 2 * c, 0.25 * (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)));
  return n ? n.normal : null;
}

/**
 * Where a click near a ridge lands on its centre line: `ridge` is a point on the ridge near the click (the
 * lowest-cost pixel around it); the click keeps its position along the ridge and moves across it, first onto the
 * line through `ridge` along the ridge, then to the cross-section peak (at most `maxShift` px further). Sliding
 * along the ridge would pull a click at a fading tip several px inwards. Without a ridge there (background, inside
 * a soma) the click is returned unchanged.
 */
export function centreOfRidge(plane: SmoothedPlane, x: number, y: number, ridge: readonly [number, number] = [x, y], maxShift = 1.5): Pt {
  const n = ridgeNormal(plane, ridge[0], ridge[1]);
  if (!n) return [x, y];
  const along = (x - ridge[0]) * -n[1] + (y - ridge[1]) * n[0];
  const qx = ridge[0] - along * n[1];
  const qy = ridge[1] + along * n[0];
  const t = centreOffset(plane, qx, qy, n[0], n[1]);
  if (!(Math.abs(t) <= maxShift)) return [qx, qy];
  return [qx + t * n[0], qy + t * n[1]];
}
