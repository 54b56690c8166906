type Point = [number, number];

/** Where a child's centre line meets its parent's. */
export interface Junction {
  /** The junction, on the parent's line. */
  point: Point;
  /** The child's line from the junction on: the point where it leaves the parent's overlap, then its later vertices. */
  child: Point[];
}

const STEP = 0.5;
/** The farthest a child's line is extended back onto its parent (px): a branch leaving at 15° from a parent 4 px wide. */
const SHALLOW_REACH_PX = 40;

/**
 * The junction of a side branch, placed where the two centre lines meet rather than where the geodesic search split
 * them. The search splits a child off its parent at the last pixel their shortest paths share, anywhere along the
 * stretch where the two neurites still overlap (px before the true junction when the child cuts the corner). So: walk
 * the child's line until it is more than `overlap` px from the parent's, take its direction over the next `lead` px,
 * and extend it back onto the parent (further at shallow angles); where that line only grazes the parent (a child
 * running straight on where its parent turns), take where it passes it; where it misses the parent nearby, drop a
 * perpendicular. Null when the child never leaves the parent's overlap. The parent's line is searched from vertex
 * `first` on.
 */
export function junctionOnParent(parent: readonly Point[], child: readonly Point[], overlap: number, lead: number, first = 0): Junction | null {
  if (parent.length - first < 2 || child.length < 2) return null;
  let near = first;
  const out = walk(child, 0, 0, (p) => {
    near = segmentWithin(parent, p, overlap, first, near);
    return near < 0 ? ((near = first), true) : false;
  });
  if (!out) return null;
  const ahead = walk(child, out.segment, out.t, null, lead);
  let reach = 2 * overlap + lead;
  const q = out.point;
  const foot = distanceToPolyline(parent, q, first);
  let point: Point | null = null;
  if (ahead) {
    const dx = q[0] - ahead.point[0];
    const dy = q[1] - ahead.point[1];
    const norm = Math.hypot(dx, dy);
    // A child leaving at a shallow angle meets the parent far behind where it leaves its width: the line reaches
    // half as far again as it needs to at the parent's direction there, up to SHALLOW_REACH_PX.
    if (norm > 1e-6) {
      const i = Math.min(parent.length - 2, Math.floor(foot.at));
      const tx = parent[i + 1][0] - parent[i][0];
      const ty = parent[i + 1][1] - parent[i][1];
      const sin = Math.abs(tx * dy - ty * dx) / (Math.hypot(tx, ty) * norm);
      if (sin > 0.05) reach = Math.max(reach, Math.min(SHALLOW_REACH_PX, (1.5 * foot.d) / sin));
    }
    if (norm > 1e-6) point = rayHit(parent, q[0], q[1], dx / norm, dy / norm, first, reach) ?? rayGraze(parent, q[0], q[1], dx / norm, dy / norm, first, reach);
  }
  if (!point) {
    if (foot.d > reach) return null;
    point = foot.point;
  }
  return { point, child: [q, ...child.slice(out.segment + 1).filter((p, i) => i > 0 || Math.hypot(p[0] - q[0], p[1] - q[1]) > 1e-6)] };
}

/**
 * Walks a polyline in STEP px steps from (segment, t): the first point where `stop` holds, or with `stop` null the
 * point `distance` px on (clamped to the end). Null when `stop` never holds.
 */
function walk(line: readonly Point[], segment: number, t: number, stop: ((p: Point) => boolean) | null, distance = Infinity): { point: Point; segment: number; t: number } | null {
  let travelled = 0;
  for (let i = segment; i + 1 < line.length; i++) {
    const [ax, ay] = line[i];
    const [bx, by] = line[i + 1];
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 1e-9) continue;
    let u = i === segment ? t : 0;
    for (;;) {
      const p: Point = [ax + u * (bx - ax), ay + u * (by - ay)];
      if (stop ? stop(p) : travelled >= distance) return { point: p, segment: i, t: u };
      if (u >= 1) break;
      const du = Math.min(1 - u, STEP / len);
      u += du;
      travelled += du * len;
    }
  }
  if (stop) return null;
  const last = line[line.length - 1];
  return { point: [last[0], last[1]], segment: line.length - 2, t: 1 };
}

/** Where on the segment from vertex i to i + 1 of the line q is nearest: 0 at vertex i, 1 at i + 1. */
function nearestOnSegment(line: readonly Point[], i: number, q: readonly [number, number]): number {
  const [ax, ay] = line[i];
  const [bx, by] = line[i + 1];
  const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
  return len2 > 0 ? Math.max(0, Math.min(1, ((q[0] - ax) * (bx - ax) + (q[1] - ay) * (by - ay)) / len2)) : 0;
}

