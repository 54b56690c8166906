import { median } from '../../stats/descriptive';
import { sampleBilinear } from '../centreline';
import type { SmoothedPlane } from '../cost-image';
import type { AutoBranch, AutoNeuron, AutoNode, BranchDoubt, DoubtSpot } from './auto-neuron';
import { distanceToPolyline } from './junction';

/** Arc length over which a branch's direction is read at a crossing, px. */
const HEADING_PX = 8;
/** Two neurites cross (rather than fork) when their directions differ by more than ≈ 37° (|cos| ≤ 0.8). */
const CROSSING_COS = 0.8;
/** A neurite continues across when its two halves head the same way within ≈ 32° (cos ≥ 0.85). */
const CONTINUES_COS = 0.85;
/** How far past the crossed neurite's radius a tip may end and still meet it, px. */
const MEET_PX = 3;
/** How far before a crossing a tip heading into it may end, px (a stretch the other front claimed and pruning dropped). */
const GAP_PX = 25;
/** How far beside the line into a crossing a tip may end, px past the radius + MEET_PX. */
const ASIDE_PX = 4;
/** A branch arriving at a crossing has at least this much of its own line, px: a spur beside the crossing has not. */
const MIN_ARRIVING_PX = 15;
/** Arc length of a path back that the tests read: MIN_ARRIVING_PX, and endHeading's and bridged's stretches. */
const BACK_PX = Math.max(MIN_ARRIVING_PX, HEADING_PX + 2);

type Vec = [number, number];

/**
 * Neurites of one cell that cross, rejoined across the crossing. A tree grown from the soma cannot cross itself: where
 * neurite B crosses neurite A, one front claims the crossing and the tree runs the wrong way there, with an extra
 * branch point and an extra tip per crossing and a neurite measured from the wrong root. On the traced branches
 * (centre lines, after pruning) a crossing shows as a tip ending against A (B's near half, grown along B) where a
 * branch leaves A at a steep angle (≥ 37°; a shallower one is a fork) heading on the way the tip heads (within 32°):
 *   - the leaving branch is B's far half hung from A: it is re-hung from the tip;
 *   - the leaving branch continues A's incoming line while A's own line turns there onto B's far half: the turned
 *     part of A is re-hung from the tip and the leaving branch becomes A's continuation;
 *   - the leaving branch is B's near half grown backwards from the crossing and its far end meets B's tip head-on: it
 *     is reversed onto that tip (and the first case may then follow from B's new tip);
 *   - the same, where B's own front met it at a node that is no tip (B forks there, or its line runs on), and B's far
 *     half leaves the crossing the opposite way: it is reversed and hung from that node;
 *   - A's own line turns at the crossing onto B's near half, backwards, and meets B's tip head-on: that part is
 *     reversed onto B's tip, and A runs on into the branch that continues it straight from the crossing.
 * A tip meets A when it ends within A's radius + 3 px of the branch point, or up to 25 px before it heading into it
 * (and up to 4 px more beside that line: the branch point may sit a few px along the crossing neurite), with signal
 * all the way (at least half the tip's own along the straight line from the tip to the branch point: a neurite that
 * ends short of A, a gap of background between, is not continued). A continued line crosses straight: its nodes
 * within twice that reach of the old branch point (which sits on the other neurite; the lines lean to it there, and
 * the tip's last px hug the other front's ground) are dropped on both sides, and the straight stretch joining the
 * two lines gets a node at least every `spacing` px, as traced lines have. The neurite continued across is marked
 * with the doubt 'crossing' (drawn dotted for the technician to check). Returns the neuron unchanged when nothing
 * crosses.
 */
export function rejoinCrossings(neuron: AutoNeuron, plane: SmoothedPlane, spacing = Infinity, reads: CrossingReads = newCrossingReads()): AutoNeuron {
  const key = repairKey(neuron.branches, plane, spacing, reads);
  const at = reads.repaired.findIndex((r) => r.key === key);
  const known = at >= 0 ? reads.repaired.splice(at, 1)[0] : { key, branches: repairAll(neuron.branches, plane, spacing, reads) };
  reads.repaired.unshift(known);
  let kept = 0;
  const within = reads.repaired.findIndex((r, k) => (kept += r.branches?.length ?? 1) > REPAIRED_BRANCHES_KEPT && k > 0);
  if (within > 0) reads.repaired.length = within;
  return known.branches ? { ...neuron, branches: [...known.branches] } : neuron;
}

/**
 * The branches after every repair, or null when nothing crosses. Most repairs remove a branch; the two that reverse a
 * stretch onto another line do not, and two crossings close together can undo each other's repair over and over
 * (seen on a projected motoneuron): the repairs stop at the first arbor seen before.
 */
function repairAll(branches: AutoBranch[], plane: SmoothedPlane, spacing: number, reads: CrossingReads): AutoBranch[] | null {
  let out: AutoBranch[] | null = null;
  let seen: Set<string> | null = null;
  for (let next = repairOne(branches, plane, spacing, reads); next; next = repairOne(out, plane, spacing, reads)) {
    out = parentsFirst(next);
    seen ??= new Set([arborPrint(branches)]);
    const print = arborPrint(out);
    if (seen.has(print)) break;
    seen.add(print);
  }
  return out;
}

