import { NEURON_COLORS, branchSignature, type AnnotationDocument, type AutoProvenance, type Branch, type BranchParent, type Neuron, type TraceNode } from '../model/document';
import { findBranch, findNeuron, findNode, locateInNeuron, segmentEnds, subtreeBranchIds } from '../model/queries';
import type * as A from './actions';
import type { Action } from './actions';
import { copySoma, isCalibration, isColor, isLabel, isPoint, isSoma, sameCalibration, sameSoma, toNodes } from './inputs';
import { somaCatches } from './soma-catch';
import { placeComponent, removeNodeRange, rerootDetached, sameParent, withBranchAt, withNeuronAt } from './topology';

/**
 * The one way documents change. Pure and deterministic: new ids come from doc.nextId, nothing else is read.
 * An invalid action (unknown id, index out of range, cycle, bad payload) or one that would change nothing returns
 * the very same document object, which history treats as "no edit". Everything an action does not touch keeps its
 * identity, so views can memoize by reference. The input is never mutated.
 */
export function applyAction(doc: AnnotationDocument, action: Action): AnnotationDocument {
  switch (action.type) {
    case 'addNeuron': return addNeuron(doc, action);
    case 'addTracedNeuron': return addTracedNeuron(doc, action);
    case 'replaceTracedNeuron': return replaceTracedNeuron(doc, action);
    case 'renameNeuron': return updateNeuron(doc, action.neuronId, (n) => {
      const name = typeof action.name === 'string' ? action.name.trim() : '';
      return name === '' || name === n.name ? n : { ...n, name };
    });
    case 'setNeuronColor': return updateNeuron(doc, action.neuronId, (n) =>
      !isColor(action.color) || action.color === n.color ? n : { ...n, color: action.color });
    case 'deleteNeuron': {
      const neurons = doc.neurons.filter((n) => n.id !== action.neuronId);
      return neurons.length === doc.neurons.length ? doc : { ...doc, neurons };
    }
    case 'setSoma': return updateNeuron(doc, action.neuronId, (n) =>
      !isSoma(action.soma) || sameSoma(n.soma, action.soma) ? n : { ...n, soma: copySoma(action.soma) });
    case 'placeSoma': return placeSoma(doc, action);
    case 'clearSoma': return updateNeuron(doc, action.neuronId, (n) => (n.soma === null ? n : { ...n, soma: null }));
    case 'addBranch': return addBranch(doc, action);
    case 'addBranchOnSegment': return addBranchOnSegment(doc, action);
    case 'extendBranch': return extendBranch(doc, action);
    case 'removeLastNodes': return removeLastNodes(doc, action);
    case 'moveNode': return moveNode(doc, action);
    case 'insertNode': return insertNode(doc, action);
    case 'deleteNode': return deleteNode(doc, action);
    case 'deleteBranch': return deleteBranch(doc, action);
    case 'splitBranch': return splitBranch(doc, action);
    case 'joinTip': return joinTip(doc, action);
    case 'attachToSoma': return attachToSoma(doc, action);
    case 'reparentBranch': return reparentBranch(doc, action);
    case 'setBranchLabel': return setBranchLabel(doc, action);
    case 'mergeBranchIntoParent': return mergeBranchIntoParent(doc, action);
    case 'moveBranchToNeuron': return moveBranchToNeuron(doc, action);
    case 'setCalibration':
      return !isCalibration(action.calibration) || sameCalibration(doc.calibration, action.calibration)
        ? doc
        : { ...doc, calibration: action.calibration === null ? null : { ...action.calibration } };
    default: {
      // Compile-time exhaustiveness; at run time an unknown action (e.g. from an older client) is a no-op.
      const unknownAction: never = action;
      void unknownAction;
      return doc;
    }
  }
}

/** Applies actions in order (e.g. to replay a script); invalid ones are skipped as applyAction skips them. */
export function applyActions(doc: AnnotationDocument, actions: readonly Action[]): AnnotationDocument {
  return actions.reduce(applyAction, doc);
}

