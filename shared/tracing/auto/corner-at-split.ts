import type { AutoBranch, AutoNeuron, AutoNode } from './auto-neuron';
import { densify } from './densify';

type Point = [number, number];

/** How much straighter (in cos of the turn) another pair of arms must run through a split than the parent's own two. */
const STRAIGHTER = 0.1;
/** The least straightness (cos of the turn) of a pair of arms taken as one neurite running through: a turn of 18°. */
const THROUGH = Math.cos((18 * Math.PI) / 180);
/** The most the third arm may turn between its first stretch beyond the overlap and the next (cos). */
const BENT = Math.cos((10 * Math.PI) / 180);
/** How near the arms' lines must pass to a junction of several forks on average, and each at most (px). */
const RESIDUAL_PX = 0.5;
const MISS_PX = 1;

/** Node lists and results of earlier calls: a re-prune hands the same node lists again, and gets the same ones back. */
export interface CornerReads {
  ids: WeakMap<object, number>;
  nextId: number;
  made: WeakMap<readonly AutoNode[], Array<{ key: string; made: BranchCorners }>>;
}

export function newCornerReads(): CornerReads {
  return { ids: new WeakMap(), nextId: 0, made: new WeakMap() };
}

/** A branch's nodes drawn through the forks moved, and per child hung from it its nodes, node and how far its own nodes shifted. */
interface BranchCorners {
  nodes: AutoNode[];
  kids: Array<{ nodes: AutoNode[]; parentNode: number; shift: number }>;
}

/** What a branch's corners are worked out from for one child: its nodes, where it hangs, where its first child hangs. */
interface Kid {
  nodes: AutoNode[];
  parentNode: number;
  /** The lowest index of its nodes a child of its own hangs from (Infinity when none does). */
  firstHung: number;
}

/**
 * Forks moved to where the centre lines meet at a corner. A fork has three arms: the parent's line before it (A),
 * after it (B) and the child's (C). The tracer places a fork by extending C back onto A-B, right where the parent
 * runs straight through. But the search's main path often turns at a fork, into the neurite that leaves at an angle,
 * while the one running straight on becomes the child: the parent's line, fitted to the blob where the two overlap,
 * cuts the corner, and the fork sits on the cut px away from the true one (either side of it). Where A-C or B-C run
 * straighter through than A-B (and within 18° of straight), the third arm's line, read beyond the overlap and
 * straight there, is extended onto the line of the two running through; the parent's line is drawn through that
 * point and the child starts there. Forks within the reading distance of each other are one junction of four or
 * more arms (a parent cutting through it hangs each child px from it): they move together to the point nearest all
 * the arms' lines, where the lines agree on one. Runs on the neurons as finally drawn (after crossings.ts, which reads
 * the forks as the search placed them). A fork with another one within its stretch, or whose child has a child of its
 * own hanging inside it, stays.
 */
export function cornerForks(neuron: AutoNeuron, spacing: number, reads: CornerReads): AutoNeuron {
  const kidsOf = new Map<number, number[]>();
  neuron.branches.forEach((b, i) => {
    if (b.parent < 0) return;
    const list = kidsOf.get(b.parent);
    if (list) list.push(i);
    else kidsOf.set(b.parent, [i]);
  });
  let branches: AutoBranch[] | null = null;
  const id = (o: object) => {
    let k = reads.ids.get(o);
    if (k === undefined) reads.ids.set(o, (k = reads.nextId++));
    return k;
  };
  // Parents come before their children: a child's nodes are final when its own children are read.
  for (let p = 0; p < neuron.branches.length; p++) {
    const list = kidsOf.get(p);
    if (!list) continue;
    const now = branches ?? neuron.branches;
    const kids: Kid[] = list.map((k) => ({ nodes: now[k].nodes, parentNode: now[k].parentNode, firstHung: Math.min(Infinity, ...(kidsOf.get(k) ?? []).map((g) => now[g].parentNode)) }));
    const parentNodes = now[p].nodes;
    const key = kids.map((k) => `${id(k.nodes)} ${k.parentNode} ${k.firstHung}`).join('|') + ` ${spacing}`;
    let known = reads.made.get(parentNodes);
    if (!known) reads.made.set(parentNodes, (known = []));
    let entry = known.find((e) => e.key === key);
    if (!entry) known.unshift((entry = { key, made: cornersOnBranch(parentNodes, kids, spacing) }));
    if (known.length > 16) known.length = 16;
    const made = entry.made;
    if (made.nodes === parentNodes) continue;
    branches ??= [...neuron.branches];
    branches[p] = { ...branches[p], nodes: made.nodes };
    list.forEach((k, m) => {
      const { nodes, parentNode, shift } = made.kids[m];
      branches![k] = { ...branches![k], nodes, parentNode };
      if (shift !== 0) for (const g of kidsOf.get(k) ?? []) branches![g] = { ...branches![g], parentNode: branches![g].parentNode + shift };
    });
  }
  return branches ? { ...neuron, branches } : neuron;
}

