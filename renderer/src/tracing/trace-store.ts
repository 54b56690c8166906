import { create } from 'zustand';
import type { PixelRect } from '../../../shared/tracing/auto/window';
import type { BranchId, NeuronId, NodeId } from '../../../shared/model/document';

/** Where a branch being traced starts. */
export type TraceStart =
  | { kind: 'soma'; neuronId: NeuronId }
  | { kind: 'node'; neuronId: NeuronId; nodeId: NodeId }
  | { kind: 'segment'; neuronId: NeuronId; branchId: BranchId; segmentIndex: number }
  | { kind: 'free'; neuronId: NeuronId };

/**
 * A path being traced: session state. Committed segments are already in the document; every edit of one draft
 * shares `undoKey`, so the finished path is one undo step.
 */
export interface TraceDraft {
  start: TraceStart;
  /** Coalescing key of this draft's edits (see DispatchOptions.coalesceKey). */
  undoKey: string;
  /** The start point, image px. */
  origin: [number, number];
  /** Set once the first segment is committed. */
  branchId: BranchId | null;
  /** Nodes each committed segment added, for Backspace. */
  segmentSizes: number[];
  /** Last fixed anchor, image px. */
  anchor: [number, number];
  /** Path from the anchor to the cursor (live-wire or straight). */
  preview: Array<[number, number]>;
}

export type Pick = { kind: 'join'; branchId: BranchId; end: 'first' | 'last' } | { kind: 'reparent'; branchId: BranchId } | null;

export interface TraceState {
  /** Live-wire readiness for the current plane. */
  status: 'idle' | 'computing' | 'ready' | 'error';
  statusMessage: string | null;
  /** Channel (0-based) the cost image is computed on. */
  channel: number;
  /** Ridge filter scale σ in px. */
  scale: number;
  /** Cursor snaps to the ridge within a few px. */
  snap: boolean;
  draft: TraceDraft | null;
  /** Soma outline being drawn, image px. */
  polygon: Array<[number, number]> | null;
  /** Waiting for a click on a target (join / reattach). */
  pick: Pick;
  /** Cursor in image px while a tool is active (for drawing rubber bands). */
  hover: [number, number] | null;
  costMs: number | null;
  searchMs: number | null;
  /** Time of the last stretch's snapping, path and centre-line refinement in the worker. */
  refineMs: number | null;
  /** The part of a large image the live-wire reads (live-wire-window.ts); null when it reads the whole plane. */
  window: PixelRect | null;
}

export const useTrace = create<TraceState>(() => ({
  status: 'idle',
  statusMessage: null,
  channel: 0,
  scale: 2,
  snap: true,
  draft: null,
  polygon: null,
  pick: null,
  hover: null,
  costMs: null,
  searchMs: null,
  refineMs: null,
  window: null,
}));

export const traceStore = { get: useTrace.getState, set: useTrace.setState };
