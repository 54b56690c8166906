import type { NodeTree } from './tree';

/** A straight piece of a tracing: (x1, y1, z1) → (x2, y2, z2), in the units of the comparison. */
export type TracingSegment = readonly [number, number, number, number, number, number];

/** One direction of the comparison: the points sampled on tracing A, measured against tracing B. */
export interface DirectedDistance {
  /** Points sampled on A. */
  points: number;
  /** Mean distance of A's points to B. */
  meanDistance: number;
  /** Mean distance of those of A's points at or beyond the threshold (0 when none is). */
  meanFarDistance: number;
  /** A's points at or beyond the threshold. */
  farPoints: number;
  /** Share of A's points at or beyond the threshold (1 − recall of A by B). */
  farFraction: number;
}

/**
 * Vaa3D's spatial distances between two tracings (Peng et al.; the BigNeuron scores): every edge of each tracing is
 * sampled at ⌊1 + length + 0.5⌋ evenly spaced points (its ends included; an edge shorter than 0.5 gives one point,
 * its child node), each point's distance to the nearest segment of the other tracing is taken, and the two directions
 * are averaged. SD = mean distance; SSD = mean of the distances ≥ `threshold`; %SSD = share of points ≥ it. As in
 * Vaa3D's neuron_distance (neuron_sim_scores.cpp), SSD averages only the directions that have such points (0 when
 * neither has), while %SSD always averages both directions' shares.
 */
export interface TracingDistance {
  threshold: number;
  /** Entire-structure average distance (SD). */
  sd: number;
  /** Different-structure average (SSD). */
  ssd: number;
  /** Share of points farther than the threshold (%SSD as a fraction 0–1). */
  pctSsd: number;
  aToB: DirectedDistance;
  bToA: DirectedDistance;
}

/** Edges of a node tree as segments parent → child, in the tree's units. */
export function treeSegments(tree: NodeTree): TracingSegment[] {
  const out: TracingSegment[] = [];
  for (let i = 0; i < tree.count; i++) {
    const p = tree.parent[i];
    if (p >= 0) out.push([tree.x[p], tree.y[p], tree.z[p], tree.x[i], tree.y[i], tree.z[i]]);
  }
  return out;
}

/** Segments of polylines (each a list of [x, y] or [x, y, z] points). */
export function polylineSegments(lines: ReadonlyArray<ReadonlyArray<readonly number[]>>): TracingSegment[] {
  const out: TracingSegment[] = [];
  for (const line of lines) {
    for (let k = 1; k < line.length; k++) {
      const a = line[k - 1];
      const b = line[k];
      out.push([a[0], a[1], a[2] ?? 0, b[0], b[1], b[2] ?? 0]);
    }
  }
  return out;
}

export function tracingDistance(a: readonly TracingSegment[], b: readonly TracingSegment[], threshold = 2): TracingDistance {
  return combineDirections(directedDistance(a, b, threshold), directedDistance(b, a, threshold), threshold);
}

/** SD, SSD and %SSD from the two directions (see TracingDistance). */
export function combineDirections(aToB: DirectedDistance, bToA: DirectedDistance, threshold: number): TracingDistance {
  const far = [aToB, bToA].filter((d) => d.farPoints > 0);
  return {
    threshold,
    sd: (aToB.meanDistance + bToA.meanDistance) / 2,
    ssd: far.length ? far.reduce((s, d) => s + d.meanFarDistance, 0) / far.length : 0,
    pctSsd: (aToB.farFraction + bToA.farFraction) / 2,
    aToB,
    bToA,
  };
}

