import type { SegmentForest } from './segments';

/** How much of the decomposed forest to keep: the "detail" of an automatic trace. */
export interface PruneOptions {
  /**
   * A segment must add at least this much length (px) not already covered by kept segments; default 10. A bright one
   * (its new part at least BRIGHT_STRENGTH) need add only half of it when its whole length reaches it: a twig off a
   * thick neurite starts inside the parent's coverage disk, which would otherwise raise its minimum by the disk's
   * radius (the detail slider says the shortest branch kept, measured from the parent's centre line).
   */
  minLength?: number;
  /** …and at least this share of its own intensity-weighted length must be uncovered (pruning strength); default 0.5. */
  minUncoveredShare?: number;
  /** …and its uncovered part must have at least this mean strength (0–1); default 0.1. */
  minStrength?: number;
  /** A kept pixel covers a disk of coverScale × its radius (≥ 1 px); default 1.5. */
  coverScale?: number;
}

/** Mean strength (0–1) of a segment's new part above which it counts as a bright twig (see minLength). */
const BRIGHT_STRENGTH = 0.7;

export const DEFAULT_PRUNE: Required<PruneOptions> = { minLength: 10, minUncoveredShare: 0.5, minStrength: 0.1, coverScale: 1.5 };

/** Disks painted before any segment: the seed regions (somata), so stubs inside a cell body are not branches. */
export interface SeedDisk {
  x: number;
  y: number;
  r: number;
}

/** What pruning keeps, and where each kept segment hangs. */
export interface Pruned {
  /** kept[segment]: 1 when kept. */
  kept: Uint8Array;
  /**
   * Per segment, the segment it hangs from and the position along that segment's pixels where it does: the forest's
   * own for most, a kept segment of its cell for one whose parent ran inside kept cover (see coveredHang). −1 for a root.
   */
  parent: Int32Array;
  attachAt: Int32Array;
  /**
   * Per segment, the first of its pixels its branch is drawn from: 0, but for a root segment that ran from the seed
   * inside a kept neurite's cover before leaving it, hung from that neurite (see coveredHang), a few px before it leaves.
   */
  from: Int32Array;
}

/**
 * APP2's hierarchical pruning, long segments first: a segment is kept when its parent is kept and the part of it not
 * yet covered by kept segments (and seed disks) is long enough, is a large enough share of its signal (of its signal
 * past a covered start it then leaves for good, see leavesCover) and is bright enough; a kept segment then covers the
 * disks of its pixels' radii. Parents are decided before their children, so a rejected segment takes its sub-tree
 * with it, except where the rejected segment only ran inside kept cover up to where the child leaves it: the child
 * is judged as a branch of the kept neurite (coveredHang). Reuses `scratch` (one byte per pixel) between calls so
 * that a new detail level costs only the pixels it paints. `ends` (per segment, default its length) stops each
 * segment where its signal ends (tips.ts).
 */