/**
 * A print of an arbor: where each branch hangs and its nodes (to 1/256 px), hashed two ways. A node list is hashed once
 * (node lists are never changed in place, and a repair replaces only a few): each repair then costs the branch count.
 */
function arborPrint(branches: readonly AutoBranch[]): string {
  const h = new TwoHashes();
  for (const br of branches) {
    let own = listHashes.get(br.nodes);
    if (!own) {
      const l = new TwoHashes();
      l.mix(br.nodes.length);
      for (const n of br.nodes) {
        l.mix(Math.round(n.x * 256));
        l.mix(Math.round(n.y * 256));
      }
      listHashes.set(br.nodes, (own = [l.a, l.b]));
    }
    h.mix(br.parent);
    h.mix(br.parentNode);
    h.mix(own[0]);
    h.mix(own[1]);
  }
  return `${branches.length}:${h.a >>> 0}:${h.b >>> 0}`;
}

/** Each node list's two hashes (arborPrint). */
const listHashes = new WeakMap<readonly AutoNode[], [number, number]>();

/** Two 32-bit hashes mixed in step (FNV-1a, and a MurmurHash-like multiply and shift). */
class TwoHashes {
  a = 0x811c9dc5;
  b = 0x01000193;
  mix(v: number): void {
    this.a = Math.imul(this.a ^ v, 0x01000193);
    this.b = Math.imul(this.b ^ v, 0x5bd1e995) ^ (this.b >>> 15);
  }
}

/**
 * How many branches the repaired arbors kept hold together (most recent first, at least one arbor): the neurons of a
 * field at the detail levels the slider goes back and forth between (SNT's ddaC, 450 branches: about 40 levels). An
 * entry holds its key and its branches; their node lists are mostly the cache's own.
 */
const REPAIRED_BRANCHES_KEPT = 20_000;

/**
 * What the repairs of an arbor depend on, as a string: each branch's node list (by identity: node lists are never
 * changed in place), where it hangs and its doubts, and the plane and spacing read with. A re-prune hands out the same
 * node lists while a branch's line and junctions stay, so a detail level visited before repairs as it did then.
 */
function repairKey(branches: readonly AutoBranch[], plane: SmoothedPlane, spacing: number, reads: CrossingReads): string {
  const id = (o: object) => {
    let k = reads.ids.get(o);
    if (k === undefined) reads.ids.set(o, (k = reads.nextId++));
    return k;
  };
  return `${id(plane)} ${spacing}|` + branches.map((b) => `${id(b.nodes)} ${b.parent} ${b.parentNode} ${b.doubts.join(',')} ${b.spots.map((p) => `${p.x},${p.y}`).join(';')}`).join('|');
}

/**
 * The directions at each branch point, kept between repairs per branch's node list: a repair re-hangs or rebuilds a
 * few branches and leaves the other lists as they were, so their directions need not be read again (a large arbor
 * has dozens of repairs, each scanning every branch). An entry holds while the path back from the node it hangs from
 * reads the same node lists from the same nodes (the first of them is its parent's, from that node).
 */
type HeadingCache = WeakMap<readonly AutoNode[], { read: PathRead; hc: Vec | null; hIn: Vec | null; outA: Vec | null }>;

/** Each tip's path back and the direction it arrives in, kept between repairs as the directions at branch points are. */
type TipEndCache = WeakMap<readonly AutoNode[], TipEnd & { read: PathRead }>;

interface TipEnd {
  back: AutoNode[];
  /** True when the path back is at least MIN_ARRIVING_PX long. */
  long: boolean;
  h: Vec | null;
}

/**
 * What the repairs read of each node list. Each entry is checked against the path it was read along before use, so
 * one set may serve every repair of a neuron and every re-prune of a trace (pruneTrace hands out a branch's node list
 * again while its line and junctions stay).
 */
export interface CrossingReads {
  headings: HeadingCache;
  tipEnds: TipEndCache;
  /** Arbors repaired before, by repairKey, most recent first; null where nothing crossed. */
  repaired: Array<{ key: string; branches: AutoBranch[] | null }>;
  /** Numbers standing for node lists and planes in repairKey. */
  ids: WeakMap<object, number>;
  nextId: number;
}

export function newCrossingReads(): CrossingReads {
  return { headings: new WeakMap(), tipEnds: new WeakMap(), repaired: [], ids: new WeakMap(), nextId: 0 };
}

/**
 * Which node lists a path back read, from which node each (node lists are never changed in place, only replaced),
 * and whether it ran out at the root: the same reads give the same path, so a cached direction is checked without
 * reading the path again.
 */
interface PathRead {
  lists: Array<readonly AutoNode[]>;
  from: number[];
  toRoot: boolean;
}

