import { borrow, giveBack } from '../../scratch-arrays';
import type { GeodesicForest } from './geodesic';

/**
 * APP2's hierarchical decomposition of the shortest-path forest: from every pixel the chain follows the child with
 * the longest intensity-weighted path to a leaf, so the forest splits into segments, each a pixel chain from where it
 * leaves its parent segment (or a seed region) to its leaf. Built once per search; pruning (prune.ts) only selects
 * segments, which is what makes a new detail level instant.
 */
export interface SegmentForest {
  width: number;
  height: number;
  /** Pixels of all segments, segment k at pixels[start[k] .. start[k] + length[k]), proximal first. */
  pixels: Int32Array;
  start: Int32Array;
  length: Int32Array;
  /** Parent segment, −1 for a segment leaving a seed region. */
  parentSegment: Int32Array;
  /** Position in the parent's pixel list of the pixel this segment leaves from (−1 for a seed-region segment). */
  attachAt: Int32Array;
  /** Seed region (neuron) the segment belongs to. */
  region: Int32Array;
  /** Σ step length × signal strength over the segment (its intensity-weighted length). */
  weightedLength: Float64Array;
  /** Geometric length in px (steps from the parent pixel or seed). */
  geometricLength: Float64Array;
  /**
   * Position in the segment's pixels of its first pixel in a dark gap, and of its first touching ground another seed
   * region reached; its length when it has none. A branch is drawn only as far as its signal goes (signalEnd), and
   * the front running on past that through specks of noise is no doubt about the branch drawn.
   */
  firstGap: Int32Array;
  firstContact: Int32Array;
  /** Per pixel, as the search was allowed there: 2 marks a pixel crossed in a dark gap (the search's own array). */
  allowed: Uint8Array;
  /** Segment indices by decreasing weighted length (parents always before their children). */
  byLength: Int32Array;
  /** Per pixel: step length from its parent (0 for seeds) and strength used for weighting. */
  stepLength: Float32Array;
  weight: Float32Array;
  count: number;
}

/**
 * Decomposes a geodesic forest. `weight` is the per-pixel strength in [0, 1] (0 in gaps); `allowed` as the search
 * used it (2 marks gap pixels).
 */
export function decomposeForest(forest: GeodesicForest, weight: Float32Array, allowed: Uint8Array): SegmentForest {
  const { width, height, parent, order, label } = forest;
  const n = width * height;
  const stepLength = new Float32Array(n);
  const best = borrow(Float64Array, n).fill(0);
  const bestChild = borrow(Int32Array, n).fill(-1);
  for (let k = 0; k < order.length; k++) {
    const p = order[k];
    const q = parent[p];
    if (q < 0) continue;
    const dx = (p % width) - (q % width);
    stepLength[p] = dx !== 0 && p - q !== dx ? Math.SQRT2 : 1;
  }
  // Leaves up: order lists parents before children, so the reverse sees every child before its parent.
  for (let k = order.length - 1; k >= 0; k--) {
    const p = order[k];
    const q = parent[p];
    if (q < 0) continue;
    const cand = best[p] + stepLength[p] * weight[p];
    if (bestChild[q] < 0 || cand > best[q]) {
      best[q] = cand;
      bestChild[q] = p;
    }
  }
  const segOf = borrow(Int32Array, n).fill(-1);
  const posOf = borrow(Int32Array, n).fill(0);
  const pixels = borrow(Int32Array, n);
  const starts: number[] = [];
  const lengths: number[] = [];
  const parents: number[] = [];
  const attach: number[] = [];
  const regions: number[] = [];
  let used = 0;
  for (let k = 0; k < order.length; k++) {
    const s = order[k];
    const q = parent[s];
    if (q === -1 || q < -1) continue;
    const seedParent = parent[q] === -1;
    if (!seedParent && bestChild[q] === s) continue;
    if (!seedParent && segOf[q] === DEAD) {
      // Hangs from a trimmed gap tail: all of it is dark, so it is no branch.
      for (let p = s; p >= 0; p = bestChild[p]) segOf[p] = DEAD;
      continue;
    }
    const seg = starts.length;
    starts.push(used);
    parents.push(seedParent ? -1 : segOf[q]);
    attach.push(seedParent ? -1 : posOf[q]);
    regions.push(label[s]);
    let len = 0;
    let solid = 0;
    for (let p = s; p >= 0; p = bestChild[p]) {
      segOf[p] = seg;
      posOf[p] = len++;
      pixels[used++] = p;
      if (allowed[p] !== 2) solid = len;
    }
    // A chain never ends in a gap: dark pixels past the last foreground pixel are the front spilling off a tip, and a
    // chain all in a gap (the front spilling off a neurite's side) is no segment at all. What hangs from them has no
    // signal either (their best continuation is dark), so it is dropped with them.
    if (solid < len) {
      for (let j = used - (len - solid); j < used; j++) segOf[pixels[j]] = DEAD;
      used -= len - solid;
      len = solid;
    }
    if (len === 0) {
      starts.pop();
      parents.pop();
      attach.pop();
      regions.pop();
      continue;
    }
    lengths.push(len);
  }
  const count = starts.length;
  const start = Int32Array.from(starts);
  const length = Int32Array.from(lengths);
  const weightedLength = new Float64Array(count);
  const geometricLength = new Float64Array(count);
  const firstGap = new Int32Array(count);
  const firstContact = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    let wl = 0;
    let gl = 0;
    let gap = length[s];
    let contact = length[s];
    for (let k = 0; k < length[s]; k++) {
      const p = pixels[start[s] + k];
      wl += stepLength[p] * weight[p];
      gl += stepLength[p];
      if (gap === length[s] && allowed[p] === 2) gap = k;
      if (contact === length[s] && touchesOtherRegion(p, label, width, height)) contact = k;
    }
    weightedLength[s] = wl;
    geometricLength[s] = gl;
    firstGap[s] = gap;
    firstContact[s] = contact;
  }
  // Sort key: a child never outranks its parent (equal sums can differ in the last bit when added in another order).
  const key = new Float64Array(count);
  for (let s = 0; s < count; s++) key[s] = parents[s] >= 0 ? Math.min(weightedLength[s], key[parents[s]]) : weightedLength[s];
  const byLength = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => key[b] - key[a] || a - b);
  const kept = pixels.slice(0, used);
  giveBack(best, bestChild, segOf, posOf, pixels);
  return {
    width, height, pixels: kept, start, length, parentSegment: Int32Array.from(parents), attachAt: Int32Array.from(attach),
    region: Int32Array.from(regions), weightedLength, geometricLength, firstGap, firstContact, allowed, byLength, stepLength, weight, count,
  };
}

/** segOf of pixels that belong to no segment (a dark tail and what hangs from it). */
const DEAD = -2;

function touchesOtherRegion(p: number, label: Int32Array, width: number, height: number): boolean {
  return touchesLabel(p, label, width, height, 0, Infinity, label[p]);
}

/** True when an 8-neighbour of pixel p has a label in [lo, hi) other than `except`. */
export function touchesLabel(p: number, label: Int32Array, width: number, height: number, lo: number, hi: number, except: number): boolean {
  const x = p % width;
  const y = (p - x) / width;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const l = label[nx + width * ny];
      if (l >= lo && l < hi && l !== except) return true;
    }
  }
  return false;
}