export function pruneSegments(forest: SegmentForest, radius: Float32Array, seeds: readonly SeedDisk[], options: PruneOptions = {}, scratch?: Uint8Array, ends?: Int32Array): Pruned {
  const o = { ...DEFAULT_PRUNE, ...options };
  const { width, height, pixels, start, parentSegment, stepLength, weight, byLength, weightedLength } = forest;
  const parent = Int32Array.from(parentSegment);
  const attachAt = Int32Array.from(forest.attachAt);
  const from = new Int32Array(forest.count);
  const covered = scratch && scratch.length === width * height ? scratch : new Uint8Array(width * height);
  const seedPixels: number[] = [];
  // paintDisk works in pixel-index coordinates (pixel i spans [i − 0.5, i + 0.5)); seeds are in document px.
  for (const s of seeds) {
    paintDisk(width, height, s.x - 0.5, s.y - 0.5, s.r * o.coverScale, (i) => {
      if (covered[i]) return;
      covered[i] = 1;
      seedPixels.push(i);
    });
  }
  const kept = new Uint8Array(forest.count);
  // Every rule below needs at least half the minimum length uncovered, so segments shorter than that in all (most of a
  // forest: one-pixel spurs off the kept neurites) are passed over without reading their pixels.
  const memo = pruneMemoOf(forest, radius, o.coverScale, ends);
  const { lengths, footprint } = memo;
  const shortest = o.minLength / 2;
  for (let k = 0; k < byLength.length; k++) {
    const s = byLength[k];
    const ps = parentSegment[s];
    if (lengths[s] < shortest) continue;
    // A segment whose parent was dropped is read only when that parent ran inside kept cover (coveredHang); that
    // is looked for after the segment passes the rules below, which most such segments (spurs) do not.
    const orphan = ps >= 0 && !kept[ps];
    if (orphan && !covered[pixels[start[ps] + forest.attachAt[s]]]) continue;
    const stop = start[s] + memo.endOf(s);
    let uncovered = 0;
    let uncoveredWeight = 0;
    let leadWeight = 0;
    let lead = 0;
    for (let j = start[s]; j < stop; j++) {
      const p = pixels[j];
      if (covered[p]) {
        if (uncovered === 0) {
          leadWeight += stepLength[p] * weight[p];
          lead++;
        }
        continue;
      }
      uncovered += stepLength[p];
      uncoveredWeight += stepLength[p] * weight[p];
    }
    if (uncovered <= 0) continue;
    const brightTwig = lengths[s] >= o.minLength && uncovered >= o.minLength / 2 && uncoveredWeight >= BRIGHT_STRENGTH * uncovered;
    if (uncovered < o.minLength && !brightTwig) continue;
    if (uncoveredWeight < o.minUncoveredShare * weightedLength[s] && !leavesCover(uncovered, uncoveredWeight, weightedLength[s] - leadWeight, o.minLength)) continue;
    if (uncoveredWeight < o.minStrength * uncovered) continue;
    if (orphan) {
      const hung = coveredHang(forest, s, kept, covered, memo);
      if (!hung) continue;
      [parent[s], attachAt[s]] = hung;
    } else if (ps < 0 && lead > 0 && lead < stop - start[s]) {
      // A root that ran from its seed inside a kept neurite's cover and leaves it at least the shortest branch past
      // the seed's disk: a branch of that neurite the search reached along it, not a second neurite from the cell
      // body (two that part nearer the cell body stay two).
      const leaves = pixels[start[s] + lead - 1];
      const hung = clearOfSeeds(leaves, width, seeds, o.coverScale) < o.minLength ? null : nearestKept(forest, s, leaves, kept, memo);
      if (hung) {
        [parent[s], attachAt[s]] = hung;
        from[s] = Math.max(0, lead - 1 - ROOT_LEAD_PX);
      }
    }
    kept[s] = 1;
    for (const i of footprint(s)) covered[i] = 1;
  }
  for (const i of seedPixels) covered[i] = 0;
  for (let s = 0; s < forest.count; s++) if (kept[s]) for (const i of footprint(s)) covered[i] = 0;
  return { kept, parent, attachAt, from };
}

/**
 * Where segment s hangs when its parent was not kept but only ran inside kept cover: along a thick neurite the search
 * may take a second path beside the first (from the soma on, or from a branch point), which pruning rejects as it
 * adds nothing, and a branch that left from that path would go with it. When every rejected segment between s and
 * its nearest kept ancestor (or its seed region) is covered from its start to where the next one leaves it, s hangs
 * from the kept segment of its own cell whose cover disk reaches where s leaves, at its nearest pixel: [segment,
 * position along it]. Null otherwise.
 */
