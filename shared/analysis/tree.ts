import type { Calibration } from '../image/types';
import type { Branch, BranchLabel, Neuron } from '../model/document';
import { somaCenter } from '../model/document';
import { plural } from '../text/plural';

/** Physical size of one image px along each axis, and the unit results are reported in. */
export interface MeasureScale {
  /** Units per px along x. */
  x: number;
  /** Units per px along y. */
  y: number;
  /** Units per px along z (z is stored in px / slice units). */
  z: number;
  /** 'µm' when the document is calibrated; 'px' otherwise (every length then stays in image px). */
  unit: 'µm' | 'px';
}

/**
 * z in µm = z × voxelDepth when the calibration knows the slice spacing, else z × pixelWidth (isotropic
 * assumption, which is also what SWC import writes back). Uncalibrated documents are measured in px.
 */
export function scaleOf(calibration: Calibration | null): MeasureScale {
  if (!calibration) return { x: 1, y: 1, z: 1, unit: 'px' };
  return { x: calibration.pixelWidth, y: calibration.pixelHeight, z: calibration.voxelDepth ?? calibration.pixelWidth, unit: 'µm' };
}

/**
 * A neuron flattened into one rooted node tree in measurement units. Index 0 is the root; every other node's parent
 * index is smaller than its own, so single forward/backward passes compute path sums and subtree quantities.
 */
export interface NodeTree {
  /** Number of nodes including the root (0 when the neuron has nothing measurable). */
  count: number;
  /** Positions in measurement units (µm or px). */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** Parent index; -1 for the root. */
  parent: Int32Array;
  /** Index into neuron.branches of the branch a node belongs to; -1 for a soma root. */
  branchIndex: Int32Array;
  /** True when the root is the soma centre: edges leaving it are stems, not dendrite. */
  rootIsSoma: boolean;
  /** True when some node has a z different from the root's (Sholl shells are spheres then). */
  is3D: boolean;
  /** Integrity notes for the user (excluded branches and why). */
  warnings: string[];
}

/**
 * Builds the node tree. Root: the soma centre, or, for a neuron without soma, the first node of its first detached
 * branch (as SNT roots a soma-less tree at its first node). A branch whose label fails `labels` is dropped with every
 * branch attached to it (a subtree cannot hang in space); branches not reachable from the root (detached, parent node
 * missing, attachment cycles) are excluded with a warning.
 */
export function buildNodeTree(neuron: Neuron, scale: MeasureScale, labels?: readonly BranchLabel[]): NodeTree {
  const warnings: string[] = [];
  const keep = labels ? new Set<string>(labels) : null;
  const branches = neuron.branches;
  const byNode = new Map<number, number[]>();
  const somaChildren: number[] = [];
  const detached: number[] = [];
  let total = 1;
  let empty = 0;
  for (let b = 0; b < branches.length; b++) {
    const br = branches[b];
    if (br.nodes.length === 0) {
      empty++;
      continue;
    }
    total += br.nodes.length;
    const p = br.parent;
    if (p.kind === 'soma') somaChildren.push(b);
    else if (p.kind === 'none') detached.push(b);
    else {
      const list = byNode.get(p.nodeId);
      if (list) list.push(b);
      else byNode.set(p.nodeId, [b]);
    }
  }
  if (empty > 0) warnings.push(`${plural(empty, 'path')} without nodes ignored.`);

  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const z = new Float64Array(total);
  const parent = new Int32Array(total).fill(-1);
  const branchIndex = new Int32Array(total).fill(-1);
  const visited = new Uint8Array(branches.length);
  let n = 0;
  let filtered = 0;
  let rootIsSoma = false;
  const queue: Array<{ b: number; parentIndex: number; skip: boolean }> = [];

  if (neuron.soma) {
    rootIsSoma = true;
    const c = somaCenter(neuron.soma);
    x[0] = c.x * scale.x;
    y[0] = c.y * scale.y;
    z[0] = c.z * scale.z;
    n = 1;
    for (const b of somaChildren) queue.push({ b, parentIndex: 0, skip: false });
    if (detached.length > 0) warnings.push(`${plural(detached.length, 'detached path')} (not attached to the soma or another path) excluded.`);
  } else {
    const rootBranch = detached[0];
    if (rootBranch === undefined) {
      if (somaChildren.length > 0) warnings.push(`${plural(somaChildren.length, 'path')} start at the soma but the neuron has no soma; excluded.`);
    } else {
      queue.push({ b: rootBranch, parentIndex: -1, skip: false });
      if (detached.length > 1) warnings.push(`Neuron has no soma: measured from the first node of its first detached path; ${plural(detached.length - 1, 'other detached path')} excluded.`);
      if (somaChildren.length > 0) warnings.push(`${plural(somaChildren.length, 'path')} start at the soma but the neuron has no soma; excluded.`);
    }
  }

  // Breadth-first over branches; a filtered branch is still walked (skip=true) so its subtree counts as filtered.
  const skipNodes = new Set<number>();
  for (let q = 0; q < queue.length; q++) {
    const { b, parentIndex, skip: inheritedSkip } = queue[q];
    if (visited[b]) continue;
    visited[b] = 1;
    const br: Branch = branches[b];
    const skip = inheritedSkip || (keep !== null && !keep.has(br.label));
    if (skip) filtered++;
    let prev = parentIndex;
    for (const node of br.nodes) {
      if (skip) skipNodes.add(node.id);
      else {
        const i = n++;
        x[i] = node.x * scale.x;
        y[i] = node.y * scale.y;
        z[i] = node.z * scale.z;
        parent[i] = prev;
        branchIndex[i] = b;
        prev = i;
        const kids = byNode.get(node.id);
        if (kids) for (const k of kids) queue.push({ b: k, parentIndex: i, skip: false });
        continue;
      }
      const kids = byNode.get(node.id);
      if (kids) for (const k of kids) queue.push({ b: k, parentIndex: -1, skip: true });
    }
  }
  if (filtered > 0) warnings.push(`${plural(filtered, 'path')} excluded by the label filter (with the paths attached to them).`);
  let unreachable = 0;
  for (let b = 0; b < branches.length; b++) if (!visited[b] && branches[b].nodes.length > 0 && branches[b].parent.kind === 'node') unreachable++;
  if (unreachable > 0) warnings.push(`${plural(unreachable, 'path')} attached to a node that is missing or itself not connected to the soma; excluded.`);

  let is3D = false;
  for (let i = 1; i < n; i++) {
    if (z[i] !== z[0]) {
      is3D = true;
      break;
    }
  }
  return {
    count: n,
    x: x.subarray(0, n),
    y: y.subarray(0, n),
    z: z.subarray(0, n),
    parent: parent.subarray(0, n),
    branchIndex: branchIndex.subarray(0, n),
    rootIsSoma,
    is3D,
    warnings,
  };
}