/** The branches after the first crossing repair found, or null when there is none. */
function repairOne(branches: AutoBranch[], plane: SmoothedPlane, spacing: number, { headings, tipEnds }: CrossingReads): AutoBranch[] | null {
  const kids = branches.map(() => [] as number[]);
  branches.forEach((b, i) => b.parent >= 0 && kids[b.parent].push(i));
  // A tip: nothing hangs from the branch's last node.
  const tip = new Uint8Array(branches.length).fill(1);
  for (const b of branches) if (b.parent >= 0 && b.parentNode >= branches[b.parent].nodes.length - 1) tip[b.parent] = 0;
  const isTip = (t: number) => tip[t] === 1;
  const tipsNear = tipFinder(branches, isTip);
  const inSubtree = (root: number, t: number) => {
    for (let q = t; q >= 0; q = branches[q].parent) if (q === root) return true;
    return false;
  };
  /** True when branch t hangs (at any depth) from branch A past its node pn: it would move with A's tail. */
  const hangsPast = (A: number, pn: number, t: number) => {
    for (let q = t; q >= 0; q = branches[q].parent) if (branches[q].parent === A) return branches[q].parentNode > pn;
    return false;
  };
  /**
   * The path from node `from` of branch i back towards the soma (its nodes, then its ancestors' up to where it hangs),
   * as far as the tests below read it: BACK_PX of arc. The whole path would make each repair cost the arbor's size
   * per branch (a large field: minutes).
   */
  const pathBack = (i: number, from = branches[i].nodes.length - 1, read?: PathRead): AutoNode[] => {
    const out: AutoNode[] = [];
    let length = 0;
    for (let q = i, upto = from; q >= 0; ) {
      read?.lists.push(branches[q].nodes);
      read?.from.push(upto);
      for (let k = upto; k >= 0; k--) {
        const n = branches[q].nodes[k];
        const last = out[out.length - 1];
        if (last) length += Math.hypot(n.x - last.x, n.y - last.y);
        out.push(n);
        if (length >= BACK_PX) return out;
      }
      upto = branches[q].parentNode;
      q = branches[q].parent;
    }
    if (read) read.toRoot = true;
    return out;
  };
  /** True when the path back from node `from` of branch i would read what `read` recorded. */
  const readsSame = (i: number, from: number, read: PathRead) => {
    let q = i;
    let upto = from;
    for (let k = 0; k < read.lists.length; k++) {
      if (q < 0 || branches[q].nodes !== read.lists[k] || upto !== read.from[k]) return false;
      upto = branches[q].parentNode;
      q = branches[q].parent;
    }
    return !read.toRoot || q < 0;
  };
  /** Each branch's branch point and the directions there, read once for the three phases below. */
  const at = branches.map((b) => {
    const A = b.parent;
    if (A < 0) return null;
    const a = branches[A];
    const pn = b.parentNode;
    const P = a.nodes[pn];
    const reach = Math.max(1, P.r) + MEET_PX;
    let known = headings.get(b.nodes);
    if (!known || !readsSame(A, pn, known.read)) {
      // This branch leaving P, and A's own line arriving at P and leaving it.
      const read: PathRead = { lists: [], from: [], toRoot: false };
      const back = pathBack(A, pn, read);
      known = { read, hc: leavingHeading(b.nodes, P, reach), hIn: endHeading(back), outA: leavingHeading(a.nodes, P, reach, pn + 1) };
      headings.set(b.nodes, known);
    }
    const { hc, hIn, outA } = known;
    const alongA = hIn ?? outA;
    if (!hc || !alongA) return null;
    return { A, a, pn, P, reach, hc, hIn, outA, steep: Math.abs(dot(hc, alongA)) <= CROSSING_COS };
  });
  /** Each tip's path back and the direction it arrives in (every branch point near the tip asks). */
  const tipEnd = (t: number): TipEnd => {
    const nodes = branches[t].nodes;
    let e = tipEnds.get(nodes);
    if (!e || !readsSame(t, nodes.length - 1, e.read)) {
      const read: PathRead = { lists: [], from: [], toRoot: false };
      const back = pathBack(t, nodes.length - 1, read);
      e = { read, back, long: arc(back) >= MIN_ARRIVING_PX, h: endHeading(back) };
      tipEnds.set(nodes, e);
    }
    return e;
  };
  /**
   * True when tip t arrives at `to` (the branch point of c on A) heading along `heading`: it ends within `reach` of
   * the line through `to` along that heading, at most `reach + gap` px before `to` (the crossed neurite's front may
   * have claimed, and pruning dropped, a stretch of it before the crossing), with signal all the way. With heading
   * null, only within `reach` of `to`, any direction.
   */
  const arriving = (c: number, A: number, reach: number, t: number, to: AutoNode, heading: Vec | null, gap: number) => {
    const nodes = branches[t].nodes;
    const end = nodes[nodes.length - 1];
    const v: Vec = [to.x - end.x, to.y - end.y];
    if (Math.hypot(v[0], v[1]) > 2 * reach + gap || t === c || t === A || !isTip(t) || inSubtree(c, t) || inSubtree(t, A)) return false;
    const { back, long, h } = tipEnd(t);
    if (!long) return false;
    if (!heading) return Math.hypot(v[0], v[1]) <= reach && bridged(plane, back, to);
    const along = dot(v, heading);
    return !!h && dot(h, heading) >= CONTINUES_COS && along >= -reach && along <= reach + gap && Math.abs(v[0] * heading[1] - v[1] * heading[0]) <= reach + ASIDE_PX && bridged(plane, back, to);
  };
  /** Which branches have nodes in each cell (cellsOf), filed at the first nodeMet of this pass. */
  let byCell: Map<number, number[]> | null = null;
  /** The node nearest `far` within `reach` on a branch outside c's subtree, more than 2 reach from P: [branch, node]. */
  const nodeMet = (c: number, far: AutoNode, reach: number, P: AutoNode): [number, number] | null => {
    if (!byCell) {
      byCell = new Map();
      for (let j = 0; j < branches.length; j++) for (const cell of cellsOf(branches[j].nodes)) {
        const list = byCell.get(cell);
        if (list) list.push(j);
        else byCell.set(cell, [j]);
      }
    }
    let best: [number, number] | null = null;
    let bestD = reach;
    const seen = new Set<number>();
    for (let cy = Math.floor((far.y - reach) / NODE_CELL); cy <= Math.floor((far.y + reach) / NODE_CELL); cy++) {
      for (let cx = Math.floor((far.x - reach) / NODE_CELL); cx <= Math.floor((far.x + reach) / NODE_CELL); cx++) {
        for (const j of byCell.get(cellKey(cx, cy)) ?? []) {
          if (seen.has(j) || j === c || inSubtree(c, j)) continue;
          seen.add(j);
          const nodes = branches[j].nodes;
          for (let k = 0; k < nodes.length; k++) {
            const d = Math.hypot(nodes[k].x - far.x, nodes[k].y - far.y);
            if (d <= bestD && Math.hypot(nodes[k].x - P.x, nodes[k].y - P.y) > 2 * reach) [best, bestD] = [[j, k], d];
          }
        }
      }
    }
    return best;
  };
  for (const phase of ['head-on', 'straight', 'across'] as const) for (let c = 0; c < branches.length; c++) {
    const g = at[c];
    if (!g) continue;
    const { A, a, pn, P, reach, hc, hIn, outA, steep } = g;
    if (phase === 'head-on') {
      if (!steep) continue;
      // This branch is B's near half grown backwards from P: its far end meets B's own tip (fronts meeting on B).
      if (isTip(c)) {
        const far = branches[c].nodes[branches[c].nodes.length - 1];
        for (const t of tipsNear(far, 2 * reach)) if (arriving(c, A, reach, t, far, null, 0)) return reverseOntoTip(branches, c, t, spacing, P);
        // Or B's own front met it at a node that is no tip (B's near half forks there, or runs on past).
        if (kids[A].some((s) => s !== c && at[s] && Math.abs(branches[s].parentNode - pn) <= 1 && dot(at[s]!.hc, hc) <= -CONTINUES_COS)) {
          const hit = nodeMet(c, far, reach, P);
          if (hit && bridged(plane, tipEnd(c).back, branches[hit[0]].nodes[hit[1]])) return reverseOntoNode(branches, c, hit[0], hit[1], spacing, P);
        }
      }
      // Or A's own line turns at P onto B's near half, backwards, and meets B's tip there.
      if (hIn && outA && Math.abs(dot(outA, hIn)) <= CROSSING_COS && isTip(A)) {
        const end = a.nodes[a.nodes.length - 1];
        for (const t of tipsNear(end, 2 * reach)) if (!hangsPast(A, pn, t) && arriving(c, A, reach, t, end, null, 0)) return tailOntoTip(branches, A, pn, t, spacing, P);
      }
      continue;
    }
    if (phase === 'straight') {
      // A branch ending at a fork (left so by a repair) runs on into the child that continues it straight.
      const last = a.nodes[a.nodes.length - 1];
      if (!hIn || dot(hIn, hc) < CONTINUES_COS || Math.hypot(last.x - P.x, last.y - P.y) > reach) continue;
      return continueInto(branches, A, c);
    }
    // B's far half hangs from A: it continues B's tip.
    if (steep) for (const t of tipsNear(P, 2 * reach + GAP_PX)) if (arriving(c, A, reach, t, P, hc, GAP_PX)) return hangOnTip(branches, c, t, spacing, P, reach);
    // A's line turns onto B's far half at P while this branch goes on straight along A.
    if (hIn && outA && dot(hIn, hc) >= CONTINUES_COS && Math.abs(dot(outA, hc)) <= CROSSING_COS) {
      for (const t of tipsNear(P, 2 * reach + GAP_PX)) {
        if (!arriving(c, A, reach, t, P, outA, GAP_PX) || kids[A].some((k) => k !== c && branches[k].parentNode > pn && inSubtree(k, t))) continue;
        return swapAtTurn(branches, A, c, t, spacing, P, reach);
      }
    }
  }
  return null;
}

