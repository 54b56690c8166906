import type { MeasureScale } from './tree';
import type { Branch, Neuron } from '../model/document';
import { branchPolyline, locateInNeuron } from '../model/queries';

/**
 * How the Selection panel names a path: by its place among the neuron's paths (the order they are listed and drawn
 * in), never by its internal id, which counts every path the document ever had and is not in any export.
 */
export interface PathSummary {
  /** 1-based place of the path among its neuron's paths. */
  ordinal: number;
  /** Paths of the neuron. */
  of: number;
  /** Length of the drawn line (from the parent node for a side path; the soma stem is not dendrite), in `scale.unit`. */
  length: number;
  /** Where it starts: the soma, a node of another path (named by that path's ordinal), or nowhere. */
  start: { kind: 'soma' } | { kind: 'path'; ordinal: number } | { kind: 'none' };
}

export function summarisePath(neuron: Neuron, branch: Branch, scale: MeasureScale): PathSummary {
  const line = branchPolyline(neuron, branch);
  let length = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    length += Math.hypot((b.x - a.x) * scale.x, (b.y - a.y) * scale.y, (b.z - a.z) * scale.z);
  }
  return { ordinal: ordinalOf(neuron, branch), of: neuron.branches.length, length, start: startOf(neuron, branch) };
}

function ordinalOf(neuron: Neuron, branch: Branch): number {
  return neuron.branches.findIndex((b) => b.id === branch.id) + 1;
}

function startOf(neuron: Neuron, branch: Branch): PathSummary['start'] {
  if (branch.parent.kind === 'soma') return { kind: 'soma' };
  if (branch.parent.kind === 'none') return { kind: 'none' };
  const host = locateInNeuron(neuron, branch.parent.nodeId);
  return host ? { kind: 'path', ordinal: ordinalOf(neuron, host.branch) } : { kind: 'none' };
}