function updateNeuron(doc: AnnotationDocument, neuronId: number, f: (n: Neuron) => Neuron): AnnotationDocument {
  const at = findNeuron(doc, neuronId);
  if (!at) return doc;
  const next = f(at.neuron);
  return next === at.neuron ? doc : withNeuronAt(doc, at.index, next);
}

/** "Neuron N" with the smallest N no neuron is named after, so names stay short after deletions. */
export function defaultNeuronName(doc: AnnotationDocument): string {
  const taken = new Set(doc.neurons.map((n) => n.name));
  let n = 1;
  while (taken.has(`Neuron ${n}`)) n++;
  return `Neuron ${n}`;
}

/** The least-used palette colour (earliest on ties): cycles through NEURON_COLORS as neurons are added. */
export function defaultNeuronColor(doc: AnnotationDocument): string {
  const uses = NEURON_COLORS.map((c) => doc.neurons.filter((n) => n.color.toLowerCase() === c).length);
  return NEURON_COLORS[uses.indexOf(Math.min(...uses))];
}

function addNeuron(doc: AnnotationDocument, a: A.AddNeuron): AnnotationDocument {
  if (a.color !== undefined && !isColor(a.color)) return doc;
  if (a.soma !== undefined && a.soma !== null && !isSoma(a.soma)) return doc;
  const name = typeof a.name === 'string' && a.name.trim() !== '' ? a.name.trim() : defaultNeuronName(doc);
  const neuron: Neuron = {
    id: doc.nextId,
    name,
    color: a.color ?? defaultNeuronColor(doc),
    soma: a.soma ? copySoma(a.soma) : null,
    branches: [],
  };
  return { ...doc, neurons: [...doc.neurons, neuron], nextId: doc.nextId + 1 };
}

/** Branches of a traced tree with ids from `firstId`; null when any input is invalid. */
function tracedBranches(inputs: readonly A.TracedBranchInput[], hasSoma: boolean, firstId: number): { branches: Branch[]; next: number } | null {
  if (!Array.isArray(inputs)) return null;
  let next = firstId;
  const branches: Branch[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (input.label !== undefined && !isLabel(input.label)) return null;
    let parent: BranchParent;
    if (input.parent === -1) parent = hasSoma ? { kind: 'soma' } : { kind: 'none' };
    else {
      // Only earlier branches can be parents, which also rules out cycles.
      if (!Number.isInteger(input.parent) || input.parent < 0 || input.parent >= i) return null;
      const host = branches[input.parent].nodes[input.parentNode];
      if (!Number.isInteger(input.parentNode) || !host) return null;
      parent = { kind: 'node', nodeId: host.id };
    }
    const id = next;
    const nodes = toNodes(input.nodes, id + 1);
    if (!nodes) return null;
    next = id + 1 + nodes.length;
    const label = input.label ?? (input.parent >= 0 ? branches[input.parent].label : 'dendrite');
    branches.push({ id, label, parent, nodes });
  }
  return { branches, next };
}

function addTracedNeuron(doc: AnnotationDocument, a: A.AddTracedNeuron): AnnotationDocument {
  if (a.color !== undefined && !isColor(a.color)) return doc;
  if (a.soma !== null && !isSoma(a.soma)) return doc;
  const traced = tracedBranches(a.branches, a.soma !== null, doc.nextId + 1);
  if (!traced) return doc;
  const added = addNeuron(doc, { type: 'addNeuron', name: a.name, color: a.color, soma: a.soma });
  if (added === doc) return doc;
  const neuron: Neuron = { ...added.neurons[added.neurons.length - 1], branches: traced.branches };
  const auto = provenanceOf(a.provenance, traced.branches);
  if (auto) neuron.auto = auto;
  return { ...added, neurons: [...added.neurons.slice(0, -1), neuron], nextId: traced.next };
}

function provenanceOf(p: A.AddTracedNeuron['provenance'], branches: readonly Branch[]): AutoProvenance | undefined {
  if (!p || typeof p.tracer !== 'string' || typeof p.parameters !== 'object' || p.parameters === null) return undefined;
  const parameters: AutoProvenance['parameters'] = {};
  for (const [k, v] of Object.entries(p.parameters)) if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) parameters[k] = v;
  return { tracer: p.tracer, parameters, branches: branches.map((b) => ({ branchId: b.id, signature: branchSignature(b) })) };
}