/** Side of the cells tips are filed in, px: about the farthest a tip may lie from a crossing it arrives at. */
const TIP_CELL = 32;

/**
 * The tips (branches whose last node nothing hangs from) ending within a radius of a point, in branch order: every
 * branch against every other at each repair made a large arbor's crossings cost seconds.
 */
function tipFinder(branches: readonly AutoBranch[], isTip: (t: number) => boolean): (to: AutoNode, radius: number) => number[] {
  const cells = new Map<number, number[]>();
  // Cells numbered row by row; an image has far fewer than 2^20 cells across.
  const key = (cx: number, cy: number) => cy * 1048576 + cx;
  branches.forEach((b, t) => {
    if (!isTip(t)) return;
    const end = b.nodes[b.nodes.length - 1];
    const k = key(Math.floor(end.x / TIP_CELL), Math.floor(end.y / TIP_CELL));
    const list = cells.get(k);
    if (list) list.push(t);
    else cells.set(k, [t]);
  });
  return (to, radius) => {
    const out: number[] = [];
    let lists = 0;
    for (let cy = Math.floor((to.y - radius) / TIP_CELL); cy <= Math.floor((to.y + radius) / TIP_CELL); cy++) {
      for (let cx = Math.floor((to.x - radius) / TIP_CELL); cx <= Math.floor((to.x + radius) / TIP_CELL); cx++) {
        const list = cells.get(key(cx, cy));
        if (!list) continue;
        const before = out.length;
        for (const t of list) {
          const end = branches[t].nodes[branches[t].nodes.length - 1];
          if (Math.hypot(to.x - end.x, to.y - end.y) <= radius) out.push(t);
        }
        if (out.length > before) lists++;
      }
    }
    // Each cell's list is in branch order already.
    return lists > 1 ? out.sort((a, b) => a - b) : out;
  };
}

