import type { AutoNeuron } from './auto-neuron';

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
}

export function autoNeuronStats(neuron: AutoNeuron): AutoNeuronStats {
  const childCount: number[][] = neuron.branches.map((b) => new Array<number>(b.nodes.length).fill(0));
  let rootChildren = 0;
  let length = 0;
  let nodes = 0;
  neuron.branches.forEach((b, i) => {
    nodes += b.nodes.length;
    for (let k = 0; k < b.nodes.length - 1; k++) childCount[i][k]++;
    if (b.parent >= 0) {
      childCount[b.parent][b.parentNode]++;
      const p = neuron.branches[b.parent].nodes[b.parentNode];
      length += Math.hypot(b.nodes[0].x - p.x, b.nodes[0].y - p.y);
    } else rootChildren++;
    for (let k = 1; k < b.nodes.length; k++) length += Math.hypot(b.nodes[k].x - b.nodes[k - 1].x, b.nodes[k].y - b.nodes[k - 1].y);
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
  return { nodes, branches: edges, branchPoints, tips, lengthPx: length };
}
