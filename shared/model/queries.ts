import { RamifyError } from '../result';
import type { AnnotationDocument, Branch, BranchId, Neuron, NeuronId, NodeId, TraceNode } from './document';

/** Where a node lives in a document. */
export interface NodeLocation {
  /** Neuron holding the node. */
  neuron: Neuron;
  /** Position of that neuron in doc.neurons. */
  neuronIndex: number;
  /** Branch holding the node. */
  branch: Branch;
  /** Position of that branch in neuron.branches. */
  branchIndex: number;
  /** Position of the node in branch.nodes (0 = proximal). */
  index: number;
  /** The node itself. */
  node: TraceNode;
}

/** Where a branch lives in a document. */
export interface BranchLocation {
  /** Neuron holding the branch. */
  neuron: Neuron;
  /** Position of that neuron in doc.neurons. */
  neuronIndex: number;
  /** The branch itself. */
  branch: Branch;
  /** Position of the branch in neuron.branches. */
  branchIndex: number;
}

/** Linear scan (≈10 µs for 5,000 nodes), so callers need no index that would have to be rebuilt after every edit. */
export function findNode(doc: AnnotationDocument, nodeId: NodeId): NodeLocation | undefined {
  const neurons = doc.neurons;
  for (let ni = 0; ni < neurons.length; ni++) {
    const branches = neurons[ni].branches;
    for (let bi = 0; bi < branches.length; bi++) {
      const nodes = branches[bi].nodes;
      for (let i = 0; i < nodes.length; i++) {
        if (nodes[i].id === nodeId) {
          return { neuron: neurons[ni], neuronIndex: ni, branch: branches[bi], branchIndex: bi, index: i, node: nodes[i] };
        }
      }
    }
  }
  return undefined;
}

export function findBranch(doc: AnnotationDocument, branchId: BranchId): BranchLocation | undefined {
  const neurons = doc.neurons;
  for (let ni = 0; ni < neurons.length; ni++) {
    const branches = neurons[ni].branches;
    for (let bi = 0; bi < branches.length; bi++) {
      if (branches[bi].id === branchId) return { neuron: neurons[ni], neuronIndex: ni, branch: branches[bi], branchIndex: bi };
    }
  }
  return undefined;
}

/** For callers that hold an id they got from the document itself, where absence is a programming error. */
export function branchOrThrow(doc: AnnotationDocument, branchId: BranchId): BranchLocation {
  const loc = findBranch(doc, branchId);
  if (!loc) throw new RamifyError('unknown-branch', `Branch #${branchId} is not in this document.`);
  return loc;
}

export function findNeuron(doc: AnnotationDocument, neuronId: NeuronId): { neuron: Neuron; index: number } | undefined {
  const index = doc.neurons.findIndex((n) => n.id === neuronId);
  return index < 0 ? undefined : { neuron: doc.neurons[index], index };
}

/** Tree parent of a node: another node, the soma (first node of a soma branch) or nothing (first node of a detached branch). */
export type TreeParent = NodeId | 'soma' | 'none';

/**
 * The node-level tree a neuron's branches describe. Derived data, memoized by neuron identity, so it is rebuilt
 * (O(N), each part on first use) only for neurons an edit replaced. A branch whose parent node is not in the neuron
 * counts as detached here (validateDocument reports it). Ids are assumed unique (validateDocument checks).
 */
export interface NodeTree {
  /** Tree parent of every node of the neuron. */
  parentOf: ReadonlyMap<NodeId, TreeParent>;
  /** Tree children of every node: the next node of its own branch first, then first nodes of branches on it. */
  childrenOf: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** First nodes of branches that start at the soma, in branch order. */
  somaChildren: readonly NodeId[];
  /** First nodes of detached branches (roots of detached trees), in branch order. */
  detachedRoots: readonly NodeId[];
  /** Branch and index of every node. */
  locate: ReadonlyMap<NodeId, { branch: Branch; index: number }>;
  /** Branches that start at each node (only nodes that have some). */
  branchesOnNode: ReadonlyMap<NodeId, readonly Branch[]>;
  /** Branches that start on a node of each branch, in branch order. */
  childBranchIds: ReadonlyMap<BranchId, readonly BranchId[]>;
  /** Branch holding the parent node of each branch; null for soma, detached or dangling parents. */
  parentBranchId: ReadonlyMap<BranchId, BranchId | null>;
}

const treeCache = new WeakMap<Neuron, LazyNodeTree>();

/** Where a node sits inside one neuron, found by a scan that allocates nothing (≈5 µs for 5,000 nodes). */
export function locateInNeuron(neuron: Neuron, nodeId: NodeId): { branch: Branch; index: number } | undefined {
  for (const branch of neuron.branches) {
    const nodes = branch.nodes;
    for (let i = 0; i < nodes.length; i++) if (nodes[i].id === nodeId) return { branch, index: i };
  }
  return undefined;
}