/** Branch c (hanging from its parent) re-hung from the last node of branch t, as t's continuation. */
function hangOnTip(branches: AutoBranch[], c: number, t: number, spacing: number, P: AutoNode, reach: number): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const keep = trailingKept(out[t].nodes, P, 2 * reach);
  const drop = leadingWithin(out[c].nodes, P, 2 * reach);
  const { nodes, offset } = joined(out[t].nodes.slice(0, keep), out[c].nodes.slice(drop), spacing);
  out[t] = { ...out[t], nodes, ...doubtsOf(nodes, [out[t], out[c]], P) };
  for (const b of out) {
    if (b.parent === c) [b.parent, b.parentNode] = [t, offset + Math.max(0, b.parentNode - drop)];
    else if (b.parent === t) b.parentNode = Math.min(b.parentNode, keep - 1);
  }
  placeCrossing(out, t, P, c);
  return remove(out, c);
}

/** Branch c becomes A's continuation from node pn; A's nodes past pn (what turned onto B) continue tip t. */
function swapAtTurn(branches: AutoBranch[], A: number, c: number, t: number, spacing: number, P: AutoNode, reach: number): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const pn = out[c].parentNode;
  const tail = out[A].nodes.slice(pn + 1);
  const keep = trailingKept(out[t].nodes, P, 2 * reach);
  const drop = leadingWithin(tail, P, 2 * reach);
  const { nodes, offset: tOffset } = joined(out[t].nodes.slice(0, keep), tail.slice(drop), spacing);
  out[t] = { ...out[t], nodes, ...doubtsOf(nodes, [out[t], out[A]], P) };
  const aNodes = [...out[A].nodes.slice(0, pn + 1), ...out[c].nodes];
  out[A] = { ...out[A], nodes: aNodes, ...doubtsOf(aNodes, [out[A], out[c]]) };
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if (i === c) continue;
    if (b.parent === A && b.parentNode > pn) [b.parent, b.parentNode] = [t, tOffset + Math.max(0, b.parentNode - pn - 1 - drop)];
    else if (b.parent === c) [b.parent, b.parentNode] = [A, pn + 1 + b.parentNode];
    else if (b.parent === t) b.parentNode = Math.min(b.parentNode, keep - 1);
  }
  placeCrossing(out, t, P, c);
  return remove(out, c);
}

/**
 * How many leading nodes lie within `radius` of the crossing P (never all): where a line leaves a branch point its
 * first nodes lean towards the branch point, which sits on the other neurite; the joined line crosses straight instead.
 */
function leadingWithin(nodes: readonly AutoNode[], P: AutoNode, radius: number): number {
  let k = 0;
  while (k < nodes.length - 1 && Math.hypot(nodes[k].x - P.x, nodes[k].y - P.y) <= radius) k++;
  return k;
}

/** How many nodes of a line arriving at the crossing P to keep: all but its last ones within `radius` of P (≥ 1). */
function trailingKept(nodes: readonly AutoNode[], P: AutoNode, radius: number): number {
  let k = nodes.length;
  while (k > 1 && Math.hypot(nodes[k - 1].x - P.x, nodes[k - 1].y - P.y) <= radius) k--;
  return k;
}