/** Distances from the sample points of `from` to the segments of `to` (see TracingDistance). */
export function directedDistance(from: readonly TracingSegment[], to: readonly TracingSegment[], threshold = 2): DirectedDistance {
  const index = new SegmentGrid(to);
  let points = 0;
  let sum = 0;
  let farSum = 0;
  let far = 0;
  for (const s of from) {
    const len = Math.hypot(s[3] - s[0], s[4] - s[1], s[5] - s[2]);
    const k = Math.floor(1 + len + 0.5);
    for (let j = 0; j < k; j++) {
      const t = k === 1 ? 1 : j / (k - 1);
      const d = index.nearest(s[0] + t * (s[3] - s[0]), s[1] + t * (s[4] - s[1]), s[2] + t * (s[5] - s[2]));
      points++;
      sum += d;
      if (d >= threshold) {
        far++;
        farSum += d;
      }
    }
  }
  return { points, meanDistance: points ? sum / points : 0, meanFarDistance: far ? farSum / far : 0, farPoints: far, farFraction: points ? far / points : 0 };
}

/** Uniform xy grid of segments for nearest-segment queries (tracings have many short segments). */
class SegmentGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly cell: number;
  private readonly x0: number;
  private readonly y0: number;
  private readonly cols: number;
  private readonly rows: number;

  constructor(private readonly segs: readonly TracingSegment[]) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let total = 0;
    for (const s of segs) {
      x0 = Math.min(x0, s[0], s[3]);
      y0 = Math.min(y0, s[1], s[4]);
      x1 = Math.max(x1, s[0], s[3]);
      y1 = Math.max(y1, s[1], s[4]);
      total += Math.hypot(s[3] - s[0], s[4] - s[1]);
    }
    this.cell = Math.max(1, segs.length ? (2 * total) / segs.length : 1, Math.max(x1 - x0, y1 - y0) / 1024);
    this.x0 = x0;
    this.y0 = y0;
    this.cols = Math.max(1, Math.floor((x1 - x0) / this.cell) + 1);
    this.rows = Math.max(1, Math.floor((y1 - y0) / this.cell) + 1);
    segs.forEach((s, i) => {
      const cx0 = this.col(Math.min(s[0], s[3]));
      const cx1 = this.col(Math.max(s[0], s[3]));
      const cy0 = this.row(Math.min(s[1], s[4]));
      const cy1 = this.row(Math.max(s[1], s[4]));
      for (let cy = cy0; cy <= cy1; cy++) {
        for (let cx = cx0; cx <= cx1; cx++) {
          const key = cx + this.cols * cy;
          const list = this.cells.get(key);
          if (list) list.push(i);
          else this.cells.set(key, [i]);
        }
      }
    });
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) / this.cell)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
  }

  /** Distance from a point to the nearest segment (Infinity when there are none). */
  nearest(x: number, y: number, z: number): number {
    if (this.segs.length === 0) return Infinity;
    const cx = Math.floor((x - this.x0) / this.cell);
    const cy = Math.floor((y - this.y0) / this.cell);
    let best = Infinity;
    const maxRing = this.cols + this.rows + Math.abs(cx) + Math.abs(cy);
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        if (gy < 0 || gy >= this.rows) continue;
        const edge = gy === cy - ring || gy === cy + ring;
        for (let gx = cx - ring; gx <= cx + ring; gx += edge ? 1 : 2 * ring || 1) {
          if (gx < 0 || gx >= this.cols) continue;
          const list = this.cells.get(gx + this.cols * gy);
          if (list) for (const i of list) best = Math.min(best, pointSegment3(x, y, z, this.segs[i]));
        }
      }
      // Every cell not yet searched lies at least `ring` cells (minus the point's offset in its own cell) away.
      if (best <= ring * this.cell) break;
    }
    return best;
  }
}

function pointSegment3(px: number, py: number, pz: number, s: TracingSegment): number {
  const vx = s[3] - s[0];
  const vy = s[4] - s[1];
  const vz = s[5] - s[2];
  const len2 = vx * vx + vy * vy + vz * vz;
  let t = len2 > 0 ? ((px - s[0]) * vx + (py - s[1]) * vy + (pz - s[2]) * vz) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(s[0] + t * vx - px, s[1] + t * vy - py, s[2] + t * vz - pz);
}
