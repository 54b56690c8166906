import type { BranchId, BranchLabel, Neuron } from '../model/document';
import type { MeasureScale, NodeTree } from './tree';
import { oneOrMany, plural } from '../text/plural';

/** Whole-neuron counts and lengths; lengths in `unit` (µm, or px for uncalibrated documents). */
export interface Morphometrics {
  /** Unit of every length (and unit² of areas). */
  unit: 'µm' | 'px';
  /** Topological branches leaving the root (soma), P. */
  primaryBranches: number;
  /** Non-root nodes with ≥ 2 children, B. */
  branchPoints: number;
  /** Non-root nodes with no child, T. */
  tips: number;
  /** Topological branches: root→branch point/tip and branch point→branch point/tip. */
  branches: number;
  /** Sum of all edge lengths except stems (3D). */
  totalLength: number;
  /** Sum of soma-centre → first-node distances of primary branches (0 for soma-less neurons). */
  stemLength: number;
  /** totalLength / branches; null when there are no branches. */
  meanBranchLength: number | null;
  /** Sum of primary branch lengths (stems excluded). */
  primaryBranchLengthSum: number;
  /** Mean primary branch length; null without primaries. */
  primaryBranchLengthMean: number | null;
  /** Sum of lengths of branches that end in a tip. */
  terminalBranchLengthSum: number;
  /** Mean terminal branch length; null without tips. */
  terminalBranchLengthMean: number | null;
  /** Highest centrifugal order (primary = 1, +1 after every branch point); 0 without branches. */
  maxBranchOrder: number;
  /** Mean centrifugal order over branches; null without branches. */
  meanBranchOrder: number | null;
  /** Horton–Strahler number: the highest over the primary branches (the soma is not a branching event). */
  strahlerNumber: number;
  /** Longest root → tip path, stem included; 0 without tips. */
  longestPath: number;
  /** Polygon soma area (unit²); null for point or missing somata. */
  somaArea: number | null;
  /** Polygon soma perimeter; null for point or missing somata. */
  somaPerimeter: number | null;
  /** Nodes with ≥ 3 children (T = P + B only when this is 0). */
  multifurcations: number;
}

/** One topological branch of a neuron. */
export interface BranchMeasurement {
  /** 1-based index within the neuron, in root-to-tip order (parents before children). */
  id: number;
  /** Neuron the branch belongs to. */
  neuronId: number;
  /** Parent topological branch id; null for primary branches. */
  parentId: number | null;
  /** Traced path (document branch) holding the branch's first node. */
  pathId: BranchId;
  /** Label of that path. */
  label: BranchLabel;
  /** Centrifugal order, primary = 1. */
  order: number;
  /** Strahler order of the branch (tips' branches = 1). */
  strahler: number;
  /** Path length, stem excluded. */
  length: number;
  /** What the branch ends in. */
  end: 'tip' | 'branch-point';
}

export interface MorphometricsResult {
  metrics: Morphometrics;
  branches: BranchMeasurement[];
  warnings: string[];
}

/** Shoelace area and perimeter of a polygon soma in measurement units. */
function somaShape(neuron: Neuron, scale: MeasureScale): { area: number | null; perimeter: number | null } {
  const soma = neuron.soma;
  if (!soma || soma.kind !== 'polygon' || soma.points.length < 3) return { area: null, perimeter: null };
  const p = soma.points;
  let twice = 0;
  let perimeter = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i];
    const b = p[(i + 1) % p.length];
    const ax = a.x * scale.x;
    const ay = a.y * scale.y;
    const bx = b.x * scale.x;
    const by = b.y * scale.y;
    twice += ax * by - bx * ay;
    perimeter += Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2);
  }
  return { area: Math.abs(twice) / 2, perimeter };
}

