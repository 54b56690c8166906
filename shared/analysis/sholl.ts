import { linearRegression, rSquared } from 'simple-statistics';
import { bestPolynomialFit, evaluatePolynomial, polynomialMaximum } from './polyfit';
import { samePositionIds } from './position-ids';
import type { NodeTree } from './tree';

/** Sholl sampling; every value in measurement units (µm, or px when uncalibrated). */
export interface ShollOptions {
  /** First radius (default 10). */
  start?: number;
  /** Radius increment, > 0 (default 1). */
  step?: number;
  /** Last radius (default: the distance of the farthest node from the centre). */
  end?: number;
  /** Polynomial degrees tried for the best fit (default 1–8). */
  minDegree?: number;
  maxDegree?: number;
}

/** One sampled shell. */
export interface ShollSample {
  /** Shell radius. */
  radius: number;
  /** Distinct points where the tree meets the shell. */
  crossings: number;
  /** Best-fit polynomial at this radius; null when no fit. */
  fitted: number | null;
}

/** A log-linear regression of normalised crossings (SNT NormalizedProfileStats). */
export interface ShollRegression {
  /** Slope of ln(N/A) against r (semi-log) or ln r (log-log). */
  slope: number;
  /** Intercept of that line. */
  intercept: number;
  /** −slope: the Sholl regression (decay) coefficient k. */
  decay: number;
  /** Coefficient of determination of the line. */
  rSquared: number;
}

export interface ShollResult {
  /** Unit of radii. */
  unit: 'µm' | 'px';
  /** Shell centre in measurement units (the soma centre, or the root of a soma-less tree). */
  centre: { x: number; y: number; z: number };
  /** True when shells are spheres (some node off the centre's plane): normalisation uses 4/3·π·r³. */
  is3D: boolean;
  /** Sampling actually used. */
  start: number;
  step: number;
  end: number;
  profile: ShollSample[];
  /** Highest sampled count, Nmax (0 for an empty profile). */
  maxCrossings: number;
  /** First radius reaching Nmax; null when Nmax = 0. */
  maxCrossingsRadius: number | null;
  /** Largest sampled radius with N ≥ 1; null when no crossings. */
  enclosingRadius: number | null;
  /** Σ N over sampled radii. */
  sumCrossings: number;
  /** Mean N over sampled radii; null for an empty profile. */
  meanCrossings: number | null;
  /** Number of sampled radii with N > 0. */
  intersectingRadii: number;
  /** Schoenen ramification index Nmax / primary branches; null without primaries. */
  ramificationIndex: number | null;
  /** Best polynomial fit (highest adjusted R²), null when fewer than 3 radii or a constant profile. */
  polynomial: {
    degree: number;
    rSquared: number;
    adjustedRSquared: number;
    /** Critical value: the maximum of the fitted polynomial within the sampled range ("Nm" in Sholl literature). */
    criticalValue: number;
    /** Critical radius: where that maximum occurs ("rc"). */
    criticalRadius: number;
  } | null;
  /** ln(N/A) vs r over radii with N > 0 and r > 0; null with fewer than 2 such radii. */
  semiLog: ShollRegression | null;
  /** ln(N/A) vs ln r over the same radii. */
  logLog: ShollRegression | null;
  /** R²(semi-log) / R²(log-log); null when either is missing or R²(log-log) = 0. */
  determinationRatio: number | null;
}

/**
 * Index lookups into ascending squared radii R2. computeSholl samples evenly spaced radii, so the index is guessed
 * from √v and then walked to the exact answer by comparing with R2 itself: O(1) per lookup instead of a binary
 * search (which was most of the crossing count's time), and exact for any ascending R2, merely slower when uneven.
 */
class RadiusIndex {
  private readonly r0: number;
  private readonly perStep: number;

  constructor(private readonly R2: Float64Array) {
    const K = R2.length;
    this.r0 = K > 0 ? Math.sqrt(R2[0]) : 0;
    const span = K > 1 ? Math.sqrt(R2[K - 1]) - this.r0 : 0;
    this.perStep = span > 0 ? (K - 1) / span : 0;
  }

  private guess(v: number): number {
    const K = this.R2.length;
    const k = Math.floor((Math.sqrt(v) - this.r0) * this.perStep);
    // A NaN guess (v NaN, or ∞·0) starts at K, where a binary search would also end.
    return k >= 0 ? (k < K ? k : K) : k < 0 ? 0 : K;
  }

  /** Smallest k with R2[k] > v (K when none). */
  firstGreater(v: number): number {
    const R2 = this.R2;
    let k = this.guess(v);
    while (k > 0 && R2[k - 1] > v) k--;
    while (k < R2.length && R2[k] <= v) k++;
    return k;
  }

