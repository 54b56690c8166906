/** What the automatic tracer gives: neurons of branches of nodes in image px, with what it doubts. */

export interface AutoNode {
  /** Document px. */
  x: number;
  y: number;
  /** Radius in px from the distance transform. */
  r: number;
  /** Slice index (fractional) when a z-stack was traced on its projection (depth.ts); absent on a single plane. */
  z?: number;
}

export interface AutoBranch {
  /** Index of the parent branch in the neuron's list, −1 for a branch on the soma (or the first branch of a fibre). */
  parent: number;
  /** Index into the parent's nodes of the node this branch starts at (−1 with parent −1). */
  parentNode: number;
  /** Nodes proximal to distal; the parent node is not repeated. */
  nodes: AutoNode[];
  /**
   * Why the tracer is unsure of it: 'gap' (crosses a dark gap), 'contact' (touches another cell's ground), 'faint',
   * 'crossing' (continued across another neurite of the cell, crossings.ts).
   */
  doubts: BranchDoubt[];
  /**
   * Where on it the doubts lie, in image px: the middle of each dark gap it crosses, where it first touches another
   * cell's ground, each crossing it was continued across ('faint' has no one place). The review rings them and
   * centres the view on the first, so the technician looks at the gap and not along the whole path.
   */
  spots: DoubtSpot[];
}

/** Why the tracer is unsure of a branch (see AutoBranch.doubts). */
export type BranchDoubt = 'gap' | 'contact' | 'faint' | 'crossing';

export interface DoubtSpot {
  doubt: Exclude<BranchDoubt, 'faint'>;
  x: number;
  y: number;
}

export interface AutoNeuron {
  /** Where the trace started (cell body centre, or the fibre start). */
  soma: AutoNode;
  /** True when the start is a fibre (no cell body): the first branch then begins at `soma`. */
  fibre: boolean;
  branches: AutoBranch[];
}

/**
 * True for a start that gave nothing: a click on background, with no stained neurite within reach, starts a fibre
 * with no branch. The app adds no neuron for it and says nothing was found; the CLI says so for that --soma.
 */
export function tracedNothing(n: AutoNeuron): boolean {
  return n.fibre && n.branches.length === 0;
}
