import type { DiademResult, DiademTree } from '../../shared/analysis/diadem';
import { keyPointErrors } from '../../shared/tracing/auto/gold-standard';

/**
 * Why a gold key node went unscored, in the order tested:
 * - `unconfirmed`: a traced node of its kind lies within the XY threshold, but DIADEM did not take it (the traced path
 *   back to the matched ancestor has another length: the trace reaches it by another route);
 * - `off`: a traced node of its kind lies within `nearPx`, beyond the threshold (placement);
 * - `touching` (tips): it lies within `nearPx` of another gold branch, so in a projection it ends against a neurite;
 * - `untraced`: no traced line within `linePx`;
 * - `runs-on`: the traced line passes within `linePx` with no node of its kind there (a tip the trace runs past, a
 *   branch point it runs through without the branch).
 */
export type MissReason = 'unconfirmed' | 'off' | 'touching' | 'untraced' | 'runs-on';

/** Why a traced key node is excess: `off` (a gold node of its kind within `nearPx`), `on-gold` (it lies on a gold line: a spur, a break or a fork the gold does not have), `off-gold` (traced where the gold has nothing). */
export type ExcessReason = 'off' | 'on-gold' | 'off-gold';

export interface DiademExplanation {
  misses: Array<{ node: number; kind: 'tip' | 'fork'; weight: number; reason: MissReason }>;
  excess: Array<{ node: number; kind: 'tip' | 'fork'; reason: ExcessReason }>;
}

const childCounts = (t: DiademTree) => {
  const k = new Int32Array(t.parent.length);
  for (let i = 0; i < t.parent.length; i++) if (t.parent[i] >= 0) k[t.parent[i]]++;
  return k;
};

/** Terminations below each node (1 for a tip): DIADEM's weight of a key node. Parents precede children in `order`. */
function terminalDegree(t: DiademTree, kids: Int32Array): Int32Array {
  const w = new Int32Array(t.parent.length);
  const order: number[] = [];
  const children: number[][] = Array.from({ length: t.parent.length }, () => []);
  for (let i = 0; i < t.parent.length; i++) if (t.parent[i] >= 0) children[t.parent[i]].push(i);
  for (let i = 0; i < t.parent.length; i++) if (t.parent[i] < 0) order.push(i);
  for (let q = 0; q < order.length; q++) order.push(...children[order[q]]);
  for (let q = order.length - 1; q >= 0; q--) {
    const i = order[q];
    if (kids[i] === 0) w[i] += 1;
    if (t.parent[i] >= 0) w[t.parent[i]] += w[i];
  }
  return w;
}

/** Distance from (x, y) to the tree's segments, skipping those with an end in `skip`. */
function distanceToTree(t: DiademTree, x: number, y: number, skip?: ReadonlySet<number>): number {
  let best = Infinity;
  for (let i = 0; i < t.parent.length; i++) {
    const p = t.parent[i];
    if (p < 0 || skip?.has(i) || skip?.has(p)) continue;
    const ax = t.x[p];
    const ay = t.y[p];
    const ex = t.x[i] - ax;
    const ey = t.y[i] - ay;
    const l2 = ex * ex + ey * ey;
    const s = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / l2)) : 0;
    best = Math.min(best, Math.hypot(x - ax - s * ex, y - ay - s * ey));
  }
  return best;
}

/** The nodes of a tip's own branch within `px` of path length back from it (itself included). */
function ownStretch(t: DiademTree, tip: number, px: number): Set<number> {
  const out = new Set([tip]);
  for (let j = tip, run = 0; t.parent[j] >= 0 && run < px; j = t.parent[j]) {
    run += Math.hypot(t.x[j] - t.x[t.parent[j]], t.y[j] - t.y[t.parent[j]]);
    out.add(t.parent[j]);
  }
  return out;
}

/**
 * Sorts what DIADEM did not score (`result`, of `test` against `gold` at `xyThreshold`) by cause, to tell placement
 * from topology on a gold standard. In the trees' units (px for the bench).
 */
