import { RamifyError } from '../result';
import { median } from '../stats/descriptive';
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
 * 3. Smoothing along the path: Savitzky–Golay (local quadratic, Gaussian weights of `smoothing` px of arc length,
 *    times each sample's trust: lower where its cross-section is lopsided, as where a child branch leaves) with the
 *    stretch point-reflected about its anchors, which leaves each anchor exactly in place, a straight stretch
 *    straight and a bend its curvature.
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
export const PROFILE_STEP = 0.5;

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
  return nearestPeak(s, half, count);
}

/**
 * Offset in px from the centre (sample `half`) of the first `count` samples of a cross-section, PROFILE_STEP apart,
 * to its interior local maximum above `floor` nearest the centre, sub-sample by a parabola; NaN when there is none.
 */
export function nearestPeak(s: ArrayLike<number>, half: number, count = s.length, floor = -Infinity): number {
  let best = -1;
  for (let k = 1; k < count - 1; k++) {
    // ≥ on the left, > on the right: a flat-topped maximum counts once, at its left end.
    if (s[k] > floor && s[k] >= s[k - 1] && s[k] > s[k + 1] && (best < 0 || Math.abs(k - half) < Math.abs(best - half))) best = k;
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

/** Moves the interior samples of one stretch onto the cross-section peaks (first and last stay: they are anchors). */
function fitCrossSections(plane: SmoothedPlane, pts: Pt[], reach: number): { points: Pt[]; weights: Float64Array } {
  const n = pts.length;
  if (n <= 2) return { points: pts, weights: new Float64Array(n).fill(1) };
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
  const weights = new Float64Array(n).fill(1);
  for (let i = 1; i < n - 1; i++) {
    const window: number[] = [];
    for (let k = Math.max(1, i - 2); k <= Math.min(n - 2, i + 2); k++) window.push(offsets[k]);
    // Median of the finite offsets in the window (at least offsets[i] itself).
    const m = Number.isFinite(offsets[i]) ? median(window.filter(Number.isFinite)) : NaN;
    const t = Number.isFinite(m) ? m : 0;
    const p: Pt = [pts[i][0] + t * normals[2 * i], pts[i][1] + t * normals[2 * i + 1]];
    out.push(p);
    if (Number.isFinite(m)) weights[i] = symmetryWeight(plane, p[0], p[1], normals[2 * i], normals[2 * i + 1], reach);
  }
  out.push(pts[n - 1]);
  // At the branch point itself the child overlaps the whole cross-section, which looks symmetric about the peak it
  // has already pulled aside; the lopsided cross-sections 1–3 px away mark it: each sample gets the lowest trust
  // within ±TRUST_SPREAD samples.
  const own = weights.slice();
  for (let i = 1; i < n - 1; i++) {
    for (let k = Math.max(1, i - TRUST_SPREAD); k <= Math.min(n - 2, i + TRUST_SPREAD); k++) if (own[k] < weights[i]) weights[i] = own[k];
  }
  return { points: out, weights };
}

/** Asymmetry of the cross-section at which a sample counts half in the smoothing (see symmetryWeight). */
const ASYMMETRY_HALF_WEIGHT = 0.3;
/** Samples (≈ px) either side over which a lopsided cross-section lowers the trust of its neighbours. */
const TRUST_SPREAD = 3;

/**
 * How much a fitted sample is trusted, from the symmetry of the cross-section about it: a lone neurite's
 * cross-section is symmetric about its centre, but where a child branch leaves (or another neurite passes within a
 * few px) the extra intensity on one side pulls the peak towards it, by up to ~0.8 px over the ~10 px where the
 * child is still beside the parent. The asymmetry is the larger of |I(+d) − I(−d)| (d = reach/2, reach) relative to
 * the peak's height above the lower end of the cross-section; weight 1 / (1 + (asymmetry / 0.3)⁴), so such samples
 * lean on the clean ones on either side in the smoothing. (Lower thresholds remove more of the junction pull on the
 * synthetic neurons but follow real neurites less well: on NeuronJ's neurites.tif, asymmetric cross-sections are
 * common away from junctions too.)
 */
function symmetryWeight(plane: SmoothedPlane, x: number, y: number, nx: number, ny: number, reach: number): number {
  const f = (d: number) => sampleBilinear(plane, x + d * nx, y + d * ny);
  const c = f(0);
  const lo = Math.min(f(-reach), f(reach));
  const height = c - lo;
  if (!(height > 0)) return 1;
  const a = Math.max(Math.abs(f(reach / 2) - f(-reach / 2)), Math.abs(f(reach) - f(-reach))) / height;
  const q = a / ASYMMETRY_HALF_WEIGHT;
  return 1 / (1 + q * q * q * q);
}

/**
 * Savitzky–Golay smoothing of a stretch whose ends are anchors: at each sample, a quadratic in arc length fitted by
 * weighted least squares over ±3σ (σ in samples ≈ px), each sample weighted by a Gaussian of its distance times its
 * trust (symmetryWeight); the fit's value there is the smoothed point. A quadratic fit follows curvature, where a
 * plain moving average would pull a bend inwards by ~σ²/2R, and it bridges distrusted samples (a junction) with the
 * curve of their neighbours. The stretch is extended by point reflection about each end (p₋ₖ = 2·p₀ − pₖ, with the
 * mirrored trust), so the curve continues smoothly through each anchor, which stays exactly in place; a straight
 * stretch stays straight.
 */
function smoothStretch(pts: Pt[], sigma: number, trust: Float64Array): Pt[] {
  const n = pts.length;
  if (n <= 2 || !(sigma > 0)) return pts;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const g = new Float64Array(r + 1);
  for (let j = 0; j <= r; j++) g[j] = Math.exp((-j * j) / (2 * sigma * sigma));
  // The stretch extended by r samples each side: index k + r holds sample k.
  const m = n + 2 * r;
  const ex = new Float64Array(m);
  const ey = new Float64Array(m);
  const ew = new Float64Array(m);
  const fill = (k: number): void => {
    const e = k + r;
    if (k >= 0 && k <= n - 1) {
      ex[e] = pts[k][0];
      ey[e] = pts[k][1];
      ew[e] = trust[k];
      return;
    }
    // Repeated reflection covers windows longer than the stretch.
    const end = k < 0 ? 0 : n - 1;
    const mirror = 2 * end - k;
    fill(mirror);
    ex[e] = 2 * pts[end][0] - ex[mirror + r];
    ey[e] = 2 * pts[end][1] - ey[mirror + r];
    ew[e] = ew[mirror + r];
  };
  for (let k = -r; k < n + r; k++) fill(k);
  const out: Pt[] = [pts[0]];
  for (let i = 1; i < n - 1; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    let y0 = 0;
    let y1 = 0;
    let y2 = 0;
    for (let j = -r; j <= r; j++) {
      const e = i + j + r;
      const w = g[j < 0 ? -j : j] * ew[e];
      const wj = w * j;
      const wj2 = wj * j;
      s0 += w;
      s1 += wj;
      s2 += wj2;
      s3 += wj2 * j;
      s4 += wj2 * j * j;
      x0 += w * ex[e];
      x1 += wj * ex[e];
      x2 += wj2 * ex[e];
      y0 += w * ey[e];
      y1 += wj * ey[e];
      y2 += wj2 * ey[e];
    }
    // c₀ of the weighted quadratic fit (normal equations by Cramer's rule).
    const a = s2 * s4 - s3 * s3;
    const b = s1 * s4 - s3 * s2;
    const c = s1 * s3 - s2 * s2;
    const det = s0 * a - s1 * b + s2 * c;
    if (!(det > 0)) {
      out.push(pts[i]);
      continue;
    }
    out.push([(x0 * a - x1 * b + x2 * c) / det, (y0 * a - y1 * b + y2 * c) / det]);
  }
  out.push(pts[n - 1]);
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
    const fit = fitCrossSections(plane, samples, reach);
    const fitted = smoothStretch(fit.points, Math.min(smoothing, (samples.length - 1) / 6), fit.weights);
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