/** The forks on one branch moved (see cornerForks); the same `nodes` when none moves. */
function cornersOnBranch(parentNodes: AutoNode[], kids: readonly Kid[], spacing: number): BranchCorners {
  let nodes = parentNodes;
  const out = kids.map((k) => ({ nodes: k.nodes, parentNode: k.parentNode, shift: 0 }));
  let line = nodes.map((n): Point => [n.x, n.y]);
  // From the last fork back, so that the node indices of those before it stay as they are.
  let before = Infinity;
  for (const group of forkGroups(line, kids, nodes).reverse()) {
    const hs = group.map((m) => kids[m].parentNode);
    const radius = nodes[hs[0]].r;
    const { reach } = readingDistances(radius);
    const children = group.map((m) => lineStart(line[kids[m].parentNode], kids[m].nodes, reach));
    const corner = group.length === 1 ? cornerAt(line, hs[0], children[0], radius) : junctionOf(line, hs, children, radius);
    if (!corner || corner.to >= before) continue;
    if (group.some((m, k) => Math.floor(corner.leads[k].childAt) > kids[m].firstHung)) continue;
    if (out.some((q, n) => !group.includes(n) && q.parentNode >= corner.from && q.parentNode <= corner.to)) continue;
    const i = Math.floor(corner.from);
    const j = Math.floor(corner.to);
    const stretch = densify([corner.a1, corner.point, corner.b1], spacing);
    const made: AutoNode[] = stretch.points.map(([x, y]) => ({ x, y, r: radius }));
    const head = nodes.slice(0, i + 1);
    if (same(head[head.length - 1], made[0])) head.pop();
    const tail = nodes.slice(j + 1);
    if (tail.length > 0 && same(tail[0], made[made.length - 1])) tail.shift();
    const next: AutoNode[] = [...head, ...made, ...tail];
    const fork = head.length + stretch.index[1];
    const delta = next.length - nodes.length;
    for (const q of out) if (q.parentNode > corner.to) q.parentNode += delta;
    nodes = next;
    line = nodes.map((n): Point => [n.x, n.y]);
    group.forEach((m, k) => {
      const kid = kids[m];
      const { c1, childAt } = corner.leads[k];
      const lead = densify([corner.point, c1], spacing).points.slice(1).map(([x, y]): AutoNode => ({ x, y, r: kid.nodes[0].r }));
      const c = Math.floor(childAt);
      if (same(lead[lead.length - 1], kid.nodes[c])) lead.pop();
      out[m] = { nodes: [...lead, ...kid.nodes.slice(c)], parentNode: fork, shift: lead.length - c };
    });
    before = corner.from;
  }
  return { nodes, kids: out };
}

/**
 * The children hung along a line in groups of forks close enough to be one junction (each within the arm reading
 * distance of the next along the line, at the line's radius there), in order along it; as indices into `kids`.
 */
function forkGroups(line: readonly Point[], kids: readonly Kid[], nodes: readonly AutoNode[]): number[][] {
  const arc = new Float64Array(line.length);
  for (let i = 1; i < line.length; i++) arc[i] = arc[i - 1] + Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  const order = kids.map((_, m) => m).sort((a, b) => kids[a].parentNode - kids[b].parentNode);
  const groups: number[][] = [];
  for (const m of order) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && arc[kids[m].parentNode] - arc[kids[prev].parentNode] <= readingDistances(nodes[kids[prev].parentNode].r).near) last.push(m);
    else groups.push([m]);
  }
  return groups;
}

/**
 * Where an arm is read, px from the fork: from `near` (past the overlap of the neurites) to `far`, and on to `reach`
 * to see whether it runs on straight.
 */
