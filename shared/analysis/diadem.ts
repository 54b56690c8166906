/**
 * The DIADEM metric (Gillette, Brown & Ascoli 2011, "The DIADEM metric: comparing multiple reconstructions of the same
 * neuron", Neuroinformatics 9:233–245), written from the paper's description of the scoring steps:
 *
 * 1. Both trees are reduced to their key nodes: the root, bifurcations (two or more children) and terminations; each
 *    key node keeps its path length to its key parent. Continuation nodes carry no score.
 * 2. Every gold key node except the root (the roots are co-registered and match each other) is scored, parents
 *    before children. Its candidates are the unused test key nodes within `xyThreshold` in XY and `zThreshold` in Z.
 *    A candidate is confirmed when, walking up the gold tree to the nearest matched ancestor whose test counterpart is
 *    an ancestor of the candidate (a "distant match" when that is not the direct parent), the gold and test path
 *    lengths between the two agree within `pathErrorThreshold` of the gold length, plus the displacement of the two
 *    matched ends (a matched end may sit up to the XY threshold off, which lengthens or shortens the path by at most as
 *    much; the reference program corrects the same thing by projecting the offsets on the path's trajectory).
 *    Among several confirmed candidates, one with a test descendant near a gold child of the target is preferred
 *    (connectivity towards the leaves), then the nearest; a test node is used at most once.
 * 3. A gold bifurcation left unmatched is a continuation, and still scores, when the test tree runs through it: a
 *    matched ancestor and a matched descendant of it are joined in the test tree by a path of the right length.
 * 4. Each gold key node weighs its terminal degree (the number of terminations in its subtree; 1 for a termination),
 *    so a connection counts by the size of the subtree it leads to. Excess test key nodes (unmatched, no gold key node
 *    within the thresholds) add their weight to the denominator: 1 for a termination, and for a bifurcation the excess
 *    terminations below it reached only through excess nodes.
 *
 * Score = matched weight / (gold weight + excess weight), 0–1.
 */

/** A rooted tree: node i's parent is parent[i] (negative for the root, which is the first such node). */
export interface DiademTree {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  parent: ArrayLike<number>;
}

export interface DiademOptions {
  /** Largest XY distance of a match, in the trees' units (DIADEM's default 1.2). */
  xyThreshold?: number;
  /** Largest Z distance of a match; default Infinity (planar tracings). */
  zThreshold?: number;
  /** Largest relative difference of matched path lengths (DIADEM's default 0.05). */
  pathErrorThreshold?: number;
  /** Count excess test nodes against the score (DIADEM's default true). */
  countExcessNodes?: boolean;
}

export interface DiademResult {
  /** Matched weight / (gold weight + excess weight). */
  score: number;
  matchedWeight: number;
  goldWeight: number;
  excessWeight: number;
  /** Gold key nodes scored (root excluded). */
  goldNodes: number;
  /** [gold node, test node] index pairs (indices of the input trees), root pair first. */
  matches: Array<[number, number]>;
  /** Gold nodes (input indices) neither matched nor continuations. */
  misses: number[];
  /** Unmatched gold bifurcations the test tree runs through. */
  continuations: number[];
  /** Excess test nodes (input indices). */
  excess: number[];
}

/** The key-node tree of a DiademTree. Arrays are indexed by key index; key 0 is the root. */
interface KeyTree {
  /** Input index of each key node. */
  node: number[];
  x: number[];
  y: number[];
  z: number[];
  parent: number[];
  children: number[][];
  /** Path length from the root. */
  dist: number[];
  /** Terminations in the subtree. */
  degree: number[];
  /** Euler-tour entry/exit times: a is an ancestor of (or equal to) b when tin[a] ≤ tin[b] and tout[b] ≤ tout[a]. */
  tin: number[];
  tout: number[];
}

function keyTree(t: DiademTree): KeyTree {
  const n = t.parent.length;
  const root = Array.from({ length: n }, (_, i) => i).find((i) => t.parent[i] < 0);
  const k: KeyTree = { node: [], x: [], y: [], z: [], parent: [], children: [], dist: [], degree: [], tin: [], tout: [] };
  if (root === undefined) return k;
  const kids: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) if (t.parent[i] >= 0) kids[t.parent[i]].push(i);
  const add = (i: number, parent: number, dist: number) => {
    k.node.push(i);
    k.x.push(t.x[i]);
    k.y.push(t.y[i]);
    k.z.push(t.z[i]);
    k.parent.push(parent);
    k.children.push([]);
    k.dist.push(dist);
    if (parent >= 0) k.children[parent].push(k.node.length - 1);
    return k.node.length - 1;
  };
  add(root, -1, 0);
  // Walk down each chain of continuation nodes to the next key node.
  const stack: Array<[number, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [i, ki] = stack.pop() as [number, number];
    for (const c0 of kids[i]) {
      let c = c0;
      let d = k.dist[ki] + Math.hypot(t.x[c] - t.x[i], t.y[c] - t.y[i], t.z[c] - t.z[i]);
      while (kids[c].length === 1) {
        const next = kids[c][0];
        d += Math.hypot(t.x[next] - t.x[c], t.y[next] - t.y[c], t.z[next] - t.z[c]);
        c = next;
      }
      stack.push([c, add(c, ki, d)]);
    }
  }
  const m = k.node.length;
  k.degree = new Array<number>(m).fill(0);
  k.tin = new Array<number>(m).fill(0);
  k.tout = new Array<number>(m).fill(0);
  let time = 0;
  const walk: Array<[number, boolean]> = [[0, false]];
  while (walk.length > 0) {
    const [v, done] = walk.pop() as [number, boolean];
    if (done) {
      k.tout[v] = time++;
      k.degree[v] = k.children[v].length === 0 ? 1 : k.children[v].reduce((s, c) => s + k.degree[c], 0);
      continue;
    }
    k.tin[v] = time++;
    walk.push([v, true]);
    for (const c of k.children[v]) walk.push([c, false]);
  }
  return k;
}

