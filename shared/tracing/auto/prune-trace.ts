import { refineCentreline } from '../centreline';
import type { SmoothedPlane } from '../cost-image';
import type { AutoBranch, AutoNeuron, AutoNode, DoubtSpot } from './auto-neuron';
import { cornerForks, type CornerReads } from './corner-at-split';
import { rejoinCrossings, type CrossingReads } from './crossings';
import { densify } from './densify';
import type { Foreground } from './foreground';
import { dropFlankLeaves } from './flank-leaves';
import { distanceToPolyline, junctionOnParent } from './junction';
import { recentreNearParent } from './near-parent';
import { straightenAtSplits } from './parent-at-split';
import { ASSUMED_UM_PER_PX } from './pixel-size';
import { DEFAULT_PRUNE, pruneSegments, type PruneOptions } from './prune';
import type { SegmentForest } from './segments';
import type { SeedRegion } from './soma';
import { capInset, centredTip } from './tips';


/** The detail level: how much of the cached trace to keep. Changing it never searches again. */
export interface AutoDetail {
  /** Shortest branch kept, in µm (at ASSUMED_UM_PER_PX when the image is uncalibrated); default 5 µm. */
  minBranchUm?: number;
  /** Overrides minBranchUm, in px. */
  minBranchPx?: number;
  /** 0–1: share of a branch's signal that must not already be covered (higher = fewer branches); default 0.5. */
  pruningStrength?: number;
  /** Mean strength 0–1 a branch's new part needs; default 0.1. */
  minStrength?: number;
}

/** Everything a re-prune needs: the search result of one or more seeds. Plain data (typed arrays), so workers can hold it. */
export interface AutoTraceCache {
  width: number;
  height: number;
  pixelSize: number | null;
  /** Seed regions of the search: the neurons asked for first, then competing cell bodies (see AutoTracer.trace). */
  seeds: SeedRegion[];
  /** How many of `seeds` are neurons to report; the rest only compete for ground. */
  reported: number;
  segments: SegmentForest;
  /**
   * Per segment, its length up to where its signal ends (tips.ts); the pixels past it are the front running on
   * through background noise. A segment is drawn that far, or to its last kept child if that lies further out.
   */
  signalEnd: Int32Array;
  /** Per segment, how far past its neurite's end its signal end lies (tips.ts tipInset), px; 0 on a binary mask. */
  tipInset: Float32Array;
  /**
   * The background-flattened signal tips are read on (tips.ts capInset), its background level and the width the blur
   * alone gives a neurite on it (blurHalfWidth); null on a binary mask.
   */
  tipPlane: { plane: SmoothedPlane; background: number; blur: number } | null;
  radius: Float32Array;
  /** The plane centre lines are fitted on (the live-wire's, see AutoTraceOptions.smoothed). */
  smoothed: SmoothedPlane;
  /**
   * σ in px of the centre-line smoothing along a branch (the live-wire's refineCentreline): its default on images,
   * 0 on a binary mask, which has no noise to average: the cross-section peak of the smoothed mask already is its
   * medial line.
   */
  smoothing: number;
  /** True on a binary skeleton (lines one pixel wide): its pixel centres are the centre line, as SNT measures it. */
  skeleton: boolean;
  /** Refined centre lines of each segment up to `end` pixels, filled in by pruneTrace as segments are first kept. */
  refined: Versions<{ end: number; hangs: number; first: number; line: Array<[number, number]> }>;
  /**
   * Where each kept child joined its parent's line at the levels visited last (pruneTrace), with the lines it was
   * worked out from: re-pruning keeps most branches and their lines as they were, and then their junctions too.
   */
  placed: Versions<PlacedChild>;
  /** Each kept segment's line straightened where it bulges towards its children (parent-at-split.ts), with what it was made from. */
  straightened: Versions<{ own: ReadonlyArray<[number, number]>; first: number; lines: ReadonlyArray<ReadonlyArray<[number, number]>>; line: Array<[number, number]> }>;
  /** Each kept segment's branch nodes as emitted at the levels visited last, with what they were made from (see pruneTrace). */
  emitted: Versions<EmittedBranch>;
  /** What the crossing repairs read of each node list (crossings.ts), kept between re-prunes as the lists are. */
  crossingReads: CrossingReads;
  /** The forks moved onto corners per node list (corner-at-split.ts), kept between re-prunes as the lists are. */
  cornerReads: CornerReads;
  /** Settings the cache was made with, for reports. */
  parameters: { lambda: number; gapPx: number; strengthMax: number; foreground: Pick<Foreground, 'intensity' | 'ridge'>; inverted: boolean; binary: boolean };
  timings: Record<string, number>;
}