function coveredHang(forest: SegmentForest, s: number, kept: Uint8Array, covered: Uint8Array, memo: PruneMemo): [number, number] | null {
  const { pixels, start, parentSegment, attachAt } = forest;
  let child = s;
  for (let q = parentSegment[s]; q >= 0 && !kept[q]; child = q, q = parentSegment[q]) {
    for (let j = start[q], stop = start[q] + attachAt[child]; j <= stop; j++) if (!covered[pixels[j]]) return null;
  }
  return nearestKept(forest, s, pixels[start[parentSegment[s]] + attachAt[s]], kept, memo);
}

/**
 * The kept segment of segment s's cell whose cover disk reaches pixel `leaves`, at its pixel nearest to it: [segment,
 * position along it]. Null when none does.
 */
function nearestKept(forest: SegmentForest, s: number, leaves: number, kept: Uint8Array, memo: PruneMemo): [number, number] | null {
  const { start, region, width, height } = forest;
  const lx = leaves % width;
  const ly = (leaves - lx) / width;
  const { at, reach } = memo.owners();
  let best: [number, number] | null = null;
  let bestD = Infinity;
  let bestP = -1;
  // Square rings outwards from where s leaves: a pixel on ring k lies at least k px away, so the search stops at the
  // first ring past the nearest pixel found (the kept neurite is mostly a px or two away).
  for (let k = 0; k <= reach && k * k <= bestD; k++) {
    for (let y = ly - k; y <= ly + k; y++) {
      if (y < 0 || y >= height) continue;
      const step = y === ly - k || y === ly + k ? 1 : 2 * k;
      for (let x = lx - k; x <= lx + k; x += Math.max(1, step)) {
        if (x < 0 || x >= width) continue;
        const p = x + width * y;
        const j = at[p];
        const d = (x - lx) ** 2 + (y - ly) ** 2;
        if (j < 0 || d > bestD || (d === bestD && p > bestP)) continue;
        const r = Math.max(1, memo.radius[p] * memo.coverScale);
        if (d > r * r) continue;
        const o = segmentAt(start, j);
        if (!kept[o] || region[o] !== region[s] || j - start[o] >= memo.endOf(o)) continue;
        [best, bestD, bestP] = [[o, j - start[o]], d, p];
      }
    }
  }
  return best;
}

/** The segment whose pixels include position j of the forest's pixel list (segments lie in order). */
function segmentAt(start: Int32Array, j: number): number {
  let lo = 0;
  let hi = start.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (start[mid] <= j) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** New length, px, a segment that starts inside kept cover must add to be judged from where it leaves it. */
const LEAVING_PX = 20;
/** Share of its signal past the covered start that such a segment must add: it leaves the cover for good. */
const LEAVING_SHARE = 0.9;

/**
 * True when a segment that starts inside kept cover leaves it for good: a child that split off early inside its
 * thick parent and ran along it before turning away (a branch at an acute angle), whose covered start then outweighs
 * its own neurite in the share rule. It is judged on the part past that start, which is where its branch begins
 * (junction.ts hangs it where it leaves its parent's width): at least LEAVING_PX (and the shortest branch) of new
 * length, carrying LEAVING_SHARE of the signal from there on. A path weaving along a bundle of neurites, in and out
 * of their cover, adds far less.
 */
function leavesCover(uncovered: number, uncoveredWeight: number, weightPastLead: number, minLength: number): boolean {
  return uncovered >= Math.max(LEAVING_PX, minLength) && uncoveredWeight >= LEAVING_SHARE * weightPastLead;
}

/** Covered pixels a hung root keeps before where it leaves the cover: the approach junction.ts extends back. */
const ROOT_LEAD_PX = 4;

/** How far pixel p lies outside the nearest seed's disk as pruneSegments paints it, px (negative inside). */
function clearOfSeeds(p: number, width: number, seeds: readonly SeedDisk[], coverScale: number): number {
  const x = p % width;
  const y = (p - x) / width;
  return Math.min(...seeds.map((d) => Math.hypot(x - d.x + 0.5, y - d.y + 0.5) - Math.max(1, d.r * coverScale)));
}

/** Calls `visit` with each pixel index within r (at least 1) of (cx, cy), in pixel-index coordinates. */
function paintDisk(width: number, height: number, cx: number, cy: number, r: number, visit: (i: number) => void): void {
  const rr = Math.max(1, r);
  const x0 = Math.max(0, Math.floor(cx - rr));
  const x1 = Math.min(width - 1, Math.ceil(cx + rr));
  const y0 = Math.max(0, Math.floor(cy - rr));
  const y1 = Math.min(height - 1, Math.ceil(cy + rr));
  const r2 = rr * rr;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r2) visit(x + width * y);
}