function replaceTracedNeuron(doc: AnnotationDocument, a: A.ReplaceTracedNeuron): AnnotationDocument {
  const at = findNeuron(doc, a.neuronId);
  if (!at || (a.soma !== null && !isSoma(a.soma))) return doc;
  const traced = tracedBranches(a.branches, a.soma !== null, doc.nextId);
  if (!traced) return doc;
  const neuron: Neuron = { ...at.neuron, soma: a.soma ? copySoma(a.soma) : null, branches: traced.branches };
  const auto = provenanceOf(a.provenance ?? at.neuron.auto, traced.branches);
  if (auto) neuron.auto = auto;
  else delete neuron.auto;
  return withNeuronAt(doc, at.index, neuron, traced.next);
}

/** Whether `parent` is a valid start for a new branch of `neuron`; a node parent must be one of its nodes. */
function parentIsValid(neuron: Neuron, parent: BranchParent): boolean {
  if (typeof parent !== 'object' || parent === null) return false;
  if (parent.kind === 'none') return true;
  if (parent.kind === 'soma') return neuron.soma !== null;
  if (parent.kind === 'node') return locateInNeuron(neuron, parent.nodeId) !== undefined;
  return false;
}

function copyParent(p: BranchParent): BranchParent {
  return p.kind === 'node' ? { kind: 'node', nodeId: p.nodeId } : { kind: p.kind };
}

function addBranch(doc: AnnotationDocument, a: A.AddBranch): AnnotationDocument {
  const at = findNeuron(doc, a.neuronId);
  if (!at || !parentIsValid(at.neuron, a.parent)) return doc;
  if (a.label !== undefined && !isLabel(a.label)) return doc;
  const nodes = toNodes(a.nodes, doc.nextId + 1);
  if (!nodes) return doc;
  const host = a.parent.kind === 'node' ? locateInNeuron(at.neuron, a.parent.nodeId) : undefined;
  const branch: Branch = { id: doc.nextId, label: a.label ?? host?.branch.label ?? 'dendrite', parent: copyParent(a.parent), nodes };
  const neuron = { ...at.neuron, branches: [...at.neuron.branches, branch] };
  return withNeuronAt(doc, at.index, neuron, doc.nextId + 1 + nodes.length);
}

/** A node at (x, y) on the segment from→to: z and r interpolated at the projection of (x, y). */
function nodeOnSegment(id: number, from: TraceNode, to: TraceNode, x: number, y: number): TraceNode {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - from.x) * dx + (y - from.y) * dy) / len2)) : 0;
  const node: TraceNode = { id, x, y, z: from.z + t * (to.z - from.z) };
  if (from.r !== undefined && to.r !== undefined) node.r = from.r + t * (to.r - from.r);
  return node;
}

function insertNode(doc: AnnotationDocument, a: A.InsertNode): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc || !isPoint(a)) return doc;
  const ends = segmentEnds(loc.neuron, loc.branch, a.index);
  if (!ends) return doc;
  const nodes = loc.branch.nodes.slice();
  nodes.splice(a.index, 0, nodeOnSegment(doc.nextId, ends[0], ends[1], a.x, a.y));
  const neuron = withBranchAt(loc.neuron, loc.branchIndex, { ...loc.branch, nodes });
  return withNeuronAt(doc, loc.neuronIndex, neuron, doc.nextId + 1);
}

