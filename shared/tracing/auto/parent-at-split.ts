import { distanceToPolyline } from './junction';

type Point = [number, number];

/** The parent's line straight to within this (px) on both sides of a bulge: a straight neurite there. */
const STRAIGHT_PX = 0.5;
/** A deviation towards the child smaller than this (px) is the centre line's own scatter, not a bulge. */
const BULGE_PX = 0.3;
/** The least deviation (px) worth straightening: under it the line stays exactly as fitted. */
const LEAST_BULGE_PX = 0.6;
/** Length of each straight stretch read on either side of a bulge (px). */
const FLANK_PX = 20;
/** The least of each stretch the parent must have (px). */
const LEAST_FLANK_PX = 10;
/** How far past the child's width the parent's straight stretch beyond it begins (px): the bulge's tail. */
const AFTER_PX = 5;
/** How far back from where the child leaves a bulge must have begun (px). */
const QUIET_PX = 15;
/** A run this long (px) within BULGE_PX ends a bulge; the straight stretch before it ends as far before. */
const EDGE_PX = 5;
/** The farthest back from where the child leaves that a bulge is followed (px): a branch at 15° off a thick parent. */
const BACK_PX = 60;

/**
 * A parent's centre line straightened where it bulges towards a child that split off at a shallow angle. Over the
 * stretch where the two still overlap their cross-sections are one blob, and the parent's centre line (fitted to the
 * blob's ridge) leans towards the child before coming back where they part: the child's line, extended back onto
 * that bulge, meets it px past the true junction. When the parent runs straight (within STRAIGHT_PX of one line)
 * for FLANK_PX on both sides of such a bulge, at most its half-width deep, its vertices over the bulge move onto
 * that line. `overlaps[k]`: the parent's half-width where child k leaves it; the parent's own vertices start at
 * `first`. A parent that bends there, or has no room on either side, stays as it is; so does the line when nothing
 * moves (same array).
 */
export function straightenAtSplits(parent: readonly Point[], children: ReadonlyArray<readonly Point[]>, overlaps: readonly number[], first: number): Point[] {
  let line = parent as Point[];
  if (parent.length - first < 2) return line;
  let arc = arcLengths(line, first);
  children.forEach((child, k) => {
    const bulge = bulgeAt(line, arc, child, overlaps[k], first);
    const inside = (i: number) => bulge !== null && arc[i] > bulge.from && arc[i] < bulge.to;
    if (!bulge || !line.some((_, i) => i >= first && inside(i))) return;
    // Copied once, when the first vertex moves: most parents have no bulge.
    if (line === parent) line = parent.map((p): Point => [p[0], p[1]]);
    for (let i = first; i < line.length; i++) if (inside(i)) line[i] = project(bulge.onto, line[i]);
    arc = arcLengths(line, first);
  });
  return line;
}

/**
 * The bulge of `line` (`arc`: its arc lengths) towards one child: the line its vertices move onto and the arc
 * lengths it lies between (vertices strictly between them move). Null when there is none to straighten.
 */
function bulgeAt(line: readonly Point[], arc: Float64Array, child: readonly Point[], overlap: number, first: number): { onto: FittedLine; from: number; to: number } | null {
  const total = arc[line.length - 1];
  if (child.length < 2) return null;
  // Where the child leaves the parent's width, and on which side: read on the parent's stretch around the child's
  // start only (a long parent read whole for each vertex of each of hundreds of children slows a re-prune).
  const start0 = arc[nearestVertex(line, child[0], first)];
  const lo = vertexAt(arc, Math.max(arc[first], start0 - BACK_PX), first);
  const hi = Math.min(line.length - 1, vertexAt(arc, start0 + BACK_PX, first) + 1);
  const stretch = line.slice(lo, hi + 1);
  let leaves: ReturnType<typeof distanceToPolyline> | null = null;
  let side = 0;
  for (const p of child) {
    const foot = distanceToPolyline(stretch, p);
    if (foot.d <= overlap) continue;
    leaves = { ...foot, at: foot.at + lo };
    side = Math.sign(cross(line, leaves.at, p[0] - foot.point[0], p[1] - foot.point[1]));
    break;
  }
  if (!leaves || side === 0) return null;
  const at = arcAt(arc, leaves.at);
  // Past where the child leaves (and its width), the parent runs on alone.
  const after0 = at + 2 * overlap + AFTER_PX;
  const after1 = Math.min(total, after0 + FLANK_PX);
  if (after1 - after0 < LEAST_FLANK_PX) return null;
  const afterFit = fitLine(samples(line, arc, after0, after1));
  if (!afterFit || afterFit.residual > STRAIGHT_PX) return null;
  const toward = (p: Point) => side * signedDistance(afterFit, p);
  // Back from where the child leaves, while the parent stays off that line towards the child (a bulge that has not
  // begun within QUIET_PX is none).
  let start = NaN;
  let quiet = 0;
  for (let s = at; s >= Math.max(arc[first], at - BACK_PX); s -= 1) {
    if (toward(pointAt(line, arc, s)) > BULGE_PX) {
      start = s;
      quiet = 0;
    } else if (++quiet >= (Number.isNaN(start) ? QUIET_PX : EDGE_PX)) break;
  }
  if (Number.isNaN(start)) return null;
  const before1 = start - EDGE_PX;
  const before0 = Math.max(arc[first], before1 - FLANK_PX);
  if (before1 - before0 < LEAST_FLANK_PX) return null;
  const both = fitLine([...samples(line, arc, before0, before1), ...samples(line, arc, after0, after1)]);
  if (!both || both.residual > STRAIGHT_PX) return null;
  let most = 0;
  for (let s = before1; s <= after0; s += 1) most = Math.max(most, side * signedDistance(both, pointAt(line, arc, s)));
  // The ridge of the blob the two make leans at most the parent's half-width: a larger bulge is the neurite's own
  // course (a jog, a crossing).
  if (most < LEAST_BULGE_PX || most > overlap) return null;
  return { onto: both, from: before1, to: after0 };
}