  /** Smallest k with R2[k] >= v (K when none). */
  firstGreaterEq(v: number): number {
    const R2 = this.R2;
    let k = this.guess(v);
    while (k > 0 && R2[k - 1] >= v) k--;
    while (k < R2.length && R2[k] < v) k++;
    return k;
  }
}

/**
 * Crossing counts of the tree's edges (stems included, as SNT profiles every path segment from the root) with
 * circles/spheres of squared radii R2 (ascending) around node 0.
 *
 * N(r) is the number of distinct points where the traced polyline meets the shell: an edge whose ends lie on
 * opposite sides crosses once, one that dips inside between two outside ends crosses twice (once if tangent), and a
 * node exactly on the shell counts once however many edges meet there (nodes at identical positions, e.g. SNT's
 * duplicated fork nodes, count once), and a segment traced twice between the same two positions counts once.
 * Because |p(t) − c|² is a convex quadratic along an edge, each edge's count is
 * a piecewise-constant function of R² with breakpoints at its endpoints' squared distances and its minimum, so the
 * profile is accumulated with a difference array in O(edges · log radii + radii) rather than by solving one
 * quadratic per edge and radius. Classification works on the same squared distances throughout, so an edge end and
 * the node it shares are never counted twice. SNT's TreeParser instead counts an edge on [d_near, d_far) of its
 * endpoint distances only (no double crossings, tips counted inside); on trees whose edges move away from the soma
 * the two agree except at radii exactly on a node.
 */
export function shollCrossings(tree: NodeTree, R2: Float64Array): Int32Array {
  const K = R2.length;
  const diff = new Int32Array(K + 1);
  const counts = new Int32Array(K);
  const n = tree.count;
  if (n === 0 || K === 0) return counts;
  const { x, y, z, parent } = tree;
  const cx = x[0];
  const cy = y[0];
  const cz = z[0];
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dx = x[i] - cx;
    const dy = y[i] - cy;
    const dz = z[i] - cz;
    d2[i] = dx * dx + dy * dy + dz * dz;
  }
  // Positions, not node indices, identify points and segments: ids[i] is the first node at node i's position. When no
  // position repeats, no segment can repeat either (a tree has one edge per child), so the segment check is skipped.
  const { ids, anyShared } = samePositionIds(x, y, z, n);
  const edges = anyShared ? new Set<number>() : null;
  const index = new RadiusIndex(R2);
  const open = (a: number, b: number, c: number) => {
    const from = index.firstGreater(a);
    const to = index.firstGreaterEq(b);
    if (from < to) {
      diff[from] += c;
      diff[to] -= c;
    }
  };
  const at = (v: number, c: number) => {
    const k = index.firstGreaterEq(v);
    if (k < K && R2[k] === v) counts[k] += c;
  };
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    const e0 = d2[p];
    const e1 = d2[i];
    const ux = x[i] - x[p];
    const uy = y[i] - y[p];
    const uz = z[i] - z[p];
    const a = ux * ux + uy * uy + uz * uz;
    if (a === 0) continue;
    // A segment traced twice (SNT child paths may restart on their parent's segment) meets each shell at the same
    // points as its first copy: count it once.
    if (edges) {
      const u = ids[p] < ids[i] ? ids[p] : ids[i];
      const key = u * n + (ids[p] + ids[i] - u);
      if (edges.has(key)) continue;
      edges.add(key);
    }
    const b = (x[p] - cx) * ux + (y[p] - cy) * uy + (z[p] - cz) * uz;
    const t = -b / a;
    const lo = e0 < e1 ? e0 : e1;
    const hi = e0 < e1 ? e1 : e0;
    const m = t > 0 && t < 1 ? e0 - (b * b) / a : lo;
    if (m < lo) {
      open(m, lo, 2);
      at(m, 1);
      if (lo < hi) at(lo, 1);
    }
    open(lo, hi, 1);
  }
  let run = 0;
  for (let k = 0; k < K; k++) {
    run += diff[k];
    counts[k] += run;
  }
  // Nodes exactly on a shell: one point each, so only the first node at a position counts. Only nodes that have an
  // edge count (a lone root has none).
  if (n > 1) {
    for (let i = 0; i < n; i++) {
      if (ids[i] !== i) continue;
      const k = index.firstGreaterEq(d2[i]);
      if (k < K && R2[k] === d2[i]) counts[k]++;
    }
  }
  return counts;
}

