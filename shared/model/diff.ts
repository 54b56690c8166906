import type { AnnotationDocument, Branch, BranchId, Neuron, NeuronId, NodeId, TraceNode } from './document';
import { somaCenter } from './document';

/**
 * What changed between two versions of an annotation document, matched by id. Ids are stable: they are saved in the
 * file and never reused (document.ts), so a node with the same id in both versions is the same node, wherever it went.
 *
 * Positions are compared to 1/1000 px (as branchSignature does): a save/load round trip or a snapshot rounded to
 * that precision is "not moved"; anything a person can do with the mouse is.
 */

/** A neuron's name or colour before and after. */
export interface MetadataChange {
  from: string;
  to: string;
}

/** How one neuron changed; only neurons with a geometric change (or, when asked, a new name or colour) are listed. */
export interface NeuronDiff {
  neuronId: NeuronId;
  /** Name in the later version (the earlier one for a removed neuron). */
  name: string;
  change: 'added' | 'removed' | 'changed';
  nodes: { added: NodeId[]; removed: NodeId[]; moved: NodeId[] };
  /** `changed`: in both versions, but its nodes, its start or its label differ. */
  branches: { added: BranchId[]; removed: BranchId[]; changed: BranchId[] };
  /** The soma appeared, disappeared or its centre moved; null when it did not change. */
  soma: 'added' | 'removed' | 'moved' | null;
  /** Set only when names were compared (DiffOptions.metadata) and this one changed. */
  renamed?: MetadataChange;
  /** Set only when colours were compared (DiffOptions.metadata) and this one changed. */
  recoloured?: MetadataChange;
}

export interface DiffOptions {
  /**
   * Compare names and colours too (a save's history does). Off by default: the reviewed snapshot keeps geometry
   * only, so against it every neuron would look renamed.
   */
  metadata?: boolean;
}

export interface DocumentDiff {
  /** Changed neurons: those of the later version in its order, then the removed ones in the earlier order. */
  neurons: NeuronDiff[];
  /** The pixel size changed (every length in µm changes with it). */
  calibrationChanged: boolean;
}

const q = (v: number) => Math.round(v * 1000);

/** Same place to 1/1000 px. */
export function samePosition(a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }): boolean {
  return q(a.x) === q(b.x) && q(a.y) === q(b.y) && q(a.z) === q(b.z);
}

const sameParent = (a: Branch['parent'], b: Branch['parent']) => a.kind === b.kind && (a.kind !== 'node' || (b.kind === 'node' && a.nodeId === b.nodeId));

function sameBranch(a: Branch, b: Branch): boolean {
  if (a.label !== b.label || !sameParent(a.parent, b.parent) || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) if (a.nodes[i].id !== b.nodes[i].id || !samePosition(a.nodes[i], b.nodes[i])) return false;
  return true;
}

function nodesOf(neuron: Neuron | undefined): Map<NodeId, TraceNode> {
  const m = new Map<NodeId, TraceNode>();
  for (const b of neuron?.branches ?? []) for (const p of b.nodes) m.set(p.id, p);
  return m;
}

function somaChange(before: Neuron | undefined, after: Neuron | undefined): NeuronDiff['soma'] {
  const a = before?.soma ?? null;
  const b = after?.soma ?? null;
  if (!a && !b) return null;
  if (!a) return 'added';
  if (!b) return 'removed';
  return samePosition(somaCenter(a), somaCenter(b)) ? null : 'moved';
}

/** The name and colour changes of a neuron in both versions. */
function metadataChanges(before: Neuron, after: Neuron): Pick<NeuronDiff, 'renamed' | 'recoloured'> {
  return {
    ...(before.name !== after.name ? { renamed: { from: before.name, to: after.name } } : {}),
    // Colours are #rrggbb; case alone is not a change anyone made.
    ...(before.color.toLowerCase() !== after.color.toLowerCase() ? { recoloured: { from: before.color, to: after.color } } : {}),
  };
}

/** The change of one neuron (either side may be missing); null when nothing (geometric, or metadata when asked) changed. */
export function diffNeuron(before: Neuron | undefined, after: Neuron | undefined, options: DiffOptions = {}): NeuronDiff | null {
  // Unchanged neurons are the same object after an edit elsewhere (the reducer shares structure).
  if (before === after || (!before && !after)) return null;
  const was = nodesOf(before);
  const now = nodesOf(after);
  const nodes: NeuronDiff['nodes'] = { added: [], removed: [], moved: [] };
  for (const [id, p] of now) {
    const old = was.get(id);
    if (!old) nodes.added.push(id);
    else if (!samePosition(old, p)) nodes.moved.push(id);
  }
  for (const id of was.keys()) if (!now.has(id)) nodes.removed.push(id);
  const oldBranches = new Map((before?.branches ?? []).map((b) => [b.id, b]));
  const newIds = new Set((after?.branches ?? []).map((b) => b.id));
  const branches: NeuronDiff['branches'] = { added: [], removed: [], changed: [] };
  for (const b of after?.branches ?? []) {
    const old = oldBranches.get(b.id);
    if (!old) branches.added.push(b.id);
    else if (old !== b && !sameBranch(old, b)) branches.changed.push(b.id);
  }
  for (const b of before?.branches ?? []) if (!newIds.has(b.id)) branches.removed.push(b.id);
  const soma = somaChange(before, after);
  const meta = options.metadata && before && after ? metadataChanges(before, after) : {};
  const changed = soma !== null || Object.keys(meta).length > 0 || [nodes.added, nodes.removed, nodes.moved, branches.added, branches.removed, branches.changed].some((l) => l.length > 0);
  if (before && after && !changed) return null;
  return { neuronId: (after ?? before)!.id, name: (after ?? before)!.name, change: !before ? 'added' : !after ? 'removed' : 'changed', nodes, branches, soma, ...meta };
}