interface BranchLevel {
  hosts: Map<NodeId, { branch: Branch; index: number }>;
  branchesOnNode: Map<NodeId, Branch[]>;
  childBranchIds: Map<BranchId, BranchId[]>;
  parentBranchId: Map<BranchId, BranchId | null>;
}

interface NodeLevel {
  parentOf: Map<NodeId, TreeParent>;
  childrenOf: Map<NodeId, NodeId[]>;
  somaChildren: NodeId[];
  detachedRoots: NodeId[];
}

/**
 * Each part is built on first use: a drag replaces the neuron on every move, and renderers then need only the
 * branch-level part (parent nodes of branches: O(branches) maps plus one allocation-free pass over the nodes),
 * while the per-node maps (several ms for 5,000 nodes on a slow machine) are for analysis.
 */
class LazyNodeTree implements NodeTree {
  private branchLevel?: BranchLevel;
  private nodeLevel?: NodeLevel;
  private locateMap?: Map<NodeId, { branch: Branch; index: number }>;

  constructor(private readonly neuron: Neuron) {}

  get locate(): ReadonlyMap<NodeId, { branch: Branch; index: number }> {
    if (!this.locateMap) {
      const m = new Map<NodeId, { branch: Branch; index: number }>();
      for (const branch of this.neuron.branches) branch.nodes.forEach((node, index) => m.set(node.id, { branch, index }));
      this.locateMap = m;
    }
    return this.locateMap;
  }

  get parentOf(): ReadonlyMap<NodeId, TreeParent> { return this.nodes().parentOf; }
  get childrenOf(): ReadonlyMap<NodeId, readonly NodeId[]> { return this.nodes().childrenOf; }
  get somaChildren(): readonly NodeId[] { return this.nodes().somaChildren; }
  get detachedRoots(): readonly NodeId[] { return this.nodes().detachedRoots; }
  get branchesOnNode(): ReadonlyMap<NodeId, readonly Branch[]> { return this.branches().branchesOnNode; }
  get childBranchIds(): ReadonlyMap<BranchId, readonly BranchId[]> { return this.branches().childBranchIds; }
  get parentBranchId(): ReadonlyMap<BranchId, BranchId | null> { return this.branches().parentBranchId; }

  /** Branch and index of a node some branch starts at (the only lookup renderers need per branch). */
  host(nodeId: NodeId): { branch: Branch; index: number } | undefined {
    return this.branches().hosts.get(nodeId);
  }

  private branches(): BranchLevel {
    if (this.branchLevel) return this.branchLevel;
    const wanted = new Set<NodeId>();
    for (const b of this.neuron.branches) if (b.parent.kind === 'node') wanted.add(b.parent.nodeId);
    const hosts = new Map<NodeId, { branch: Branch; index: number }>();
    if (wanted.size > 0) {
      for (const branch of this.neuron.branches) {
        const nodes = branch.nodes;
        for (let i = 0; i < nodes.length; i++) if (wanted.has(nodes[i].id) && !hosts.has(nodes[i].id)) hosts.set(nodes[i].id, { branch, index: i });
      }
    }
    const branchesOnNode = new Map<NodeId, Branch[]>();
    const childBranchIds = new Map<BranchId, BranchId[]>();
    const parentBranchId = new Map<BranchId, BranchId | null>();
    for (const b of this.neuron.branches) childBranchIds.set(b.id, []);
    for (const b of this.neuron.branches) {
      const host = b.parent.kind === 'node' ? hosts.get(b.parent.nodeId) : undefined;
      if (b.parent.kind === 'node' && host) {
        parentBranchId.set(b.id, host.branch.id);
        childBranchIds.get(host.branch.id)?.push(b.id);
        const list = branchesOnNode.get(b.parent.nodeId);
        if (list) list.push(b);
        else branchesOnNode.set(b.parent.nodeId, [b]);
      } else {
        parentBranchId.set(b.id, null);
      }
    }
    this.branchLevel = { hosts, branchesOnNode, childBranchIds, parentBranchId };
    return this.branchLevel;
  }