function readingDistances(radius: number): { near: number; far: number; reach: number } {
  const near = 2 * Math.max(1.5, radius) + 1;
  const far = near + Math.max(4, 2 * Math.max(1.5, radius));
  return { near, far, reach: 2 * far - near };
}

/**
 * A child's line from the fork `from` through its nodes, as far as `length` px and one vertex past it: all of it an
 * arm is read on (a child's nodes run on for hundreds of px, a node or more per µm).
 */
function lineStart(from: Point, nodes: readonly AutoNode[], length: number): Point[] {
  const out: Point[] = [from];
  let run = 0;
  for (let k = 0; k < nodes.length && run <= length; k++) {
    const [px, py] = out[out.length - 1];
    run += Math.hypot(nodes[k].x - px, nodes[k].y - py);
    out.push([nodes[k].x, nodes[k].y]);
  }
  return out;
}

/** A fork moved: its new point, where the parent's line leaves it on either side, and where each child's does. */
interface Corner {
  point: Point;
  /** Where the parent's line leaves the junction before it (a1, at position `from` of the line) and after it (b1, at `to`). */
  a1: Point;
  b1: Point;
  from: number;
  to: number;
  /** Per child: where its line leaves the junction, and that point's position along its line. */
  leads: Array<{ c1: Point; childAt: number }>;
}

/**
 * Several forks within the arm reading distance of each other, one junction of four or more arms: the point nearest
 * to all the arms' lines (read beyond the overlap, extended), where they agree on one (within RESIDUAL_PX on
 * average, each within MISS_PX) and it lies behind where each arm is read and within reach of each fork. Null
 * otherwise.
 */
function junctionOf(line: readonly Point[], hs: readonly number[], children: ReadonlyArray<readonly Point[]>, radius: number): Corner | null {
  const reading = readingDistances(radius);
  const a = armOf(line, Math.min(...hs), -1, reading);
  const b = armOf(line, Math.max(...hs), 1, reading);
  const cs = children.map((child) => armOf(child, 0, 1, reading));
  if (!a || !b || cs.some((c) => !c)) return null;
  const arms = [a, b, ...(cs as Arm[])];
  const point = nearestToLines(arms);
  if (!point) return null;
  const miss = arms.map(({ at: { point: p }, d }) => Math.abs((point[0] - p[0]) * d[1] - (point[1] - p[1]) * d[0]));
  if (Math.sqrt(miss.reduce((x, m) => x + m * m, 0) / miss.length) > RESIDUAL_PX || Math.max(...miss) > MISS_PX) return null;
  if (arms.some(({ at: { point: p }, d }) => (p[0] - point[0]) * d[0] + (p[1] - point[1]) * d[1] <= 0)) return null;
  if (hs.some((h) => Math.hypot(line[h][0] - point[0], line[h][1] - point[1]) > reading.far)) return null;
  return { point, a1: a.at.point, b1: b.at.point, from: a.at.at, to: b.at.at, leads: (cs as Arm[]).map((c) => ({ c1: c.at.point, childAt: c.at.at })) };
}

/** An arm of a fork as read: where it is first read (`near` px out) and its direction from there to `far` px out. */
interface Arm {
  at: { point: Point; at: number };
  d: Point;
  /** Where its first stretch ends (`far` px out) and its second (`reach`), null past the line's end. */
  far: Point;
  beyond: Point | null;
}

/** The arm of `line` running from position `from` in direction `dir`; null when the line is too short to read it. */
function armOf(line: readonly Point[], from: number, dir: 1 | -1, { near, far, reach }: ReturnType<typeof readingDistances>): Arm | null {
  const p1 = along(line, from, near, dir);
  const p2 = along(line, from, far, dir);
  const d = p1 && p2 && unit(p1.point, p2.point);
  if (!p1 || !p2 || !d) return null;
  return { at: p1, d, far: p2.point, beyond: along(line, from, reach, dir)?.point ?? null };
}

/** The point nearest (least squares) to the arms' lines; null when they are (nearly) parallel. */
function nearestToLines(arms: readonly Arm[]): Point | null {
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let bx = 0;
  let by = 0;
  for (const { at: { point: p }, d } of arms) {
    // (I - d dᵀ): the projection across the line.
    const xx = 1 - d[0] * d[0];
    const xy = -d[0] * d[1];
    const yy = 1 - d[1] * d[1];
    sxx += xx;
    sxy += xy;
    syy += yy;
    bx += xx * p[0] + xy * p[1];
    by += xy * p[0] + yy * p[1];
  }
  const det = sxx * syy - sxy * sxy;
  if (Math.abs(det) < 1e-6 * arms.length * arms.length) return null;
  return [(syy * bx - sxy * by) / det, (sxx * by - sxy * bx) / det];
}