/** Branch c reversed and appended to tip t: t now runs on through c to where c hung. */
function reverseOntoTip(branches: AutoBranch[], c: number, t: number, spacing: number, P: AutoNode): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const n = out[c].nodes.length;
  const { nodes, offset } = joined(out[t].nodes, out[c].nodes.slice().reverse(), spacing);
  out[t] = { ...out[t], nodes, ...doubtsOf(nodes, [out[t], out[c]], P) };
  for (const b of out) if (b.parent === c) [b.parent, b.parentNode] = [t, offset + n - 1 - b.parentNode];
  placeCrossing(out, t, P, c);
  return remove(out, c);
}

/** Side of the cells node lists are filed in for nodeMet, px. */
const NODE_CELL = 16;
const cellKey = (cx: number, cy: number) => cx * 65_536 + cy;
/** The cells each node list has a node in (node lists are never changed in place). */
const cells = new WeakMap<readonly AutoNode[], number[]>();

function cellsOf(nodes: readonly AutoNode[]): number[] {
  let out = cells.get(nodes);
  if (!out) {
    out = [...new Set(nodes.map((n) => cellKey(Math.floor(n.x / NODE_CELL), Math.floor(n.y / NODE_CELL))))];
    cells.set(nodes, out);
  }
  return out;
}

/** Branch c reversed and hung from node k of branch j: it now runs from where B's fronts met back to the crossing. */
function reverseOntoNode(branches: AutoBranch[], c: number, j: number, k: number, spacing: number, P: AutoNode): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const n = out[c].nodes.length;
  const { nodes, offset } = joined([out[j].nodes[k]], out[c].nodes.slice().reverse(), spacing);
  const own = nodes.slice(1);
  out[c] = { ...out[c], parent: j, parentNode: k, nodes: own, ...doubtsOf(own, [out[c]], P) };
  for (const b of out) if (b.parent === c) b.parentNode = offset - 1 + n - 1 - b.parentNode;
  placeCrossing(out, c, P);
  return out;
}

/** Nodes a then b, with nodes added on the straight stretch between them so that none is more than `spacing` apart. */
function joined(a: readonly AutoNode[], b: readonly AutoNode[], spacing: number): { nodes: AutoNode[]; offset: number } {
  const p = a[a.length - 1];
  const q = b[0];
  const steps = Number.isFinite(spacing) && spacing > 0 ? Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) / spacing - 1e-9) : 1;
  const between: AutoNode[] = [];
  for (let k = 1; k < steps; k++) {
    const f = k / steps;
    const node: AutoNode = { x: p.x + f * (q.x - p.x), y: p.y + f * (q.y - p.y), r: p.r + f * (q.r - p.r) };
    if (p.z !== undefined && q.z !== undefined) node.z = p.z + f * (q.z - p.z);
    between.push(node);
  }
  return { nodes: [...a, ...between, ...b], offset: a.length + between.length };
}

/** A's nodes past pn (B's near half, grown backwards from the crossing) reversed onto tip t; A ends at pn. */
function tailOntoTip(branches: AutoBranch[], A: number, pn: number, t: number, spacing: number, P: AutoNode): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const tail = out[A].nodes.slice(pn + 1);
  const { nodes, offset } = joined(out[t].nodes, tail.slice().reverse(), spacing);
  out[t] = { ...out[t], nodes, ...doubtsOf(nodes, [out[t], out[A]], P) };
  const aNodes = out[A].nodes.slice(0, pn + 1);
  out[A] = { ...out[A], nodes: aNodes, ...doubtsOf(aNodes, [out[A]]) };
  for (const b of out) if (b.parent === A && b.parentNode > pn) [b.parent, b.parentNode] = [t, offset + tail.length - 1 - (b.parentNode - pn - 1)];
  placeCrossing(out, t, P);
  return out;
}

/** Child c, hanging from A at or just before A's end, appended to A there (A's nodes past it dropped). */
function continueInto(branches: AutoBranch[], A: number, c: number): AutoBranch[] {
  const out = branches.map((b) => ({ ...b }));
  const pn = out[c].parentNode;
  const offset = pn + 1;
  const nodes = [...out[A].nodes.slice(0, pn + 1), ...out[c].nodes];
  out[A] = { ...out[A], nodes, ...doubtsOf(nodes, [out[A], out[c]]) };
  for (const b of out) {
    if (b.parent === c) [b.parent, b.parentNode] = [A, offset + b.parentNode];
    else if (b.parent === A && b.parentNode > pn) b.parentNode = pn;
  }
  return remove(out, c);
}

/** The list without branch i (which nothing hangs from any more), parent indices renumbered. */
function remove(branches: AutoBranch[], i: number): AutoBranch[] {
  return branches.filter((_, k) => k !== i).map((b) => (b.parent > i ? { ...b, parent: b.parent - 1 } : b));
}