export function explainDiadem(gold: DiademTree, test: DiademTree, result: DiademResult, xyThreshold: number, nearPx = 3, linePx = 2): DiademExplanation {
  const gk = childCounts(gold);
  const tk = childCounts(test);
  const weight = terminalDegree(gold, gk);
  const kind = (k: Int32Array, i: number): 'tip' | 'fork' | null => (k[i] === 0 ? 'tip' : k[i] >= 2 ? 'fork' : null);
  const nearestOfKind = (from: DiademTree, i: number, to: DiademTree, toKids: Int32Array, want: 'tip' | 'fork') => {
    let best = Infinity;
    for (let j = 0; j < to.parent.length; j++) if (to.parent[j] >= 0 && kind(toKids, j) === want) best = Math.min(best, Math.hypot(to.x[j] - from.x[i], to.y[j] - from.y[i]));
    return best;
  };
  const misses = result.misses.flatMap((i) => {
    const k = kind(gk, i);
    if (!k) return [];
    const d = nearestOfKind(gold, i, test, tk, k);
    let reason: MissReason;
    if (d <= xyThreshold) reason = 'unconfirmed';
    else if (d <= nearPx) reason = 'off';
    else if (k === 'tip' && distanceToTree(gold, gold.x[i], gold.y[i], ownStretch(gold, i, 5 * nearPx)) <= nearPx) reason = 'touching';
    else if (distanceToTree(test, gold.x[i], gold.y[i]) > linePx) reason = 'untraced';
    else reason = 'runs-on';
    return [{ node: i, kind: k, weight: weight[i], reason }];
  });
  const excess = result.excess.flatMap((j) => {
    const k = kind(tk, j);
    if (!k) return [];
    const reason: ExcessReason = nearestOfKind(test, j, gold, gk, k) <= nearPx ? 'off' : distanceToTree(gold, test.x[j], test.y[j]) <= linePx ? 'on-gold' : 'off-gold';
    return [{ node: j, kind: k, reason }];
  });
  return { misses, excess };
}

/** One line per side: missed gold nodes by reason (count, weight), excess traced nodes by reason. */
export function formatExplanation(e: DiademExplanation): string {
  const missed = new Map<string, { n: number; w: number }>();
  for (const m of e.misses) {
    const key = `${m.kind} ${m.reason}`;
    const v = missed.get(key) ?? { n: 0, w: 0 };
    missed.set(key, { n: v.n + 1, w: v.w + m.weight });
  }
  const extra = new Map<string, number>();
  for (const x of e.excess) extra.set(`${x.kind} ${x.reason}`, (extra.get(`${x.kind} ${x.reason}`) ?? 0) + 1);
  const list = <T>(m: Map<string, T>, f: (v: T) => string) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${f(v)}`).join(', ') || 'none';
  return `missed gold nodes (count, weight): ${list(missed, (v) => `${v.n} (${v.w})`)}; excess traced nodes: ${list(extra, (v) => String(v))}`;
}

/** How many gold key nodes of one kind have a traced node of their kind within each placement distance. */
export interface PlacementCounts {
  /** Gold nodes of the kind. */
  total: number;
  /** Per distance of PLACEMENT_PX, how many of them have one that near. */
  within: number[];
}

/** A gold tree and the traced tree matched to it (nearestTree), null where nothing was traced. */
export interface TreePair {
  gold: DiademTree;
  traced: DiademTree | null;
}

/** The distances placement is counted at, px: DIADEM's default threshold and a 2D tracer's tolerance. */
export const PLACEMENT_PX = [1.2, 3];

/**
 * Placement of key nodes, pooled over gold and traced tree pairs: per gold branch point and tip, whether a traced node
 * of its kind lies within each of PLACEMENT_PX (keyPointErrors). Unlike DIADEM it does not follow paths, so moving
 * one branch point changes one count: a score of where the trace puts its nodes, not of its topology. A gold tree
 * with nothing traced counts all its nodes as not placed.
 */
export function placement(pairs: readonly TreePair[]): { forks: PlacementCounts; tips: PlacementCounts } {
  const forks: PlacementCounts = { total: 0, within: PLACEMENT_PX.map(() => 0) };
  const tips: PlacementCounts = { total: 0, within: PLACEMENT_PX.map(() => 0) };
  const add = (into: PlacementCounts, errors: number[]) => {
    into.total += errors.length;
    PLACEMENT_PX.forEach((px, k) => (into.within[k] += errors.filter((e) => e <= px).length));
  };
  for (const { gold, traced } of pairs) {
    const e = keyPointErrors(gold, traced ?? { x: [], y: [], z: [], parent: [] });
    add(forks, e.forks);
    add(tips, e.tips);
  }
  return { forks, tips };
}

/** "branch points 41 % / 72 % of 120, tips …": the shares within each of PLACEMENT_PX. */
export function formatPlacement(p: { forks: PlacementCounts; tips: PlacementCounts }): string {
  const one = (name: string, c: PlacementCounts) => `${name} ${c.total === 0 ? '–' : c.within.map((w) => `${Math.round((100 * w) / c.total)} %`).join(' / ')} of ${c.total}`;
  return `gold key nodes with a traced one of their kind within ${PLACEMENT_PX.join(' / ')} px: ${one('branch points', p.forks)}, ${one('tips', p.tips)}`;
}