function addBranchOnSegment(doc: AnnotationDocument, a: A.AddBranchOnSegment): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc || !isPoint(a.at)) return doc;
  if (a.label !== undefined && !isLabel(a.label)) return doc;
  const ends = segmentEnds(loc.neuron, loc.branch, a.segmentIndex);
  const nodes = toNodes(a.nodes, doc.nextId + 2);
  if (!ends || !nodes) return doc;
  const fork = nodeOnSegment(doc.nextId, ends[0], ends[1], a.at.x, a.at.y);
  const hostNodes = loc.branch.nodes.slice();
  hostNodes.splice(a.segmentIndex, 0, fork);
  const branches = loc.neuron.branches.slice();
  branches[loc.branchIndex] = { ...loc.branch, nodes: hostNodes };
  branches.push({ id: doc.nextId + 1, label: a.label ?? loc.branch.label, parent: { kind: 'node', nodeId: fork.id }, nodes });
  return withNeuronAt(doc, loc.neuronIndex, { ...loc.neuron, branches }, doc.nextId + 2 + nodes.length);
}

function extendBranch(doc: AnnotationDocument, a: A.ExtendBranch): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  const added = toNodes(a.nodes, doc.nextId);
  if (!loc || !added) return doc;
  const neuron = withBranchAt(loc.neuron, loc.branchIndex, { ...loc.branch, nodes: loc.branch.nodes.concat(added) });
  return withNeuronAt(doc, loc.neuronIndex, neuron, doc.nextId + added.length);
}

function removeLastNodes(doc: AnnotationDocument, a: A.RemoveLastNodes): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc) return doc;
  const len = loc.branch.nodes.length;
  if (!Number.isInteger(a.count) || a.count < 1 || a.count > len) return doc;
  return withNeuronAt(doc, loc.neuronIndex, removeNodeRange(loc.neuron, loc.branchIndex, len - a.count, len));
}

function moveNode(doc: AnnotationDocument, a: A.MoveNode): AnnotationDocument {
  if (!isPoint(a)) return doc;
  const loc = findNode(doc, a.nodeId);
  if (!loc || (loc.node.x === a.x && loc.node.y === a.y)) return doc;
  const nodes = loc.branch.nodes.slice();
  nodes[loc.index] = { ...loc.node, x: a.x, y: a.y };
  return withNeuronAt(doc, loc.neuronIndex, withBranchAt(loc.neuron, loc.branchIndex, { ...loc.branch, nodes }));
}

function deleteNode(doc: AnnotationDocument, a: A.DeleteNode): AnnotationDocument {
  const loc = findNode(doc, a.nodeId);
  if (!loc) return doc;
  return withNeuronAt(doc, loc.neuronIndex, removeNodeRange(loc.neuron, loc.branchIndex, loc.index, loc.index + 1));
}

function deleteBranch(doc: AnnotationDocument, a: A.DeleteBranch): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc) return doc;
  const gone = subtreeBranchIds(loc.neuron, loc.branch.id);
  const branches = loc.neuron.branches.filter((b) => !gone.has(b.id));
  return withNeuronAt(doc, loc.neuronIndex, { ...loc.neuron, branches });
}

function splitBranch(doc: AnnotationDocument, a: A.SplitBranch): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc) return doc;
  const i = loc.branch.nodes.findIndex((n) => n.id === a.nodeId);
  if (i < 0 || i === loc.branch.nodes.length - 1) return doc;
  const head: Branch = { ...loc.branch, nodes: loc.branch.nodes.slice(0, i + 1) };
  const tail: Branch = { id: doc.nextId, label: loc.branch.label, parent: { kind: 'node', nodeId: a.nodeId }, nodes: loc.branch.nodes.slice(i + 1) };
  const branches = loc.neuron.branches.slice();
  branches.splice(loc.branchIndex, 1, head, tail);
  return withNeuronAt(doc, loc.neuronIndex, { ...loc.neuron, branches }, doc.nextId + 1);
}

function isEnd(end: unknown): end is A.BranchEnd {
  return end === 'first' || end === 'last';
}

function joinTip(doc: AnnotationDocument, a: A.JoinTip): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  const target = findNode(doc, a.targetNodeId);
  if (!loc || !target || !isEnd(a.end)) return doc;
  const r = rerootDetached(loc.neuron, loc.branch.id, a.end, { kind: 'node', nodeId: a.targetNodeId }, doc.nextId);
  if (!r) return doc;
  // The target must lie outside the tree being connected, or the join would close a loop.
  if (target.neuronIndex === loc.neuronIndex && r.component.has(target.branch.id)) return doc;
  return placeComponent(doc, loc.neuronIndex, target.neuronIndex, r.branches, r.component, r.nextId);
}

