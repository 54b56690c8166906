import type { SegmentForest } from './segments';

/** A leaf that stays within this many of its parent's radii of the parent's path runs alongside it. */
const FLANK_RADII = 3;
/** …and ends nearer the parent than this share of its length: it never leaves at more than about 30°. */
const ALONG_SHARE = 0.5;
/** Between its tip and the parent, strength under this share of theirs is background: two neurites, not one. */
const VALLEY_SHARE = 0.5;

/**
 * Kept leaves that are their parent's flank rather than a branch of it, dropped from `kept` (in place; returns how
 * many). Where two neurites run side by side a few px apart, or a path runs along the edge of a neurite wider than
 * the cover its radius gives, the search leaves a segment beside the kept one that passes pruning (its pixels are
 * bright and outside the cover) and is drawn as a spur hugging the neurite: on the renders of SNT's 21dpi
 * reconstruction, most excess tips. Such a leaf stays within FLANK_RADII of the parent's radius (where it splits
 * off) of the parent's path all along, ends nearer it than ALONG_SHARE of its length, and its tip joins the parent
 * without background between them (no strength under VALLEY_SHARE of theirs on the line from one to the other). A
 * branch that leaves, however short (a spur at a right angle, a twig at 30°), one that comes back to touch its
 * parent, and one beside it across a dark gap all stay. `end[s]`: how many of leaf s's pixels are drawn.
 */
export function dropFlankLeaves(forest: SegmentForest, kept: Uint8Array, parent: Int32Array, attachAt: Int32Array, radius: Float32Array, end: ArrayLike<number>): number {
  const { width, pixels, start, length, stepLength } = forest;
  const hasChild = new Uint8Array(forest.count);
  for (let s = 0; s < forest.count; s++) if (kept[s] && parent[s] >= 0) hasChild[parent[s]] = 1;
  let dropped = 0;
  for (let s = 0; s < forest.count; s++) {
    const ps = parent[s];
    if (!kept[s] || ps < 0 || hasChild[s]) continue;
    const n = Math.min(length[s], Math.max(1, end[s]));
    const reach = FLANK_RADII * Math.max(1, radius[pixels[start[ps] + attachAt[s]]]);
    // Only the parent's pixels a leaf that stays beside it can be nearest to.
    const from = Math.max(0, attachAt[s] - n - Math.ceil(reach) - 2);
    const to = Math.min(length[ps], attachAt[s] + n + Math.ceil(reach) + 2);
    // The parent's pixel nearest p and its distance (squared distances compared: this runs on every re-prune).
    let nearAt = -1;
    const nearest = (p: number): number => {
      const x = p % width;
      const y = Math.floor(p / width);
      let best = Infinity;
      for (let j = from; j < to; j++) {
        const q = pixels[start[ps] + j];
        const d2 = ((q % width) - x) ** 2 + (Math.floor(q / width) - y) ** 2;
        if (d2 < best) [best, nearAt] = [d2, q];
      }
      return Math.sqrt(best);
    };
    const tip = pixels[start[s] + n - 1];
    const tipD = nearest(tip);
    if (tipD > reach) continue;
    const tipNear = nearAt;
    let arc = 0;
    for (let j = 0; j < n; j++) arc += stepLength[pixels[start[s] + j]];
    if (tipD >= ALONG_SHARE * arc) continue;
    let away = false;
    for (let j = 0; j < n - 1 && !away; j++) away = nearest(pixels[start[s] + j]) > reach;
    if (away || valleyBetween(forest, tip, tipNear)) continue;
    kept[s] = 0;
    dropped++;
  }
  return dropped;
}

/** Whether the strength on the straight line between pixels a and b dips under VALLEY_SHARE of the lower of theirs. */
function valleyBetween(forest: SegmentForest, a: number, b: number): boolean {
  const { width, weight } = forest;
  const [ax, ay] = [a % width, Math.floor(a / width)];
  const [bx, by] = [b % width, Math.floor(b / width)];
  const steps = Math.ceil(2 * Math.hypot(bx - ax, by - ay));
  const floor = VALLEY_SHARE * Math.min(weight[a], weight[b]);
  for (let k = 1; k < steps; k++) {
    const x = Math.round(ax + ((bx - ax) * k) / steps);
    const y = Math.round(ay + ((by - ay) * k) / steps);
    if (weight[y * width + x] < floor) return true;
  }
  return false;
}