  private nodes(): NodeLevel {
    if (this.nodeLevel) return this.nodeLevel;
    const { hosts } = this.branches();
    const parentOf = new Map<NodeId, TreeParent>();
    const childrenOf = new Map<NodeId, NodeId[]>();
    const somaChildren: NodeId[] = [];
    const detachedRoots: NodeId[] = [];
    for (const branch of this.neuron.branches) {
      const nodes = branch.nodes;
      for (let i = 0; i < nodes.length; i++) {
        childrenOf.set(nodes[i].id, i + 1 < nodes.length ? [nodes[i + 1].id] : []);
        if (i > 0) parentOf.set(nodes[i].id, nodes[i - 1].id);
      }
    }
    for (const branch of this.neuron.branches) {
      const first = branch.nodes[0];
      if (!first) continue;
      const p = branch.parent;
      if (p.kind === 'node' && hosts.has(p.nodeId)) {
        parentOf.set(first.id, p.nodeId);
        childrenOf.get(p.nodeId)?.push(first.id);
      } else {
        const soma = p.kind === 'soma';
        parentOf.set(first.id, soma ? 'soma' : 'none');
        (soma ? somaChildren : detachedRoots).push(first.id);
      }
    }
    this.nodeLevel = { parentOf, childrenOf, somaChildren, detachedRoots };
    return this.nodeLevel;
  }
}

export function nodeTree(neuron: Neuron): NodeTree {
  return lazyTree(neuron);
}

function lazyTree(neuron: Neuron): LazyNodeTree {
  let tree = treeCache.get(neuron);
  if (!tree) {
    tree = new LazyNodeTree(neuron);
    treeCache.set(neuron, tree);
  }
  return tree;
}

/**
 * Number of tree children of branch.nodes[index] (what childrenOf holds for it) from the branch-level index alone. The
 * canvas asks this for every node of the neuron being dragged on every step; childrenOf's per-node maps (≈ 1 MB for a
 * 5,000-node neuron, rebuilt for each new neuron object) made the garbage collection that set the step's p99.
 */
export function childCount(neuron: Neuron, branch: Branch, index: number): number {
  let kids = index + 1 < branch.nodes.length ? 1 : 0;
  const on = nodeTree(neuron).branchesOnNode.get(branch.nodes[index].id);
  if (on) for (const b of on) if (b.nodes.length > 0) kids++;
  return kids;
}

/** Branches that start at this node (which makes it a branch point). */
export function childBranches(neuron: Neuron, nodeId: NodeId): readonly Branch[] {
  return nodeTree(neuron).branchesOnNode.get(nodeId) ?? [];
}

/** The branch and every branch below it, recursively (the branch itself included). Safe on cyclic input. */
export function subtreeBranchIds(neuron: Neuron, branchId: BranchId): Set<BranchId> {
  const tree = nodeTree(neuron);
  const out = new Set<BranchId>();
  if (!tree.childBranchIds.has(branchId)) return out;
  const stack: BranchId[] = [branchId];
  while (stack.length > 0) {
    const id = stack.pop() as BranchId;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of tree.childBranchIds.get(id) ?? []) stack.push(c);
  }
  return out;
}

/** The branch at the top of this branch's chain of parents: the one attached to the soma or detached. */
export function rootBranchId(neuron: Neuron, branchId: BranchId): BranchId | undefined {
  const tree = nodeTree(neuron);
  if (!tree.parentBranchId.has(branchId)) return undefined;
  const seen = new Set<BranchId>();
  let id = branchId;
  for (;;) {
    if (seen.has(id)) return undefined; // cyclic document: there is no root
    seen.add(id);
    const up = tree.parentBranchId.get(id);
    if (up === null || up === undefined) return id;
    id = up;
  }
}

/** The parent node a node-attached branch starts from, when it resolves inside the neuron. */
export function parentNode(neuron: Neuron, branch: Branch): TraceNode | undefined {
  if (branch.parent.kind !== 'node') return undefined;
  const at = lazyTree(neuron).host(branch.parent.nodeId);
  return at ? at.branch.nodes[at.index] : undefined;
}

/**
 * The drawn polyline of a branch: the parent node first for a branch on a node, then its own nodes. The soma stem
 * (soma centre → first node of a soma branch) is not included: it is not traced dendrite.
 */
export function branchPolyline(neuron: Neuron, branch: Branch): readonly TraceNode[] {
  const start = parentNode(neuron, branch);
  return start ? [start, ...branch.nodes] : branch.nodes;
}

/**
 * Segments are numbered by the node they end at: segment k runs from the node before branch.nodes[k] to
 * branch.nodes[k]. Segment 0 exists only for a branch on a node (it starts at the parent node); segments
 * 1 … nodes.length−1 exist for every branch. insertNode, addBranchOnSegment and hitTest all use this numbering.
 */
export function segmentEnds(neuron: Neuron, branch: Branch, segmentIndex: number): [TraceNode, TraceNode] | undefined {
  if (!Number.isInteger(segmentIndex) || segmentIndex < 0 || segmentIndex >= branch.nodes.length) return undefined;
  const to = branch.nodes[segmentIndex];
  if (segmentIndex > 0) return [branch.nodes[segmentIndex - 1], to];
  const from = parentNode(neuron, branch);
  return from ? [from, to] : undefined;
}