/** What re-pruning one forest reuses at every detail level (see pruneMemoOf). */
interface PruneMemo {
  radius: Float32Array;
  coverScale: number;
  ends: Int32Array | undefined;
  /**
   * Each segment's length up to its end, summed in the order pruneSegments sums its uncovered part, so that a part is
   * never longer than the whole in floating point.
   */
  lengths: Float64Array;
  /** The pixels a segment covers when kept: its pixels' disks (coverScale × radius), each pixel once. */
  footprint(s: number): Int32Array;
  /** How many of a segment's pixels count (up to where its signal ends). */
  endOf(s: number): number;
  /**
   * Per image pixel, its position in the forest's pixel list (−1 for none), and the largest cover disk's reach in
   * px: made the first time coveredHang looks for where a segment hangs.
   */
  owners(): { at: Int32Array; reach: number };
}

const memoByForest = new WeakMap<SegmentForest, PruneMemo>();

/**
 * Segment lengths and footprints of a forest, memoised with the radii, cover scale and ends they were made with: a
 * forest is re-pruned at every detail level, and a footprint, worked out the first time its segment is kept, lets a
 * level write each covered pixel once instead of testing every disk again (the disks of a neurite's consecutive
 * pixels overlap almost entirely).
 */
function pruneMemoOf(forest: SegmentForest, radius: Float32Array, coverScale: number, ends?: Int32Array): PruneMemo {
  const known = memoByForest.get(forest);
  if (known && known.radius === radius && known.coverScale === coverScale && known.ends === ends) return known;
  const { width, height, pixels, start, length, stepLength, count } = forest;
  const end = (s: number) => start[s] + (ends ? ends[s] : length[s]);
  const lengths = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    let total = 0;
    for (let j = start[s], stop = end(s); j < stop; j++) total += stepLength[pixels[j]];
    lengths[s] = total;
  }
  const footprints: Array<Int32Array | undefined> = [];
  let owners: { at: Int32Array; reach: number } | undefined;
  // Marks the pixels of the footprint being gathered (cleared after it): one byte per image pixel, made once.
  let mark: Uint8Array | undefined;
  const memo: PruneMemo = {
    radius,
    coverScale,
    ends,
    lengths,
    footprint(s) {
      const had = footprints[s];
      if (had) return had;
      const seen = (mark ??= new Uint8Array(width * height));
      const out: number[] = [];
      for (let j = start[s], stop = end(s); j < stop; j++) {
        const p = pixels[j];
        const x = p % width;
        paintDisk(width, height, x, (p - x) / width, radius[p] * coverScale, (i) => {
          if (seen[i]) return;
          seen[i] = 1;
          out.push(i);
        });
      }
      for (const i of out) seen[i] = 0;
      return (footprints[s] = Int32Array.from(out));
    },
    endOf: (s) => (ends ? ends[s] : length[s]),
    owners() {
      if (owners) return owners;
      const at = new Int32Array(width * height).fill(-1);
      let largest = 1;
      for (let j = 0; j < pixels.length; j++) {
        at[pixels[j]] = j;
        largest = Math.max(largest, radius[pixels[j]] * coverScale);
      }
      return (owners = { at, reach: Math.ceil(largest) });
    },
  };
  memoByForest.set(forest, memo);
  return memo;
}
