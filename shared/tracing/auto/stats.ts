import type { AutoNeuron, AutoNode } from './auto-neuron';
import { scaleOf } from '../../analysis/tree';
import type { Calibration } from '../../image/types';

/** Counts of an automatic trace, as the CLI reports them and as SNT's TreeStatistics defines them. */
export interface AutoNeuronStats {
  /** Stored nodes (soma not counted). */
  nodes: number;
  /** Edges of the tree reduced to its root, branch points and tips (SNT "branches"). */
  branches: number;
  /** Nodes with two or more children (the soma is not a branch point). */
  branchPoints: number;
  /** Nodes without children. */
  tips: number;
  /** Neurite length in px: every branch from its parent node (soma branches from their first node; stems excluded). */
  lengthPx: number;
  /** The same length in µm, with the nodes' depths, as `ramify measure` reads it; null on an image without a pixel size. */
  lengthUm: number | null;
}

/** `calibration`: the image's microscope calibration (microscopeCalibration), for lengthUm. */
export function autoNeuronStats(neuron: AutoNeuron, calibration: Calibration | null = null): AutoNeuronStats {
  const voxel = calibration ? scaleOf(calibration) : null;
  const childCount: number[][] = neuron.branches.map((b) => new Array<number>(b.nodes.length).fill(0));
  let rootChildren = 0;
  let length = 0;
  let lengthUm = 0;
  let nodes = 0;
  const add = (a: AutoNode, b: AutoNode) => {
    length += Math.hypot(b.x - a.x, b.y - a.y);
    if (voxel) lengthUm += Math.hypot((b.x - a.x) * voxel.x, (b.y - a.y) * voxel.y, ((b.z ?? 0) - (a.z ?? 0)) * voxel.z);
  };
  neuron.branches.forEach((b, i) => {
    nodes += b.nodes.length;
    for (let k = 0; k < b.nodes.length - 1; k++) childCount[i][k]++;
    if (b.parent >= 0) {
      childCount[b.parent][b.parentNode]++;
      add(neuron.branches[b.parent].nodes[b.parentNode], b.nodes[0]);
    } else rootChildren++;
    for (let k = 1; k < b.nodes.length; k++) add(b.nodes[k - 1], b.nodes[k]);
  });
  let branchPoints = 0;
  let tips = 0;
  let edges = neuron.fibre ? 0 : rootChildren;
  childCount.forEach((counts, i) => {
    counts.forEach((c, k) => {
      // A fibre's root is the first node of its first branch: it is neither a tip nor a branch point.
      const isRoot = neuron.fibre && i === 0 && k === 0;
      if (isRoot) edges += c;
      else if (c === 0) tips++;
      else if (c >= 2) {
        branchPoints++;
        edges += c;
      }
    });
  });
  return { nodes, branches: edges, branchPoints, tips, lengthPx: length, lengthUm: voxel ? lengthUm : null };
}