/**
 * The fork at vertex h of `line` with the child's line `child` (from the fork) moved onto the corner (see
 * cornerForks). Null where the parent runs straight through, or where an arm is too short to read.
 */
function cornerAt(line: readonly Point[], h: number, child: readonly Point[], radius: number): Corner | null {
  const reading = readingDistances(radius);
  const a = armOf(line, h, -1, reading);
  const b = armOf(line, h, 1, reading);
  const c = armOf(child, 0, 1, reading);
  if (!a || !b || !c) return null;
  const through = (u: Arm, v: Arm) => -(u.d[0] * v.d[0] + u.d[1] * v.d[1]);
  const sAB = through(a, b);
  const sAC = through(a, c);
  const sBC = through(b, c);
  let third: Arm | null = null;
  let pair: [Arm, Arm] | null = null;
  if (sAC >= sBC && sAC > sAB + STRAIGHTER && sAC >= THROUGH) [third, pair] = [b, [a, c]];
  else if (sBC > sAB + STRAIGHTER && sBC >= THROUGH) [third, pair] = [a, [b, c]];
  if (!third || !pair || !runsStraight(third)) return null;
  const hit = meet(third.at.point, third.d, pair[0].at.point, pair[1].at.point, reading.far);
  if (!hit) return null;
  return { point: hit, a1: a.at.point, b1: b.at.point, from: a.at.at, to: b.at.at, leads: [{ c1: c.at.point, childAt: c.at.at }] };
}

/**
 * Whether an arm runs on straight (within BENT) over its second stretch: one that curves into the others, extended
 * from where it leaves them, meets them before the fork.
 */
function runsStraight(arm: Arm): boolean {
  const e = arm.beyond && unit(arm.far, arm.beyond);
  return !!e && arm.d[0] * e[0] + arm.d[1] * e[1] >= BENT;
}

/**
 * Where the third arm, running out from `o` along unit `d`, meets the line through p and q when extended back
 * towards the split: on the segment p-q or within a quarter of its length past either end, at most `reach` px from o.
 */
function meet(o: Point, d: Point, p: Point, q: Point, reach: number): Point | null {
  const ux = -d[0];
  const uy = -d[1];
  const ex = q[0] - p[0];
  const ey = q[1] - p[1];
  const den = ux * ey - uy * ex;
  if (Math.abs(den) < 1e-9) return null;
  const wx = p[0] - o[0];
  const wy = p[1] - o[1];
  const t = (wx * ey - wy * ex) / den;
  const s = (wx * uy - wy * ux) / den;
  if (t < 0 || t > reach || s < -0.25 || s > 1.25) return null;
  return [p[0] + s * ex, p[1] + s * ey];
}

/**
 * The point `distance` px along the line from position `at` (vertex + fraction), forwards (dir 1) or backwards (−1),
 * and its position; null when the line ends first.
 */
function along(line: readonly Point[], at: number, distance: number, dir: 1 | -1): { point: Point; at: number } | null {
  let i = Math.min(Math.floor(at), line.length - 2);
  if (i < 0) return null;
  let t = at - i;
  let left = distance;
  for (;;) {
    const [ax, ay] = line[i];
    const ex = line[i + 1][0] - ax;
    const ey = line[i + 1][1] - ay;
    const len = Math.hypot(ex, ey);
    const room = dir > 0 ? (1 - t) * len : t * len;
    if (room >= left && len > 0) {
      const u = t + (dir * left) / len;
      return { point: [ax + u * ex, ay + u * ey], at: i + u };
    }
    left -= room;
    if (dir > 0) {
      if (i + 2 >= line.length) return null;
      i++;
      t = 0;
    } else {
      if (i - 1 < 0) return null;
      i--;
      t = 1;
    }
  }
}

function unit(from: Point, to: Point): Point | null {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const n = Math.hypot(dx, dy);
  return n > 1e-9 ? [dx / n, dy / n] : null;
}

function same(a: AutoNode | undefined, b: AutoNode | undefined): boolean {
  return !!a && !!b && Math.hypot(a.x - b.x, a.y - b.y) < 1e-6;
}
