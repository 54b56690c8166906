import type { Calibration } from '../image/types';
import type { BranchId, BranchLabel, BranchParent, NeuronId, NodeId, Soma } from '../model/document';

/**
 * Every edit of an annotation document is one of these named, serializable actions; applyAction (reducer.ts) turns
 * (document, action) into the next document, history.ts records them for undo. Positions are image px.
 *
 * Ids: an action that creates things hands out doc.nextId, doc.nextId + 1, … in the order its comment states, so
 * the caller knows the new ids before dispatching (e.g. the new neuron of addNeuron is doc.nextId).
 *
 * Segment numbering (insertNode, addBranchOnSegment, hitTest): segment k of a branch ends at branch.nodes[k] and
 * starts at nodes[k − 1], or at the parent node when k = 0 (only branches on a node have a segment 0).
 */

/** A vertex to create; z defaults to 0 (2D), r is the radius in px when known. */
export interface NodeInput {
  /** Image px. */
  x: number;
  /** Image px. */
  y: number;
  /** px along z; 0 when omitted. */
  z?: number;
  /** Radius in px (≥ 0), when known. */
  r?: number;
}

/** Which end of a branch: its first (proximal) node or its last (distal) node. */
export type BranchEnd = 'first' | 'last';

/** Ids: neuron. Name defaults to the first free "Neuron N"; colour to the least-used of NEURON_COLORS. */
export interface AddNeuron { type: 'addNeuron'; name?: string; color?: string; soma?: Soma | null }
export interface RenameNeuron { type: 'renameNeuron'; neuronId: NeuronId; name: string }
/** Colour as #rrggbb. */
export interface SetNeuronColor { type: 'setNeuronColor'; neuronId: NeuronId; color: string }
/** Removes the neuron and everything traced in it. */
export interface DeleteNeuron { type: 'deleteNeuron'; neuronId: NeuronId }
/** Replaces the soma (point or polygon of ≥ 3 vertices). */
export interface SetSoma { type: 'setSoma'; neuronId: NeuronId; soma: Soma }
/**
 * Places (or moves) the soma and, in the same step, attaches every detached tracing that starts or ends at it (see
 * somaCatches in soma-catch.ts): `attachWithin` px outside the soma (from the outline of a polygon, from the edge of
 * a point soma with a radius, from the centre of one without). Each caught tree is re-rooted at the caught end as
 * attachToSoma does, and moves into this neuron. Ids: one new path per split, as attachToSoma.
 */
export interface PlaceSoma { type: 'placeSoma'; neuronId: NeuronId; soma: Soma; attachWithin: number }
/** Removes the soma; branches on it stay soma branches (they start at their first node until a soma is set again). */
export interface ClearSoma { type: 'clearSoma'; neuronId: NeuronId }
/**
 * Ids: branch, then its nodes in order. A soma parent needs the neuron to have a soma; a node parent must be in the
 * same neuron. Label defaults to the parent branch's label on a node, 'dendrite' otherwise.
 */
export interface AddBranch { type: 'addBranch'; neuronId: NeuronId; parent: BranchParent; nodes: NodeInput[]; label?: BranchLabel }
/**
 * Starts a branch from the middle of a segment in one undo step: inserts a node at `at` on segment `segmentIndex` of
 * branch `branchId` (z interpolated), then a branch on that node with `nodes`. Ids: inserted node, branch, its nodes.
 */
export interface AddBranchOnSegment {
  type: 'addBranchOnSegment';
  branchId: BranchId;
  segmentIndex: number;
  at: { x: number; y: number };
  nodes: NodeInput[];
  label?: BranchLabel;
}
/** Appends nodes at the distal end (one live-wire stretch = one action). Ids: the nodes in order. */
export interface ExtendBranch { type: 'extendBranch'; branchId: BranchId; nodes: NodeInput[] }
/**
 * Removes the last `count` nodes (1 ≤ count ≤ length). Branches on removed nodes move to the last remaining node;
 * removing all nodes deletes the branch and its child branches move to its parent.
 */
export interface RemoveLastNodes { type: 'removeLastNodes'; branchId: BranchId; count: number }
/** Moves a node in the image plane (z unchanged). Dispatch with a coalesceKey during a drag. */
export interface MoveNode { type: 'moveNode'; nodeId: NodeId; x: number; y: number }
/**
 * Inserts a node on segment `index` (it becomes branch.nodes[index]); z and r are interpolated along the segment.
 * Ids: the node.
 */
export interface InsertNode { type: 'insertNode'; branchId: BranchId; index: number; x: number; y: number }
/**
 * Removes a node; its branch closes over it. Branches on it move to its tree parent: the previous node of its
 * branch, or for a first node the branch's own parent (soma, node or none). The only node of a branch: the branch
 * is deleted and branches on that node move to the branch's parent.
 */
export interface DeleteNode { type: 'deleteNode'; nodeId: NodeId }
/** Deletes the branch with all branches below it, recursively. */
export interface DeleteBranch { type: 'deleteBranch'; branchId: BranchId }
/**
 * Nodes after `nodeId` become a new branch on `nodeId` (same label), placed right after the original; the node
 * tree is unchanged. Ids: the new branch. Splitting at the last node is a no-op.
 */