/**
 * What re-pruning worked out per segment, the last few versions (most recent first). A segment's line ends, its
 * children's junctions and its nodes change with the detail level; keeping one version made every return to an
 * earlier level refine, place and repair again what it had before, and handing out the same objects again lets the
 * memos keyed by identity (the junctions', the crossing repairs') answer.
 */
type Versions<T> = Array<T[] | undefined>;

/**
 * How many versions per segment. A segment changes at a few of the levels only, but one changed anywhere makes its
 * arbor's crossings be repaired again: with 4, the slider dragged from 1 to 30 µm and back re-pruned SNT's ddaC in a
 * median 12 ms on the way back; with 16, in 3 ms (and +12 MiB of heap after sweeping it twice each way).
 */
const VERSIONS_KEPT = 16;

/** Segment s's version that `matches`, else one made now; either becomes the most recent. */
function recall<T>(versions: Versions<T>, s: number, matches: (v: T) => boolean, make: () => T): T {
  const list = versions[s] ?? (versions[s] = []);
  const k = list.findIndex(matches);
  const v = k >= 0 ? list.splice(k, 1)[0] : make();
  list.unshift(v);
  if (list.length > VERSIONS_KEPT) list.length = VERSIONS_KEPT;
  return v;
}

/** A child segment's junction on its parent's line `own` (from its first own vertex `first`; see pruneTrace). */
interface PlacedChild {
  from: number;
  attachAt: number;
  own: ReadonlyArray<[number, number]>;
  childLine: ReadonlyArray<[number, number]>;
  first: number;
  /** The junction, the child's line from it, where it lies along `own`, and the child's chain position nearest it. */
  point: [number, number];
  child: Array<[number, number]>;
  at: number;
  cut: number;
}

/**
 * A kept segment's nodes, made from its line `own` (from vertex `first`) and the junctions of the children placed on
 * it: the same line and junctions give the same nodes, and handing out the same node list lets the crossing repairs
 * reuse what they read of it (crossings.ts reads are keyed by node list).
 */
interface EmittedBranch {
  own: ReadonlyArray<[number, number]>;
  first: number;
  /** Child segment and junction point (by identity: junctions are memoised, cache.placed) of each place, in order. */
  places: Array<[number, [number, number]]>;
  nodes: AutoNode[];
  /** Per place, the index in `nodes` of the node the child hangs from. */
  hangNodes: number[];
}

/** The shortest branch kept when a trace names no detail level, µm. */
export const DEFAULT_MIN_BRANCH_UM = 5;

/** Prune options in px for a detail level. */
export function pruneOptionsFor(detail: AutoDetail, pixelSize: number | null): PruneOptions {
  const minLength = detail.minBranchPx ?? (detail.minBranchUm ?? DEFAULT_MIN_BRANCH_UM) / (pixelSize ?? ASSUMED_UM_PER_PX);
  return { ...DEFAULT_PRUNE, minLength, minUncoveredShare: detail.pruningStrength ?? DEFAULT_PRUNE.minUncoveredShare, minStrength: detail.minStrength ?? DEFAULT_PRUNE.minStrength };
}

/**
 * The index of a vertex of `line` at the point of it nearest to `q`, searching from vertex `from` on; the point is
 * inserted as a vertex unless one is already there. Vertices before `from` are never returned.
 */
function insertNearest(line: Array<[number, number]>, q: readonly [number, number], from: number): number {
  const { point, at } = distanceToPolyline(line, q, Math.min(from, line.length - 1));
  const i = Math.floor(at);
  if (i + 1 >= line.length) return i;
  if (Math.hypot(point[0] - line[i + 1][0], point[1] - line[i + 1][1]) < 1e-6) return i + 1;
  if (Math.hypot(point[0] - line[i][0], point[1] - line[i][1]) < 1e-6) return i;
  line.splice(i + 1, 0, point);
  return i + 1;
}