function regression(xs: number[], ys: number[]): ShollRegression | null {
  if (xs.length < 2) return null;
  const pts = xs.map((v, i) => [v, ys[i]]);
  const line = linearRegression(pts);
  if (!Number.isFinite(line.m)) return null;
  const r2 = rSquared(pts, (v: number) => line.m * v + line.b);
  return { slope: line.m, intercept: line.b, decay: -line.m, rSquared: r2 };
}

/**
 * Sholl analysis of a node tree (definitions and SNT correspondences in docs/data-dictionary.md): sampled radii
 * r_k = start + k·step for every r_k ≤ end, crossings per shell, and SNT's LinearProfileStats /
 * NormalizedProfileStats metrics.
 */
export function computeSholl(tree: NodeTree, unit: 'µm' | 'px', primaryBranches: number, options: ShollOptions = {}): ShollResult {
  const start = options.start ?? 10;
  const step = options.step ?? 1;
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`Sholl step must be a positive number (got ${step}).`);
  if (!(start >= 0) || !Number.isFinite(start)) throw new RangeError(`Sholl start radius must be ≥ 0 (got ${start}).`);
  let farthest = 0;
  const n = tree.count;
  for (let i = 1; i < n; i++) {
    const d = (tree.x[i] - tree.x[0]) ** 2 + (tree.y[i] - tree.y[0]) ** 2 + (tree.z[i] - tree.z[0]) ** 2;
    if (d > farthest) farthest = d;
  }
  const end = options.end ?? Math.sqrt(farthest);
  // A relative epsilon keeps r_K = end when (end − start)/step is an integer up to rounding.
  const K = end >= start ? Math.floor((end - start) / step + 1e-9) + 1 : 0;
  const radii = new Float64Array(K);
  const R2 = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    radii[k] = start + k * step;
    R2[k] = radii[k] * radii[k];
  }
  const counts = shollCrossings(tree, R2);

  let maxCrossings = 0;
  let maxRadius: number | null = null;
  let enclosing: number | null = null;
  let sum = 0;
  let intersecting = 0;
  for (let k = 0; k < K; k++) {
    const c = counts[k];
    sum += c;
    if (c > 0) {
      intersecting++;
      enclosing = radii[k];
    }
    if (c > maxCrossings) {
      maxCrossings = c;
      maxRadius = radii[k];
    }
  }

  const fit = K >= 3 ? bestPolynomialFit(radii, counts, options.minDegree ?? 1, options.maxDegree ?? 8) : null;
  let polynomial: ShollResult['polynomial'] = null;
  if (fit) {
    const top = polynomialMaximum(fit, radii[0], radii[K - 1]);
    polynomial = { degree: fit.degree, rSquared: fit.rSquared, adjustedRSquared: fit.adjustedRSquared, criticalValue: top.value, criticalRadius: top.x };
  }

  // Normalised profiles: A = π r² (2D) or 4/3 π r³ (3D), as SNT's AREA / VOLUME normalisers; zero counts dropped.
  const rs: number[] = [];
  const logR: number[] = [];
  const logN: number[] = [];
  for (let k = 0; k < K; k++) {
    const r = radii[k];
    if (counts[k] <= 0 || r <= 0) continue;
    const area = tree.is3D ? (4 / 3) * Math.PI * r * r * r : Math.PI * r * r;
    rs.push(r);
    logR.push(Math.log(r));
    logN.push(Math.log(counts[k] / area));
  }
  const semiLog = regression(rs, logN);
  const logLog = regression(logR, logN);
  const determinationRatio = semiLog && logLog && logLog.rSquared > 0 && Number.isFinite(semiLog.rSquared) ? semiLog.rSquared / logLog.rSquared : null;

  const profile: ShollSample[] = new Array(K);
  for (let k = 0; k < K; k++) profile[k] = { radius: radii[k], crossings: counts[k], fitted: fit ? evaluatePolynomial(fit, radii[k]) : null };
  return {
    unit,
    centre: { x: n > 0 ? tree.x[0] : 0, y: n > 0 ? tree.y[0] : 0, z: n > 0 ? tree.z[0] : 0 },
    is3D: tree.is3D,
    start,
    step,
    end,
    profile,
    maxCrossings,
    maxCrossingsRadius: maxRadius,
    enclosingRadius: enclosing,
    sumCrossings: sum,
    meanCrossings: K > 0 ? sum / K : null,
    intersectingRadii: intersecting,
    ramificationIndex: primaryBranches > 0 ? maxCrossings / primaryBranches : null,
    polynomial,
    semiLog,
    logLog,
    determinationRatio,
  };
}