export interface SplitBranch { type: 'splitBranch'; branchId: BranchId; nodeId: NodeId }
/**
 * Connects a detached tracing to a node, by the chosen end of one of its branches. Valid when the branch's tree is
 * detached (the top branch of its chain of parents has parent none) and does not contain the target node. The tree
 * is re-rooted at the chosen end: with 'last' the branch's nodes are reversed; every branch on the path from it up
 * to the old detached root is reversed too, and split where the path enters it (the part beyond the entry point
 * becomes a new branch on the entry node, same label). The chosen branch then starts at the target node. A target in
 * another neuron moves the whole tree into that neuron. Connected (soma or node) trees use reparentBranch instead.
 * Ids: one new branch per split, in path order.
 */
export interface JoinTip { type: 'joinTip'; branchId: BranchId; end: BranchEnd; targetNodeId: NodeId }
/** Like joinTip, but the chosen end starts at the soma of `neuronId` (which must have a soma). */
export interface AttachToSoma { type: 'attachToSoma'; branchId: BranchId; end: BranchEnd; neuronId: NeuronId }
/**
 * Moves a branch (with its sub-branches) to another start within its neuron: the soma (must exist), a node not in
 * its own subtree, or none (detach). Node order is unchanged.
 */
export interface ReparentBranch { type: 'reparentBranch'; branchId: BranchId; parent: BranchParent }
/** Sets the label of the branch, and with `recursive` of every branch below it. */
export interface SetBranchLabel { type: 'setBranchLabel'; branchId: BranchId; label: BranchLabel; recursive?: boolean }
/** A branch that starts at the last node of its parent branch becomes the continuation of that branch (parent's id and label kept). */
export interface MergeBranchIntoParent { type: 'mergeBranchIntoParent'; branchId: BranchId }
/**
 * Moves a branch with its sub-branches to another neuron. A soma branch goes onto the target's soma when it has
 * one; otherwise the moved branch becomes detached.
 */
export interface MoveBranchToNeuron { type: 'moveBranchToNeuron'; branchId: BranchId; neuronId: NeuronId }
/** One branch of a whole traced tree; parents refer to earlier branches of the same list. */
export interface TracedBranchInput {
  /** Index of the parent branch in the list; −1 = on the soma (the neuron must have one) or detached without. */
  parent: number;
  /** With parent ≥ 0: index of the parent branch's node this branch starts at. */
  parentNode: number;
  nodes: NodeInput[];
  label?: BranchLabel;
}
/**
 * A whole neuron at once (an automatic trace), so that it is one undo step. Ids: the neuron, then for each branch in
 * order its id followed by its nodes' ids. Name and colour default as for addNeuron.
 */
export interface AddTracedNeuron {
  type: 'addTracedNeuron';
  name?: string;
  color?: string;
  soma: Soma | null;
  branches: TracedBranchInput[];
  /** When given, the neuron records that its branches came from this tracer with these settings. */
  provenance?: { tracer: string; parameters: Record<string, number | string | boolean | null> };
}
/**
 * Replaces the soma and every branch of a neuron with a new traced tree (an automatic trace re-pruned at another
 * detail level). Ids: each branch followed by its nodes, from nextId; name and colour are kept.
 */
export interface ReplaceTracedNeuron { type: 'replaceTracedNeuron'; neuronId: NeuronId; soma: Soma | null; branches: TracedBranchInput[]; provenance?: AddTracedNeuron['provenance'] }
/** Pixel size (µm) or null for uncalibrated. */
export interface SetCalibration { type: 'setCalibration'; calibration: Calibration | null }

export type Action =
  | AddNeuron
  | AddTracedNeuron
  | ReplaceTracedNeuron
  | RenameNeuron
  | SetNeuronColor
  | DeleteNeuron
  | SetSoma
  | PlaceSoma
  | ClearSoma
  | AddBranch
  | AddBranchOnSegment
  | ExtendBranch
  | RemoveLastNodes
  | MoveNode
  | InsertNode
  | DeleteNode
  | DeleteBranch
  | SplitBranch
  | JoinTip
  | AttachToSoma
  | ReparentBranch
  | SetBranchLabel
  | MergeBranchIntoParent
  | MoveBranchToNeuron
  | SetCalibration;

export type ActionType = Action['type'];

/** Human name of an action for menus ("Undo Move node"). */
export function actionLabel(action: Action): string {
  switch (action.type) {
    case 'addNeuron': return 'Add neuron';
    case 'addTracedNeuron': return 'Automatic trace';
    case 'replaceTracedNeuron': return 'Automatic trace';
    case 'renameNeuron': return 'Rename neuron';
    case 'setNeuronColor': return 'Change neuron colour';
    case 'deleteNeuron': return 'Delete neuron';
    case 'setSoma': return 'Set soma';
    case 'placeSoma': return 'Place soma';
    case 'clearSoma': return 'Clear soma';
    case 'addBranch': return 'Add path';
    case 'addBranchOnSegment': return 'Add path';
    case 'extendBranch': return 'Extend path';
    case 'removeLastNodes': return action.count === 1 ? 'Remove last node' : 'Remove last nodes';
    case 'moveNode': return 'Move node';
    case 'insertNode': return 'Insert node';
    case 'deleteNode': return 'Delete node';
    case 'deleteBranch': return 'Delete path';
    case 'splitBranch': return 'Split path';
    case 'joinTip': return 'Join tip';
    case 'attachToSoma': return 'Attach to soma';
    case 'reparentBranch': return 'Reattach path';
    case 'setBranchLabel': return 'Set path label';
    case 'mergeBranchIntoParent': return 'Merge paths';
    case 'moveBranchToNeuron': return 'Move path to neuron';
    case 'setCalibration': return 'Set calibration';
    default: {
      const _exhaustive: never = action;
      return String((_exhaustive as { type?: unknown }).type ?? 'Edit');
    }
  }
}