/**
 * Foreground px in a row that a dark gap may hold and still be one place to check: specks of noise the search steps
 * on, a bead in a break (two rings a few px apart overlap on screen and tell the technician nothing more).
 */
const GAP_SPECK_PX = 6;

/** Whether the first `count` pixels of segment s have under 0.3 of full strength on average (per px of length). */
function isFaint(seg: SegmentForest, s: number, from: number, count: number): boolean {
  let weighted = 0;
  let length = 0;
  for (let j = seg.start[s] + from; j < seg.start[s] + count; j++) {
    const p = seg.pixels[j];
    weighted += seg.stepLength[p] * seg.weight[p];
    length += seg.stepLength[p];
  }
  return weighted < 0.3 * length;
}

/**
 * The neurons of a cache at a detail level, one per seed (in seed order). Fast: selection of segments, and the
 * centre-line refinement (the live-wire's) of segments kept for the first time, memoised in `cache.refined`. `scratch` (width·height bytes) may be passed to avoid an allocation.
 */
export function pruneTrace(cache: AutoTraceCache, detail: AutoDetail = {}, scratch?: Uint8Array): AutoNeuron[] {
  const seg = cache.segments;
  const { width } = cache;
  const { kept, parent: parentOf, attachAt, from: firstOf } = pruneSegments(seg, cache.radius, cache.seeds.map((s) => ({ x: s.x, y: s.y, r: s.fibre ? 0 : s.r })), pruneOptionsFor(detail, cache.pixelSize), scratch, cache.signalEnd);
  // Whether a segment is a leaf is known only once pruning is done. A skeleton's one-pixel lines have no flank.
  if (!cache.skeleton) dropFlankLeaves(seg, kept, parentOf, attachAt, cache.radius, cache.signalEnd);
  const children = new Map<number, number[]>();
  const keptList: number[] = [];
  for (let s = 0; s < seg.count; s++) {
    if (!kept[s]) continue;
    keptList.push(s);
    const ps = parentOf[s];
    if (ps < 0) continue;
    const list = children.get(ps);
    if (list) list.push(s);
    else children.set(ps, [s]);
  }
  const childrenOf = (s: number) => children.get(s) ?? [];
  const neurons: AutoNeuron[] = cache.seeds.slice(0, cache.reported).map((s) => ({ soma: { x: s.x, y: s.y, r: s.r }, fibre: s.fibre, branches: [] }));
  const branchOf = new Int32Array(seg.count).fill(-1);
  const centre = (p: number): [number, number] => [(p % width) + 0.5, Math.floor(p / width) + 0.5];
  const radiusAt = (x: number, y: number) => cache.radius[Math.min(cache.height - 1, Math.max(0, Math.floor(y))) * width + Math.min(width - 1, Math.max(0, Math.floor(x)))];
  /** The parent's half-width where child c leaves segment `from` (at least 1.5 px). */
  const overlapAt = (from: number, c: number) => {
    const [x, y] = centre(seg.pixels[seg.start[from] + attachAt[c]]);
    return Math.max(1.5, radiusAt(x, y));
  };
  // Primaries by decreasing weighted length, so that a fibre's first branch is its main one.
  const order: number[] = [];
  for (const s of keptList) if (parentOf[s] < 0 && seg.region[s] < cache.reported) order.push(s);
  order.sort((a, b) => seg.weightedLength[b] - seg.weightedLength[a] || a - b);
  const stack = order.reverse();
  const visit: number[] = [];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    visit.push(s);
    const cs = childrenOf(s);
    for (let c = cs.length - 1; c >= 0; c--) stack.push(cs[c]);
  }
  const prependOf = (s: number): [number, number] | null => {
    const ps = parentOf[s];
    if (ps >= 0) return centre(seg.pixels[seg.start[ps] + attachAt[s]]);
    const n = neurons[seg.region[s]];
    return n?.fibre ? [n.soma.x, n.soma.y] : null;
  };
  /** The position along segment s's pixel chain nearest to q. */
  const nearestChainPosition = (s: number, q: readonly [number, number]): number => {
    let best = 0;
    let bestD = Infinity;
    for (let j = firstOf[s]; j < seg.length[s]; j++) {
      const [x, y] = centre(seg.pixels[seg.start[s] + j]);
      const d = (x - q[0]) ** 2 + (y - q[1]) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    return best;
  };
  /** How many of segment s's pixels its branch is drawn through: to where its signal ends, or on to its last kept child. */
  const drawnEnd = (s: number): number => {
    let end = Math.max(1, cache.signalEnd[s]);
    for (const c of childrenOf(s)) end = Math.max(end, attachAt[c] + 1);
    return end;
  };
  /** A kept segment's centre line: its prepended attach point, then its pixels up to its end, refined. */
  const refinedOf = (s: number): Array<[number, number]> => {
    const end = drawnEnd(s);
    // Refined with only its ends pinned and memoised per segment (the end moves only when a kept child lies past
    // where the signal ends), so re-pruning is a lookup; the nodes children hang from are inserted below.
    // Where it hangs changes with the level when its parent ran inside kept cover (prune.ts coveredHang).
    const hangs = parentOf[s] < 0 ? -1 : seg.start[parentOf[s]] + attachAt[s];
    const first = firstOf[s];
    return recall(cache.refined, s, (v) => v.end === end && v.hangs === hangs && v.first === first, () => {
      const prepend = prependOf(s);
      const chain: Array<[number, number]> = prepend ? [prepend] : [];
      for (let j = seg.start[s] + first; j < seg.start[s] + end; j++) chain.push(centre(seg.pixels[j]));
      let line = cache.skeleton ? chain : refineCentreline(cache.smoothed, chain, [], { smoothing: cache.smoothing });
      // A segment that ends where its signal does is a tip: its end goes onto the neurite's centre line, a thick
      // neurite's one cap radius inside where its signal ends.
      if (end === cache.signalEnd[s] && !cache.skeleton) {
        const cap = cache.tipPlane ? capInset(line, cache.tipPlane.plane, cache.tipPlane.background, cache.tipPlane.blur) : NaN;
        line = centredTip(line, cache.smoothed, Number.isNaN(cap) ? cache.tipInset[s] : cap);
      }
      return { end, hangs, first, line };
    }).line;
  };
  /**
   * Per kept child: the branch it hangs from (its parent segment's, or its grandparent's when it split off inside
   * the grandparent's width, see below), the node there, and its own line from the junction on.
   */
  const hang = new Map<number, { parent: number; node: number; line: Array<[number, number]> }>();
  for (const s of visit) {
    const neuron = neurons[seg.region[s]];
    if (!neuron) continue;
    const ps = parentOf[s];
    let parent = -1;
    let parentNode = -1;
    /** Index of this branch's first own vertex on its line (what precedes it is the parent's). */
    let first = 0;
    let own = refinedOf(s);
    if (ps >= 0) {
      const h = hang.get(s) as { parent: number; node: number; line: Array<[number, number]> };
      parent = branchOf[h.parent];
      parentNode = h.node;
      own = h.line;
      first = 1;
    } else if (neuron.fibre && neuron.branches.length > 0) {
      parent = 0;
      parentNode = 0;
      first = 1;
    }
    // Straight through where a child leaves it at a shallow angle: its line does not lean towards the child there.
    if (!cache.skeleton) {
      const cs = childrenOf(s).filter((c) => !hang.has(c));
      const lines = cs.map(refinedOf);
      const bent = own;
      own = recall(cache.straightened, s, (v) => v.own === bent && v.first === first && v.lines.length === lines.length && v.lines.every((l, k) => l === lines[k]), () => ({
        own: bent,
        first,
        lines,
        line: straightenAtSplits(bent, lines, cs.map((c) => overlapAt(s, c)), first),
      })).line;
    }
    // Each child hangs where its centre line meets this one (junction.ts; a mask's skeleton is exact as it is). The
    // part of a child inside this branch's width is dropped; a grandchild that split off there runs inside this
    // branch too, so it hangs from this branch as well.
    const place = (c: number, from: number): PlacedChild & { c: number } => {
      const childLine = refinedOf(c);
      const placed = recall(cache.placed, c, (v) => v.from === from && v.attachAt === attachAt[c] && v.own === own && v.childLine === childLine && v.first === first, () => {
        const attach = centre(seg.pixels[seg.start[from] + attachAt[c]]);
        const overlap = overlapAt(from, c);
        const near = cache.skeleton ? childLine : recentreNearParent(cache.smoothed, own, childLine, overlap, first);
        const j = cache.skeleton ? null : junctionOnParent(own, near, overlap, Math.max(4, 2 * overlap), first);
        const point = j ? j.point : attach;
        return { from, attachAt: attachAt[c], own, childLine, first, point, child: j ? [point, ...j.child] : childLine, at: distanceToPolyline(own, point, first).at, cut: j ? nearestChainPosition(c, j.child[0]) : 0 };
      });
      return { ...placed, c };
    };
    const places: Array<ReturnType<typeof place>> = [];
    for (const c of childrenOf(s)) {
      if (hang.has(c)) continue;
      const p = place(c, s);
      places.push(p);
      for (const g of childrenOf(c)) if (attachAt[g] < p.cut) places.push(place(g, c));
    }
    places.sort((a, b) => a.at - b.at || a.c - b.c);
    const made = recall(cache.emitted, s, (v) => v.own === own && v.first === first && v.places.length === places.length && v.places.every(([c, point], k) => c === places[k].c && point === places[k].point), () => {
      const line = own.map((p): [number, number] => [p[0], p[1]]);
      let at = first;
      const vertexOf = places.map((p) => (at = insertNearest(line, p.point, at)));
      // A node at least every µm, each with its radius from the distance transform (as APP2 resamples its trace),
      // added on the centre line's own edges: the line, its length and its Sholl crossings stay exactly as fitted.
      const stored = densify(line, 1 / (cache.pixelSize ?? ASSUMED_UM_PER_PX));
      const start = stored.index[first];
      return {
        own,
        first,
        places: places.map((p): [number, [number, number]] => [p.c, p.point]),
        nodes: stored.points.slice(start).map(([x, y]) => ({ x, y, r: radiusAt(x, y) })),
        hangNodes: vertexOf.map((v) => stored.index[v] - start),
      };
    });
    const { hangNodes } = made;
    places.forEach((p, k) => hang.set(p.c, { parent: s, node: hangNodes[k], line: p.child }));
    // Doubts about the branch as drawn: the pixels past its end are the front running on through noise.
    const drawn = Math.min(drawnEnd(s), seg.length[s]);
    const doubts: AutoBranch['doubts'] = [];
    const placed: Array<{ k: number; spot: DoubtSpot }> = [];
    // On the line as drawn: the search's pixels wander off the centre line where they hop across the dark.
    const spotAt = (doubt: DoubtSpot['doubt'], k: number) => {
      const [x, y] = distanceToPolyline(own, centre(seg.pixels[seg.start[s] + k])).point;
      placed.push({ k, spot: { doubt, x, y } });
    };
    // A root hung from the neurite it ran along is drawn from where it leaves it (firstOf).
    const firstGap = Math.max(seg.firstGap[s], firstOf[s]);
    const firstContact = Math.max(seg.firstContact[s], firstOf[s]);
    if (firstGap < drawn) {
      doubts.push('gap');
      // The middle of each dark stretch crossed (a line broken in several places has a spot at each); specks of noise
      // or a bead in a break do not split it.
      const inGap = (k: number) => seg.allowed[seg.pixels[seg.start[s] + k]] === 2;
      for (let k = firstGap; k < drawn; k++) {
        if (!inGap(k)) continue;
        let end = k;
        for (let j = k + 1; j < drawn && j <= end + 1 + GAP_SPECK_PX; j++) if (inGap(j)) end = j;
        spotAt('gap', (k + end) >> 1);
        k = end;
      }
    }
    if (firstContact < drawn) {
      doubts.push('contact');
      spotAt('contact', firstContact);
    }
    if (isFaint(seg, s, firstOf[s], drawn)) doubts.push('faint');
    branchOf[s] = neuron.branches.length;
    const spots = placed.sort((a, b) => a.k - b.k).map((p) => p.spot);
    neuron.branches.push({ parent, parentNode, nodes: made.nodes, doubts, spots });
  }
  // Neurites of the cell that cross each other: the tree grown from the soma runs the wrong way at each crossing.
  // Then forks where the parent's line cuts a corner go where the lines meet (a skeleton's pixel lines meet exactly).
  const spacing = 1 / (cache.pixelSize ?? ASSUMED_UM_PER_PX);
  return neurons.map((n) => {
    const rejoined = rejoinCrossings(n, cache.smoothed, spacing, cache.crossingReads);
    return cache.skeleton ? rejoined : cornerForks(rejoined, spacing, cache.cornerReads);
  });
}
