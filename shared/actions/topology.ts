import type { AnnotationDocument, Branch, BranchId, BranchParent, Neuron, NodeId } from '../model/document';
import { locateInNeuron, rootBranchId, subtreeBranchIds } from '../model/queries';
import type { BranchEnd } from './actions';

/** Structural-sharing building blocks of the reducer: each returns new objects only along the changed path. */

export function withNeuronAt(doc: AnnotationDocument, index: number, neuron: Neuron, nextId = doc.nextId): AnnotationDocument {
  const neurons = doc.neurons.slice();
  neurons[index] = neuron;
  return { ...doc, neurons, nextId };
}

export function withBranchAt(neuron: Neuron, index: number, branch: Branch): Neuron {
  const branches = neuron.branches.slice();
  branches[index] = branch;
  return { ...neuron, branches };
}

export function sameParent(a: BranchParent, b: BranchParent): boolean {
  if (a.kind === 'node' && b.kind === 'node') return a.nodeId === b.nodeId;
  return a.kind === b.kind;
}

/** Branches that start at any of `from` start at `to` instead; the same array comes back when none did. */
export function reattach(branches: Branch[], from: ReadonlySet<NodeId>, to: BranchParent): Branch[] {
  let changed = false;
  const out = branches.map((b) => {
    if (b.parent.kind !== 'node' || !from.has(b.parent.nodeId)) return b;
    changed = true;
    return { ...b, parent: to };
  });
  return changed ? out : branches;
}

/**
 * Removes nodes [start, end) of branch `branchIndex` (their ids in `removed`), closing the branch over them.
 * Branches on removed nodes move to the removed stretch's tree parent: the node before `start`, or the branch's own
 * parent when start = 0. Removing every node deletes the branch, whose child branches then move to its parent.
 * (A stretch [start, end) with end < length and start = 0 can only be one node in practice: deleteNode.)
 */
export function removeNodeRange(neuron: Neuron, branchIndex: number, start: number, end: number): Neuron {
  const branch = neuron.branches[branchIndex];
  const removed = new Set<NodeId>();
  for (let i = start; i < end; i++) removed.add(branch.nodes[i].id);
  const heir: BranchParent = start > 0 ? { kind: 'node', nodeId: branch.nodes[start - 1].id } : branch.parent;
  const kept = branch.nodes.slice(0, start).concat(branch.nodes.slice(end));
  let branches = neuron.branches.slice();
  if (kept.length === 0) branches.splice(branchIndex, 1);
  else branches[branchIndex] = { ...branch, nodes: kept };
  branches = reattach(branches, removed, heir);
  return { ...neuron, branches };
}

/** Result of re-rooting a detached tree. */
export interface Rerooted {
  /** All branches of the neuron after the change, in place of the old ones (split parts right after their origin). */
  branches: Branch[];
  /** Ids of the branches of the re-rooted tree (including ones created by splits). */
  component: Set<BranchId>;
  /** nextId after the ids the splits took. */
  nextId: number;
}

/**
 * Re-roots the detached tree holding branch `branchId` so that the chosen end of that branch is the tree's first
 * node, now starting at `newParent`. Path branches from it up to the old root are reversed and split where the path
 * enters them (see JoinTip in actions.ts). Undefined when the branch is missing, its tree is not detached (its top
 * branch starts at the soma or a dangling node) or the document is cyclic.
 */
export function rerootDetached(neuron: Neuron, branchId: BranchId, end: BranchEnd, newParent: BranchParent, nextId: number): Rerooted | undefined {
  const b = neuron.branches.find((x) => x.id === branchId);
  if (!b || b.nodes.length === 0) return undefined;
  const rootId = rootBranchId(neuron, branchId);
  const root = neuron.branches.find((x) => x.id === rootId);
  if (!root || root.parent.kind !== 'none') return undefined;
  const component = subtreeBranchIds(neuron, root.id);
  const replacement = new Map<BranchId, Branch[]>();
  let id = nextId;
  replacement.set(b.id, [{ ...b, parent: newParent, nodes: end === 'last' ? b.nodes.slice().reverse() : b.nodes }]);
  // The old first node of each path branch is where the next one up now hangs.
  let link = b.nodes[0].id;
  let cur = b;
  while (cur.parent.kind === 'node') {
    const at = locateInNeuron(neuron, cur.parent.nodeId);
    if (!at) return undefined;
    const p = at.branch;
    const j = at.index;
    const parts: Branch[] = [{ ...p, parent: { kind: 'node', nodeId: link }, nodes: p.nodes.slice(0, j + 1).reverse() }];
    if (j < p.nodes.length - 1) {
      parts.push({ id, label: p.label, parent: { kind: 'node', nodeId: p.nodes[j].id }, nodes: p.nodes.slice(j + 1) });
      component.add(id);
      id++;
    }
    replacement.set(p.id, parts);
    link = p.nodes[0].id;
    cur = p;
  }
  const branches = neuron.branches.flatMap((x) => replacement.get(x.id) ?? [x]);
  return { branches, component, nextId: id };
}

/**
 * Puts `branches` (whose tree is `component`) into neuron `toIndex`: in place when it is the source neuron
 * `fromIndex`, otherwise the component leaves the source (relative order kept) and is appended to the target.
 */
export function placeComponent(
  doc: AnnotationDocument, fromIndex: number, toIndex: number, branches: Branch[], component: ReadonlySet<BranchId>, nextId: number,
): AnnotationDocument {
  if (fromIndex === toIndex) return withNeuronAt(doc, fromIndex, { ...doc.neurons[fromIndex], branches }, nextId);
  const neurons = doc.neurons.slice();
  const moving = branches.filter((b) => component.has(b.id));
  neurons[fromIndex] = { ...doc.neurons[fromIndex], branches: branches.filter((b) => !component.has(b.id)) };
  neurons[toIndex] = { ...doc.neurons[toIndex], branches: doc.neurons[toIndex].branches.concat(moving) };
  return { ...doc, neurons, nextId };
}