/** Morphometrics of one neuron from its node tree (see docs/data-dictionary.md for every definition). */
export function computeMorphometrics(neuron: Neuron, tree: NodeTree, scale: MeasureScale): MorphometricsResult {
  const n = tree.count;
  const { x, y, z, parent } = tree;
  const warnings = [...tree.warnings];
  const childCount = new Int32Array(n);
  for (let i = 1; i < n; i++) childCount[parent[i]]++;

  const seg = new Int32Array(n).fill(-1);
  const segParent: number[] = [];
  const segOrder: number[] = [];
  const segLength: number[] = [];
  const segEnd: number[] = [];
  const segFirst: number[] = [];
  const pathDist = new Float64Array(n);
  let total = 0;
  let stem = 0;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    const dx = x[i] - x[p];
    const dy = y[i] - y[p];
    const dz = z[i] - z[p];
    const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    pathDist[i] = pathDist[p] + len;
    let s: number;
    if (p === 0 || childCount[p] >= 2) {
      s = segParent.length;
      segParent.push(p === 0 ? -1 : seg[p]);
      segOrder.push(p === 0 ? 1 : segOrder[seg[p]] + 1);
      segLength.push(0);
      segEnd.push(i);
      segFirst.push(i);
    } else s = seg[p];
    seg[i] = s;
    segEnd[s] = i;
    if (p === 0 && tree.rootIsSoma) stem += len;
    else {
      segLength[s] += len;
      total += len;
    }
  }

  let branchPoints = 0;
  let tips = 0;
  let multifurcations = 0;
  let longestPath = 0;
  for (let i = 1; i < n; i++) {
    const c = childCount[i];
    if (c === 0) {
      tips++;
      if (pathDist[i] > longestPath) longestPath = pathDist[i];
    } else if (c >= 2) {
      branchPoints++;
      if (c >= 3) multifurcations++;
    }
  }
  const primaryBranches = n > 0 ? childCount[0] : 0;

  // Strahler: children are created after their parents, so one backward pass sees every child before its parent.
  const nSeg = segParent.length;
  const strahler = new Int32Array(nSeg);
  const childMax = new Int32Array(nSeg);
  const childMaxCount = new Int32Array(nSeg);
  for (let s = nSeg - 1; s >= 0; s--) {
    const st = childMax[s] === 0 ? 1 : childMaxCount[s] >= 2 ? childMax[s] + 1 : childMax[s];
    strahler[s] = st;
    const p = segParent[s];
    if (p >= 0) {
      if (st > childMax[p]) {
        childMax[p] = st;
        childMaxCount[p] = 1;
      } else if (st === childMax[p]) childMaxCount[p]++;
    }
  }

  let primarySum = 0;
  let terminalSum = 0;
  let terminalCount = 0;
  let orderSum = 0;
  let maxOrder = 0;
  let strahlerNumber = 0;
  const branches: BranchMeasurement[] = new Array(nSeg);
  for (let s = 0; s < nSeg; s++) {
    const isTip = childCount[segEnd[s]] === 0;
    if (segParent[s] < 0) primarySum += segLength[s];
    if (isTip) {
      terminalSum += segLength[s];
      terminalCount++;
    }
    orderSum += segOrder[s];
    if (segOrder[s] > maxOrder) maxOrder = segOrder[s];
    if (strahler[s] > strahlerNumber) strahlerNumber = strahler[s];
    const docBranch = neuron.branches[tree.branchIndex[segFirst[s]]];
    branches[s] = {
      id: s + 1,
      neuronId: neuron.id,
      parentId: segParent[s] < 0 ? null : segParent[s] + 1,
      pathId: docBranch.id,
      label: docBranch.label,
      order: segOrder[s],
      strahler: strahler[s],
      length: segLength[s],
      end: isTip ? 'tip' : 'branch-point',
    };
  }

  if (multifurcations > 0) {
    warnings.push(
      `tips (${tips}) ≠ primary branches (${primaryBranches}) + branch points (${branchPoints}): ${plural(multifurcations, 'node')} ${oneOrMany(multifurcations, 'has', 'have')} more than two children, so the tree is not strictly bifurcating.`,
    );
  }
  const shape = somaShape(neuron, scale);
  return {
    metrics: {
      unit: scale.unit,
      primaryBranches,
      branchPoints,
      tips,
      branches: nSeg,
      totalLength: total,
      stemLength: stem,
      meanBranchLength: nSeg > 0 ? total / nSeg : null,
      primaryBranchLengthSum: primarySum,
      primaryBranchLengthMean: primaryBranches > 0 ? primarySum / primaryBranches : null,
      terminalBranchLengthSum: terminalSum,
      terminalBranchLengthMean: terminalCount > 0 ? terminalSum / terminalCount : null,
      maxBranchOrder: maxOrder,
      meanBranchOrder: nSeg > 0 ? orderSum / nSeg : null,
      strahlerNumber,
      longestPath,
      somaArea: shape.area,
      somaPerimeter: shape.perimeter,
      multifurcations,
    },
    branches,
    warnings,
  };
}