/** The branches reordered so that every parent comes before its children (depth first, original order otherwise). */
function parentsFirst(branches: AutoBranch[]): AutoBranch[] {
  const kids = branches.map(() => [] as number[]);
  const order: number[] = [];
  branches.forEach((b, i) => (b.parent >= 0 ? kids[b.parent].push(i) : undefined));
  const visit = (i: number) => {
    order.push(i);
    for (const k of kids[i]) visit(k);
  };
  branches.forEach((b, i) => b.parent < 0 && visit(i));
  const at = new Int32Array(branches.length);
  order.forEach((i, k) => (at[i] = k));
  return order.map((i) => {
    const b = branches[i];
    const parent = b.parent >= 0 ? at[b.parent] : -1;
    return parent === b.parent ? b : { ...b, parent };
  });
}

function union<T>(...lists: T[][]): T[] {
  return [...new Set(lists.flat())];
}

/** How far from a line a spot of its parts' may lie and still be its own, px (a line joined across a crossing is straightened). */
const SPOT_ON_LINE_PX = 3;

/**
 * The doubts of a line made of `parts`: each part's spots that lie on the line as it now runs (a stretch handed to
 * another branch takes its gap with it), 'crossing' with its spot where the line crosses at P when it was continued
 * across one, and 'faint' when a part was faint. A doubt with a place is the line's while one of its spots is. Spots
 * in order along the line.
 */
function doubtsOf(nodes: readonly AutoNode[], parts: readonly AutoBranch[], P?: AutoNode): Pick<AutoBranch, 'doubts' | 'spots'> {
  const line = nodes.map((n): [number, number] => [n.x, n.y]);
  const spots: Array<DoubtSpot & { at: number }> = [];
  // A crossing is repaired in steps (one half re-hung, then the other continued): one spot for it, placed on the
  // line as the last step left it.
  const add = (p: DoubtSpot, at: number) => {
    if (!spots.some((q) => q.doubt === p.doubt && Math.hypot(q.x - p.x, q.y - p.y) <= SPOT_ON_LINE_PX)) spots.push({ ...p, at });
  };
  // The branch point sits on the line that leaned into the crossing, a few px off it: the spot is where this line crosses.
  if (P) {
    const { point, at } = distanceToPolyline(line, [P.x, P.y]);
    add({ doubt: 'crossing', x: point[0], y: point[1] }, at);
  }
  for (const b of parts) {
    for (const p of b.spots) {
      const { d, at } = distanceToPolyline(line, [p.x, p.y]);
      if (d <= SPOT_ON_LINE_PX) add(p, at);
    }
  }
  spots.sort((a, b) => a.at - b.at);
  const placed = new Set<BranchDoubt>(spots.map((p) => p.doubt));
  const doubts = union<BranchDoubt>(...parts.map((b) => b.doubts.filter((d) => d === 'faint' || placed.has(d))), P ? ['crossing'] : []);
  return { doubts, spots: spots.map(({ doubt, x, y }) => ({ doubt, x, y })) };
}

/**
 * Moves branch i's spot for the crossing at P to where its line crosses another branch's line (the neurite it was
 * continued across), the crossing nearest P within reach of it; `skip`, a branch about to be removed (its nodes are
 * in branch i or another now). Without such a crossing the spot stays where the line passes nearest P. A crossing
 * repaired in two steps left a spot at each: one is kept.
 */
function placeCrossing(out: AutoBranch[], i: number, P: AutoNode, skip = -1): void {
  const here = (p: DoubtSpot) => p.doubt === 'crossing' && Math.hypot(p.x - P.x, p.y - P.y) <= 3 * SPOT_ON_LINE_PX;
  const k = out[i].spots.findIndex(here);
  if (k < 0) return;
  const R = 3 * (Math.max(1, P.r) + MEET_PX);
  const near = (a: AutoNode, b: AutoNode) => Math.min(a.x, b.x) <= P.x + R && Math.max(a.x, b.x) >= P.x - R && Math.min(a.y, b.y) <= P.y + R && Math.max(a.y, b.y) >= P.y - R;
  const own = out[i].nodes;
  const mine: number[] = [];
  for (let a = 1; a < own.length; a++) if (near(own[a - 1], own[a])) mine.push(a);
  const cellsNearP = new Set<number>();
  for (let cy = Math.floor((P.y - R) / NODE_CELL); cy <= Math.floor((P.y + R) / NODE_CELL); cy++) for (let cx = Math.floor((P.x - R) / NODE_CELL); cx <= Math.floor((P.x + R) / NODE_CELL); cx++) cellsNearP.add(cellKey(cx, cy));
  let best: { x: number; y: number; d: number } | null = null;
  for (let j = 0; j < out.length; j++) {
    if (j === i || j === skip || !cellsOf(out[j].nodes).some((c) => cellsNearP.has(c))) continue;
    const other = out[j].nodes;
    for (let b = 1; b < other.length; b++) {
      if (!near(other[b - 1], other[b])) continue;
      for (const a of mine) {
        const x = segmentsMeet(own[a - 1], own[a], other[b - 1], other[b]);
        if (!x) continue;
        const d = Math.hypot(x.x - P.x, x.y - P.y);
        if (d <= R && (!best || d < best.d)) best = { ...x, d };
      }
    }
  }
  const at = best ?? out[i].spots[k];
  const spots = out[i].spots.map((p, j) => (j === k ? { doubt: 'crossing' as const, x: at.x, y: at.y } : p)).filter((p, j) => j === k || !here(p));
  out[i] = { ...out[i], spots };
}

