import { rank, tieSum } from './descriptive';
import { pchisqUpper, pnormUpper } from './distributions';

export interface KruskalResult {
  H: number;
  df: number;
  p: number;
}

/** Mean rank per group plus what the rank tests need, from one ranking of all values. */
function rankGroups(groups: ArrayLike<number>[]) {
  const all = groups.flatMap((g) => Array.from(g));
  const { ranks, ties } = rank(all);
  const meanRanks: number[] = [];
  let offset = 0;
  for (const g of groups) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += ranks[offset + i];
    meanRanks.push(s / g.length);
    offset += g.length;
  }
  return { N: all.length, meanRanks, tiesTerm: tieSum(ties) };
}

/** Kruskal–Wallis rank-sum test with the ties correction (R: `kruskal.test`). */
export function kruskalWallis(groups: ArrayLike<number>[]): KruskalResult {
  const { N, meanRanks, tiesTerm } = rankGroups(groups);
  let s = 0;
  groups.forEach((g, i) => (s += g.length * meanRanks[i] * meanRanks[i]));
  const H = ((12 / (N * (N + 1))) * s - 3 * (N + 1)) / (1 - tiesTerm / (N * N * N - N));
  const df = groups.length - 1;
  return { H, df, p: pchisqUpper(H, df) };
}

/** Holm's step-down adjustment (R: `p.adjust(p, "holm")`), in the input order. */
export function holm(p: number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p[idx]));
    out[idx] = running;
  });
  return out;
}

export interface DunnComparison {
  /** Indices into the groups: `a` is compared against `b` (the control when there is one). */
  a: number;
  b: number;
  z: number;
  p: number;
  p_adjusted: number;
}

/**
 * Dunn's test on the Kruskal–Wallis mean ranks, ties-corrected, two-sided, Holm-adjusted over the comparisons made:
 * every group against `control`, or all pairs when there is no control (as FSA::dunnTest with method "holm").
 */
export function dunnHolm(groups: ArrayLike<number>[], control?: number): DunnComparison[] {
  const { N, meanRanks, tiesTerm } = rankGroups(groups);
  const s2 = (N * (N + 1)) / 12 - tiesTerm / (12 * (N - 1));
  const pairs: [number, number][] = [];
  if (control !== undefined) groups.forEach((_, i) => i !== control && pairs.push([i, control]));
  else for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) pairs.push([i, j]);
  const raw = pairs.map(([a, b]) => {
    const z = (meanRanks[a] - meanRanks[b]) / Math.sqrt(s2 * (1 / groups[a].length + 1 / groups[b].length));
    return { a, b, z, p: 2 * pnormUpper(Math.abs(z)) };
  });
  const adj = holm(raw.map((r) => r.p));
  return raw.map((r, i) => ({ ...r, p_adjusted: adj[i] }));
}