const byIndex = (a: number, b: number) => a - b;
const isAncestor = (k: KeyTree, a: number, b: number) => k.tin[a] <= k.tin[b] && k.tout[b] <= k.tout[a];

export function diademMetric(gold: DiademTree, test: DiademTree, options: DiademOptions = {}): DiademResult {
  const xyT = options.xyThreshold ?? 1.2;
  const zT = options.zThreshold ?? Infinity;
  const pathT = options.pathErrorThreshold ?? 0.05;
  const g = keyTree(gold);
  const t = keyTree(test);
  const near = (a: KeyTree, i: number, b: KeyTree, j: number) => Math.hypot(a.x[i] - b.x[j], a.y[i] - b.y[j]) <= xyT && Math.abs(a.z[i] - b.z[j]) <= zT;
  const offset = (i: number, j: number) => Math.hypot(g.x[i] - t.x[j], g.y[i] - t.y[j], g.z[i] - t.z[j]);
  const gm = new Array<number>(g.node.length).fill(-1);
  const tUsed = new Uint8Array(t.node.length);
  if (g.node.length > 0 && t.node.length > 0) {
    gm[0] = 0;
    tUsed[0] = 1;
  }
  /** True when gold a (matched) → gold d and test gm[a] → test u have path lengths that agree. */
  const pathsAgree = (a: number, d: number, u: number) => {
    const lg = g.dist[d] - g.dist[a];
    const lt = t.dist[u] - t.dist[gm[a]];
    return Math.abs(lt - lg) <= pathT * lg + offset(d, u) + offset(a, gm[a]);
  };
  /** The nearest matched gold ancestor of gold node i whose match is a test ancestor of test node u; -1 if none. */
  const anchor = (i: number, u: number) => {
    for (let a = g.parent[i]; a >= 0; a = g.parent[a]) if (gm[a] >= 0 && isAncestor(t, gm[a], u)) return a;
    return -1;
  };
  const confirmed = (i: number, u: number) => {
    const a = anchor(i, u);
    return a >= 0 && pathsAgree(a, i, u);
  };
  // Parents before children: breadth-first over the gold key tree.
  const order: number[] = [0];
  for (let q = 0; q < order.length; q++) order.push(...g.children[order[q]]);
  let goldWeight = 0;
  let matchedWeight = 0;
  for (const i of order.slice(1)) {
    goldWeight += g.degree[i];
    const cands: number[] = [];
    for (let u = 1; u < t.node.length; u++) if (!tUsed[u] && near(g, i, t, u) && confirmed(i, u)) cands.push(u);
    if (cands.length === 0) continue;
    const leadsOn = (u: number) => g.children[i].some((c) => t.node.some((_, v) => v !== u && isAncestor(t, u, v) && near(g, c, t, v)));
    const preferred = cands.filter(leadsOn);
    const pool = preferred.length > 0 ? preferred : cands;
    const best = pool.reduce((b, u) => (offset(i, u) < offset(i, b) ? u : b));
    gm[i] = best;
    tUsed[best] = 1;
    matchedWeight += g.degree[i];
  }
  const continuations: number[] = [];
  const misses: number[] = [];
  for (const i of order.slice(1)) {
    if (gm[i] >= 0) continue;
    if (g.children[i].length > 0 && runsThrough(i)) {
      continuations.push(i);
      matchedWeight += g.degree[i];
    } else misses.push(i);
  }
  function runsThrough(i: number): boolean {
    // First matched gold descendants along each path below i.
    const below: number[] = [];
    const stack = [...g.children[i]];
    while (stack.length > 0) {
      const d = stack.pop() as number;
      if (gm[d] >= 0) below.push(d);
      else stack.push(...g.children[d]);
    }
    return below.some((d) => {
      const a = anchor(i, gm[d]);
      return a >= 0 && pathsAgree(a, d, gm[d]);
    });
  }
  const excess: number[] = [];
  let excessWeight = 0;
  if (options.countExcessNodes ?? true) {
    const isExcess = t.node.map((_, u) => u > 0 && !tUsed[u] && !g.node.some((_, i) => near(g, i, t, u)));
    // Excess terminations reached from each node through excess nodes only (children before parents).
    const tOrder: number[] = [0];
    for (let q = 0; q < tOrder.length; q++) tOrder.push(...t.children[tOrder[q]]);
    const reach = new Array<number>(t.node.length).fill(0);
    for (let q = tOrder.length - 1; q > 0; q--) {
      const u = tOrder[q];
      if (!isExcess[u]) continue;
      const w = t.children[u].length === 0 ? 1 : t.children[u].reduce((s, c) => s + reach[c], 0);
      reach[u] = w;
      excess.push(t.node[u]);
      excessWeight += w;
    }
  }
  const matches: Array<[number, number]> = [];
  for (const i of order) if (gm[i] >= 0) matches.push([g.node[i], t.node[gm[i]]]);
  const denominator = goldWeight + excessWeight;
  return {
    score: denominator > 0 ? matchedWeight / denominator : 1,
    matchedWeight,
    goldWeight,
    excessWeight,
    goldNodes: order.length - 1,
    matches,
    misses: misses.map((i) => g.node[i]).sort(byIndex),
    continuations: continuations.map((i) => g.node[i]).sort(byIndex),
    excess: excess.sort(byIndex),
  };
}