function attachToSoma(doc: AnnotationDocument, a: A.AttachToSoma): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  const target = findNeuron(doc, a.neuronId);
  if (!loc || !target || target.neuron.soma === null || !isEnd(a.end)) return doc;
  const r = rerootDetached(loc.neuron, loc.branch.id, a.end, { kind: 'soma' }, doc.nextId);
  if (!r) return doc;
  return placeComponent(doc, loc.neuronIndex, target.index, r.branches, r.component, r.nextId);
}

function placeSoma(doc: AnnotationDocument, a: A.PlaceSoma): AnnotationDocument {
  if (!isSoma(a.soma) || typeof a.attachWithin !== 'number' || !(a.attachWithin >= 0)) return doc;
  let next = applyAction(doc, { type: 'setSoma', neuronId: a.neuronId, soma: a.soma });
  if (!findNeuron(next, a.neuronId)) return doc;
  // Each attachment re-roots one detached tree; trees caught later are unaffected by earlier ones (disjoint).
  for (const c of somaCatches(next, a.soma, a.attachWithin)) next = attachToSoma(next, { type: 'attachToSoma', branchId: c.branchId, end: c.end, neuronId: a.neuronId });
  return next;
}

function reparentBranch(doc: AnnotationDocument, a: A.ReparentBranch): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc || !parentIsValid(loc.neuron, a.parent) || sameParent(loc.branch.parent, a.parent)) return doc;
  if (a.parent.kind === 'node') {
    const host = locateInNeuron(loc.neuron, a.parent.nodeId);
    if (!host || subtreeBranchIds(loc.neuron, loc.branch.id).has(host.branch.id)) return doc;
  }
  return withNeuronAt(doc, loc.neuronIndex, withBranchAt(loc.neuron, loc.branchIndex, { ...loc.branch, parent: copyParent(a.parent) }));
}

function setBranchLabel(doc: AnnotationDocument, a: A.SetBranchLabel): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc || !isLabel(a.label)) return doc;
  const ids = a.recursive ? subtreeBranchIds(loc.neuron, loc.branch.id) : new Set([loc.branch.id]);
  let changed = false;
  const branches = loc.neuron.branches.map((b) => {
    if (!ids.has(b.id) || b.label === a.label) return b;
    changed = true;
    return { ...b, label: a.label };
  });
  return changed ? withNeuronAt(doc, loc.neuronIndex, { ...loc.neuron, branches }) : doc;
}

function mergeBranchIntoParent(doc: AnnotationDocument, a: A.MergeBranchIntoParent): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  if (!loc || loc.branch.parent.kind !== 'node') return doc;
  const host = locateInNeuron(loc.neuron, loc.branch.parent.nodeId);
  if (!host || host.index !== host.branch.nodes.length - 1 || host.branch === loc.branch) return doc;
  const merged: Branch = { ...host.branch, nodes: host.branch.nodes.concat(loc.branch.nodes) };
  const branches = loc.neuron.branches.filter((b) => b !== loc.branch).map((b) => (b === host.branch ? merged : b));
  return withNeuronAt(doc, loc.neuronIndex, { ...loc.neuron, branches });
}

function moveBranchToNeuron(doc: AnnotationDocument, a: A.MoveBranchToNeuron): AnnotationDocument {
  const loc = findBranch(doc, a.branchId);
  const target = findNeuron(doc, a.neuronId);
  if (!loc || !target || target.index === loc.neuronIndex) return doc;
  const component = subtreeBranchIds(loc.neuron, loc.branch.id);
  const parent: BranchParent = loc.branch.parent.kind === 'soma' && target.neuron.soma !== null ? { kind: 'soma' } : { kind: 'none' };
  const branches = loc.neuron.branches.map((b) => (b === loc.branch ? { ...b, parent } : b));
  return placeComponent(doc, loc.neuronIndex, target.index, branches, component, doc.nextId);
}