/** Where segments pq and uv meet, or null (parallel, or apart). */
function segmentsMeet(p: AutoNode, q: AutoNode, u: AutoNode, v: AutoNode): { x: number; y: number } | null {
  const rx = q.x - p.x;
  const ry = q.y - p.y;
  const sx = v.x - u.x;
  const sy = v.y - u.y;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-12) return null;
  const t = ((u.x - p.x) * sy - (u.y - p.y) * sx) / den;
  const w = ((u.x - p.x) * ry - (u.y - p.y) * rx) / den;
  return t >= 0 && t <= 1 && w >= 0 && w <= 1 ? { x: p.x + t * rx, y: p.y + t * ry } : null;
}

function dot(a: Vec, b: Vec): number {
  return a[0] * b[0] + a[1] * b[1];
}

function unit(x: number, y: number): Vec | null {
  const l = Math.hypot(x, y);
  return l > 1e-9 ? [x / l, y / l] : null;
}

/** Total arc length of a polyline of nodes. */
function arc(nodes: readonly AutoNode[]): number {
  let s = 0;
  for (let i = 1; i < nodes.length; i++) s += Math.hypot(nodes[i].x - nodes[i - 1].x, nodes[i].y - nodes[i - 1].y);
  return s;
}

/** The point `s` px of arc length along a polyline from its node `from` (its last node when shorter). */
function pointAt(nodes: readonly AutoNode[], s: number, from = 0): Vec {
  let rest = s;
  for (let i = from + 1; i < nodes.length; i++) {
    const l = Math.hypot(nodes[i].x - nodes[i - 1].x, nodes[i].y - nodes[i - 1].y);
    if (l >= rest) return [nodes[i - 1].x + ((nodes[i].x - nodes[i - 1].x) * rest) / l, nodes[i - 1].y + ((nodes[i].y - nodes[i - 1].y) * rest) / l];
    rest -= l;
  }
  const last = nodes[nodes.length - 1];
  return [last.x, last.y];
}

/** Direction in which a path given tip first (pathBack) arrives at its tip, over HEADING_PX before the last 2 px. */
function endHeading(back: readonly AutoNode[]): Vec | null {
  if (arc(back) < HEADING_PX + 2) return null;
  const near = pointAt(back, 2);
  const far = pointAt(back, HEADING_PX + 2);
  return unit(near[0] - far[0], near[1] - far[1]);
}

/** Direction in which a branch leaves point P, read past `reach` px from P over HEADING_PX. */
function leavingHeading(nodes: readonly AutoNode[], P: AutoNode, reach: number, from = 0): Vec | null {
  let s = 0;
  let i = from;
  for (; i < nodes.length; i++) {
    if (Math.hypot(nodes[i].x - P.x, nodes[i].y - P.y) > reach) break;
    if (i > from) s += Math.hypot(nodes[i].x - nodes[i - 1].x, nodes[i].y - nodes[i - 1].y);
  }
  // Only the stretch read matters: a long branch's whole arc would cost its length per call.
  let rest = s;
  for (let k = Math.max(i, from + 1); k < nodes.length && rest < s + HEADING_PX; k++) rest += Math.hypot(nodes[k].x - nodes[k - 1].x, nodes[k].y - nodes[k - 1].y);
  if (rest < s + HEADING_PX) return null;
  const a = pointAt(nodes, s, from);
  const b = pointAt(nodes, s + HEADING_PX, from);
  return unit(b[0] - a[0], b[1] - a[1]);
}

/** Samples per px along a bridge. */
const BRIDGE_STEP = 0.5;

/**
 * True when the straight line from a tip (back[0]; back runs from the tip towards the soma) to `at` carries signal
 * all along: the smoothed plane never drops below half the median over the tip's last HEADING_PX of line.
 */
function bridged(plane: SmoothedPlane, back: readonly AutoNode[], at: AutoNode): boolean {
  const own: number[] = [];
  for (let s = 0; s <= HEADING_PX; s += 1) {
    const [x, y] = pointAt(back, s);
    own.push(sampleBilinear(plane, x, y));
  }
  const level = 0.5 * median(own);
  const tip = back[0];
  const length = Math.hypot(at.x - tip.x, at.y - tip.y);
  for (let s = 0; s <= length; s += BRIDGE_STEP) {
    const t = length > 0 ? s / length : 0;
    if (sampleBilinear(plane, tip.x + t * (at.x - tip.x), tip.y + t * (at.y - tip.y)) < level) return false;
  }
  return true;
}