/** Distance from q to the segment from vertex i to i + 1 of the line. */
function segmentDistance(line: readonly Point[], i: number, q: readonly [number, number]): number {
  const [ax, ay] = line[i];
  const [bx, by] = line[i + 1];
  const t = nearestOnSegment(line, i, q);
  return Math.hypot(q[0] - (ax + t * (bx - ax)), q[1] - (ay + t * (by - ay)));
}

/**
 * A segment of the polyline (from vertex `first` on) within `d` of q, or −1 when none is: segments are tried from
 * `hint` outwards, so a point walked along beside the line answers at its first try (the whole line was read at
 * each step of every junction, a large arbor's re-prune spent a fifth of its time there).
 */
function segmentWithin(line: readonly Point[], q: readonly [number, number], d: number, first: number, hint: number): number {
  const last = line.length - 2;
  const h = Math.min(Math.max(hint, first), last);
  for (let k = 0; h - k >= first || h + k <= last; k++) {
    if (h + k <= last && segmentDistance(line, h + k, q) <= d) return h + k;
    if (k > 0 && h - k >= first && segmentDistance(line, h - k, q) <= d) return h - k;
  }
  return -1;
}

/**
 * Nearest point of the polyline (from vertex `first` on) to q, its distance, and where it lies (vertex + fraction). A
 * line of one vertex (from `first`) is that point.
 */
export function distanceToPolyline(line: readonly Point[], q: readonly [number, number], first = 0): { d: number; point: Point; at: number } {
  const start = line[first];
  let best = { d: start ? Math.hypot(q[0] - start[0], q[1] - start[1]) : Infinity, point: start as Point, at: first };
  for (let i = first; i + 1 < line.length; i++) {
    const [ax, ay] = line[i];
    const [bx, by] = line[i + 1];
    const t = nearestOnSegment(line, i, q);
    const px = ax + t * (bx - ax);
    const py = ay + t * (by - ay);
    const d = Math.hypot(q[0] - px, q[1] - py);
    if (d < best.d) best = { d, point: [px, py], at: i + t };
  }
  return best;
}

/** How near (px) a ray that runs along the parent without crossing it must pass to meet it there. */
const GRAZE_PX = 1;

/**
 * Where a ray that does not cross the polyline first passes within GRAZE_PX of it (within `reach`), on the
 * polyline: a child that runs straight on from where its parent turns meets the parent's line at a glancing angle,
 * its ray passing a fraction of a px outside the bend. Null when it never comes that near.
 */
function rayGraze(line: readonly Point[], ox: number, oy: number, ux: number, uy: number, first: number, reach: number): Point | null {
  // Only the parent's segments the ray can come near are read at each step.
  const near: number[] = [];
  for (let i = first; i + 1 < line.length; i++) if (segmentDistance(line, i, [ox, oy]) <= reach + GRAZE_PX) near.push(i);
  for (let t = 0; t <= reach; t += STEP) {
    const q: Point = [ox + t * ux, oy + t * uy];
    let best = -1;
    let bestD = Infinity;
    for (const i of near) {
      const d = segmentDistance(line, i, q);
      if (d < bestD) [best, bestD] = [i, d];
    }
    if (bestD <= GRAZE_PX) {
      const s = nearestOnSegment(line, best, q);
      const [ax, ay] = line[best];
      return [ax + s * (line[best + 1][0] - ax), ay + s * (line[best + 1][1] - ay)];
    }
  }
  return null;
}

/** First point within `reach` where the ray from (ox, oy) along unit (ux, uy) crosses the polyline. */
function rayHit(line: readonly Point[], ox: number, oy: number, ux: number, uy: number, first: number, reach: number): Point | null {
  let bestT = reach;
  let hit: Point | null = null;
  for (let i = first; i + 1 < line.length; i++) {
    const [ax, ay] = line[i];
    const ex = line[i + 1][0] - ax;
    const ey = line[i + 1][1] - ay;
    const den = ux * ey - uy * ex;
    if (Math.abs(den) < 1e-12) continue;
    const wx = ax - ox;
    const wy = ay - oy;
    const t = (wx * ey - wy * ex) / den;
    const s = (wx * uy - wy * ux) / den;
    if (t >= 0 && t <= bestT && s >= 0 && s <= 1) {
      bestT = t;
      hit = [ax + s * ex, ay + s * ey];
    }
  }
  return hit;
}
