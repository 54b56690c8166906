import type { Calibration } from '../image/types';

/**
 * The annotation document: pure, serializable data. Positions are image pixels; µm come from `calibration` when
 * measured. Ids are integers from `nextId`, unique across neurons, branches and nodes of one document and never reused.
 *
 * Topology is SNT-like: a neuron is a set of branches (traced polylines). A branch starts at the soma, at a node of
 * another branch of the same neuron (which makes that node a branch point), or nowhere (detached, e.g. imported
 * NeuronJ tracings not yet attached). Crossing lines are never connected implicitly.
 */
export interface AnnotationDocument {
  /** Neurons in display order. */
  neurons: Neuron[];
  /** Next id to hand out; every created neuron, branch and node takes one. */
  nextId: number;
  /** Pixel size used for measurements; null = uncalibrated (lengths reported in px, clearly marked). */
  calibration: Calibration | null;
}

export type NeuronId = number;
export type BranchId = number;
export type NodeId = number;

export interface Neuron {
  id: NeuronId;
  /** Shown in the UI and exported; unique names are not enforced. */
  name: string;
  /** CSS colour (#rrggbb) the neuron is drawn in. */
  color: string;
  soma: Soma | null;
  /** Branches in creation order; a parent always precedes its children after normalisation is not assumed. */
  branches: Branch[];
  /** Present when the neuron was traced automatically: how, and which branches the tracer made. */
  auto?: AutoProvenance;
}

/**
 * Provenance of an automatic trace. Each branch the tracer made is listed with the signature of its nodes at that
 * moment; a branch whose current nodes still have that signature is "kept unchanged" (see autoUnchangedShare).
 */
export interface AutoProvenance {
  /** Tracer and version, e.g. "ramify-app2 38". */
  tracer: string;
  /** Settings of the trace (detail level, λ, gap, …), as reported by the tracer. */
  parameters: Record<string, number | string | boolean | null>;
  branches: Array<{ branchId: BranchId; signature: string }>;
}

/** FNV-1a of a branch's parent and node coordinates (to 1/1000 px): changes when any node moves, is added or removed. */
export function branchSignature(branch: Branch): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    const s = String(Math.round(v * 1000));
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 44, 0x01000193);
  };
  mix(branch.parent.kind === 'node' ? branch.parent.nodeId : branch.parent.kind === 'soma' ? -1 : -2);
  for (const p of branch.nodes) {
    mix(p.x);
    mix(p.y);
    mix(p.z);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A cell body: a point, or a closed polygon outline whose centroid is the centre. */
export type Soma =
  | { kind: 'point'; /** Centre in image px. */ x: number; y: number; /** z in px (0 for 2D). */ z: number; /** Radius in px, when known. */ r?: number }
  | { kind: 'polygon'; /** Outline vertices in image px, not closed (last ≠ first). */ points: Array<{ x: number; y: number }>; z: number };

/** What a branch is: standard SWC types plus user-named ones. */
export type BranchLabel = 'dendrite' | 'apical' | 'axon' | 'undefined' | `custom:${string}`;

/** Where a branch starts. */
export type BranchParent = { kind: 'soma' } | { kind: 'node'; nodeId: NodeId } | { kind: 'none' };

export interface Branch {
  id: BranchId;
  label: BranchLabel;
  parent: BranchParent;
  /**
   * Traced vertices from proximal to distal. For a branch on a node, the parent node is the implicit first point
   * of the polyline and is not repeated here. For a soma branch, the stretch from the soma centre to nodes[0] is
   * the stem (reported separately, not part of dendritic length).
   */
  nodes: TraceNode[];
}

export interface TraceNode {
  id: NodeId;
  /** Image px. */
  x: number;
  y: number;
  /** px along z; 0 for 2D tracings. */
  z: number;
  /** Radius in px, when known (SWC import). */
  r?: number;
}

export const NEURON_COLORS = ['#ffd400', '#00e5ff', '#ff5cf0', '#7cff4f', '#ff8c1a', '#a98bff', '#ff4f6a', '#4fffc3'] as const;

export function emptyDocument(calibration: Calibration | null = null): AnnotationDocument {
  return { neurons: [], nextId: 1, calibration };
}

/** Centre of the soma: the point, or the area centroid of the polygon (vertex mean for degenerate outlines). */
export function somaCenter(soma: Soma): { x: number; y: number; z: number } {
  if (soma.kind === 'point') return { x: soma.x, y: soma.y, z: soma.z };
  const p = soma.points;
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i];
    const r = p[(i + 1) % p.length];
    const cross = q.x * r.y - r.x * q.y;
    a += cross;
    cx += (q.x + r.x) * cross;
    cy += (q.y + r.y) * cross;
  }
  if (Math.abs(a) < 1e-12) {
    const n = Math.max(1, p.length);
    return { x: p.reduce((s, v) => s + v.x, 0) / n, y: p.reduce((s, v) => s + v.y, 0) / n, z: soma.z };
  }
  return { x: cx / (3 * a), y: cy / (3 * a), z: soma.z };
}