const sameCalibration = (a: AnnotationDocument['calibration'], b: AnnotationDocument['calibration']) =>
  a === b || (!!a && !!b && a.pixelWidth === b.pixelWidth && a.pixelHeight === b.pixelHeight && a.voxelDepth === b.voxelDepth);

/** Neurons, branches and nodes added, removed and moved from `before` to `after`, matched by id. */
export function diffDocuments(before: AnnotationDocument, after: AnnotationDocument, options: DiffOptions = {}): DocumentDiff {
  const oldNeurons = new Map(before.neurons.map((n) => [n.id, n]));
  const newIds = new Set(after.neurons.map((n) => n.id));
  const neurons: NeuronDiff[] = [];
  for (const n of after.neurons) {
    const d = diffNeuron(oldNeurons.get(n.id), n, options);
    if (d) neurons.push(d);
  }
  for (const n of before.neurons) if (!newIds.has(n.id)) neurons.push(diffNeuron(n, undefined)!);
  return { neurons, calibrationChanged: !sameCalibration(before.calibration, after.calibration) };
}

/** True when the diff holds any change worth a history entry. */
export const isEmptyDiff = (d: DocumentDiff) => d.neurons.length === 0 && !d.calibrationChanged;

// ---------------------------------------------------------------------------------------------------------------
// What to draw: the edges of one version that the other does not have.

/** A run of consecutive changed edges of one branch, as flat image-px coordinates [x0, y0, x1, y1, …]. */
export interface ChangedPath {
  neuronId: NeuronId;
  points: number[];
}

export interface ChangedSoma {
  neuronId: NeuronId;
  x: number;
  y: number;
}

/** Edges and somata that exist only in the later version (added) or only in the earlier one (removed). */
export interface EdgeChanges {
  added: ChangedPath[];
  removed: ChangedPath[];
  addedSomata: ChangedSoma[];
  removedSomata: ChangedSoma[];
}

type Point = { x: number; y: number; z: number };

/**
 * Every edge of a neuron keyed "from>to": from is a node id, or "s" for the soma centre (the stem). An edge is the
 * same in two versions when both ends have the same ids and positions.
 */
function edgeStarts(neuron: Neuron): { start(b: Branch): { key: string; at: Point } | null } {
  const nodes = nodesOf(neuron);
  const centre = neuron.soma ? somaCenter(neuron.soma) : null;
  return {
    start(b) {
      if (b.parent.kind === 'soma') return centre ? { key: 's', at: centre } : null;
      if (b.parent.kind === 'none') return null;
      const p = nodes.get(b.parent.nodeId);
      return p ? { key: String(p.id), at: p } : null;
    },
  };
}

function edgeSet(neuron: Neuron | undefined): Map<string, [Point, Point]> {
  const out = new Map<string, [Point, Point]>();
  if (!neuron) return out;
  const starts = edgeStarts(neuron);
  for (const b of neuron.branches) {
    let prev = starts.start(b);
    for (const p of b.nodes) {
      if (prev) out.set(`${prev.key}>${p.id}`, [prev.at, p]);
      prev = { key: String(p.id), at: p };
    }
  }
  return out;
}

/** Runs of edges of `neuron` missing from `other`, one path per unbroken run along a branch. */
function missingRuns(neuron: Neuron, other: Map<string, [Point, Point]>): ChangedPath[] {
  const runs: ChangedPath[] = [];
  const starts = edgeStarts(neuron);
  for (const b of neuron.branches) {
    let prev = starts.start(b);
    let run: number[] | null = null;
    for (const p of b.nodes) {
      const there = prev ? other.get(`${prev.key}>${p.id}`) : undefined;
      const missing = prev !== null && !(there && samePosition(there[0], prev.at) && samePosition(there[1], p));
      if (missing) {
        if (!run) run = [prev!.at.x, prev!.at.y];
        run.push(p.x, p.y);
      } else if (run) {
        runs.push({ neuronId: neuron.id, points: run });
        run = null;
      }
      prev = { key: String(p.id), at: p };
    }
    if (run) runs.push({ neuronId: neuron.id, points: run });
  }
  return runs;
}

function somaAt(n: Neuron): ChangedSoma {
  const c = somaCenter(n.soma!);
  return { neuronId: n.id, x: c.x, y: c.y };
}

/** The edges (and somata) added and removed from `before` to `after`, ready to draw over the image. */
export function edgeChanges(before: AnnotationDocument, after: AnnotationDocument): EdgeChanges {
  const out: EdgeChanges = { added: [], removed: [], addedSomata: [], removedSomata: [] };
  const oldNeurons = new Map(before.neurons.map((n) => [n.id, n]));
  const newNeurons = new Map(after.neurons.map((n) => [n.id, n]));
  for (const n of after.neurons) {
    const old = oldNeurons.get(n.id);
    if (old === n) continue;
    out.added.push(...missingRuns(n, edgeSet(old)));
    const s = somaChange(old, n);
    if (s === 'added' || s === 'moved') out.addedSomata.push(somaAt(n));
    if (s === 'moved') out.removedSomata.push(somaAt(old!));
  }
  for (const n of before.neurons) {
    const now = newNeurons.get(n.id);
    if (now === n) continue;
    out.removed.push(...missingRuns(n, edgeSet(now)));
    if (somaChange(n, now) === 'removed') out.removedSomata.push(somaAt(n));
  }
  return out;
}