interface FittedLine {
  /** A point on the line and its unit direction. */
  cx: number;
  cy: number;
  ux: number;
  uy: number;
  /** Farthest sample from the line, px. */
  residual: number;
}

/** Total least squares through the points; null for fewer than 3. Oriented along the points' order. */
function fitLine(points: readonly Point[]): FittedLine | null {
  if (points.length < 3) return null;
  let cx = 0;
  let cy = 0;
  for (const [x, y] of points) {
    cx += x;
    cy += y;
  }
  cx /= points.length;
  cy /= points.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - cx) ** 2;
    sxy += (x - cx) * (y - cy);
    syy += (y - cy) ** 2;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let ux = Math.cos(angle);
  let uy = Math.sin(angle);
  const [ax, ay] = points[0];
  const [bx, by] = points[points.length - 1];
  if ((bx - ax) * ux + (by - ay) * uy < 0) [ux, uy] = [-ux, -uy];
  const fitted = { cx, cy, ux, uy, residual: 0 };
  for (const p of points) fitted.residual = Math.max(fitted.residual, Math.abs(signedDistance(fitted, p)));
  return fitted;
}

/** Signed distance of p from the line: positive on the side `cross` calls positive (the line runs the parent's way). */
function signedDistance(l: FittedLine, p: readonly [number, number]): number {
  return l.ux * (p[1] - l.cy) - l.uy * (p[0] - l.cx);
}

function project(l: FittedLine, p: readonly [number, number]): Point {
  const t = (p[0] - l.cx) * l.ux + (p[1] - l.cy) * l.uy;
  return [l.cx + t * l.ux, l.cy + t * l.uy];
}

/** Cross product of the line's direction at position `at` (vertex + fraction) with (dx, dy). */
function cross(line: readonly Point[], at: number, dx: number, dy: number): number {
  const i = Math.min(line.length - 2, Math.floor(at));
  const tx = line[i + 1][0] - line[i][0];
  const ty = line[i + 1][1] - line[i][1];
  return tx * dy - ty * dx;
}

/** Arc length at each vertex from vertex `first` (0 there; earlier vertices 0 too). */
function arcLengths(line: readonly Point[], first: number): Float64Array {
  const arc = new Float64Array(line.length);
  for (let i = first + 1; i < line.length; i++) {
    const dx = line[i][0] - line[i - 1][0];
    const dy = line[i][1] - line[i - 1][1];
    arc[i] = arc[i - 1] + Math.sqrt(dx * dx + dy * dy);
  }
  return arc;
}

/** Arc length at position `at` (vertex + fraction). */
function arcAt(arc: Float64Array, at: number): number {
  const i = Math.min(arc.length - 2, Math.floor(at));
  return arc[i] + (at - i) * (arc[i + 1] - arc[i]);
}

/** The vertex (from `first` on) nearest q. */
function nearestVertex(line: readonly Point[], q: Point, first: number): number {
  let best = first;
  let bestD = Infinity;
  for (let i = first; i < line.length; i++) {
    const d = (line[i][0] - q[0]) ** 2 + (line[i][1] - q[1]) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  }
  return best;
}

/** The last vertex (from `first` on) at or before arc length s. */
function vertexAt(arc: Float64Array, s: number, first: number): number {
  let i = first;
  let hi = arc.length - 1;
  while (i < hi) {
    const mid = (i + hi + 1) >> 1;
    if (arc[mid] <= s) i = mid;
    else hi = mid - 1;
  }
  return i;
}

/** The point at arc length s (clamped to the line). */
function pointAt(line: readonly Point[], arc: Float64Array, s: number): Point {
  const i = Math.min(line.length - 2, vertexAt(arc, s, 0));
  const len = arc[i + 1] - arc[i];
  const t = len > 0 ? Math.max(0, Math.min(1, (s - arc[i]) / len)) : 0;
  return [line[i][0] + t * (line[i + 1][0] - line[i][0]), line[i][1] + t * (line[i + 1][1] - line[i][1])];
}

/** Points every px of arc length from s0 to s1. */
function samples(line: readonly Point[], arc: Float64Array, s0: number, s1: number): Point[] {
  const out: Point[] = [];
  for (let s = s0; s <= s1; s += 1) out.push(pointAt(line, arc, s));
  return out;
}
