import type { AnnotationDocument } from '../model/document';
import { actionLabel, type Action } from './actions';
import { applyAction } from './reducer';

/**
 * Unlimited undo/redo by snapshots. Documents are immutable and share unchanged parts, so keeping every previous
 * document costs only the objects each edit replaced (a moved node: one node, its branch's node array, the path up).
 * Stacks are persistent linked lists, so every operation is O(1) and a History value is itself immutable.
 * Selection and camera are view state and are deliberately not recorded here.
 */

/** One step of history. */
export interface HistoryEntry {
  /** Human name of the edit ("Move node"), for "Undo Move node" / "Redo Move node". */
  readonly label: string;
  /** The document on the other side of the step: before the edit (undo stack) or after it (redo stack). */
  readonly doc: AnnotationDocument;
}

/** A persistent stack of entries, top first. */
export interface HistoryStack {
  /** Most recent entry. */
  readonly top: HistoryEntry;
  /** The rest of the stack; null at the bottom. */
  readonly below: HistoryStack | null;
  /** Number of entries including this one. */
  readonly size: number;
}

export interface History {
  /** The current document. */
  readonly present: AnnotationDocument;
  /** Undo steps, most recent on top. */
  readonly past: HistoryStack | null;
  /** Redo steps, next one on top; emptied by any new edit. */
  readonly future: HistoryStack | null;
  /** coalesceKey of the newest undo step while later edits with the same key may still fold into it; null otherwise. */
  readonly openKey: string | null;
}

export interface DispatchOptions {
  /**
   * Consecutive edits with the same key make one undo step (the newest label wins), e.g. every moveNode of a drag.
   * The group ends at an edit with another or no key, at undo/redo, or at endCoalescing (call it on drag end, or
   * make the key unique per gesture, so two drags of the same node stay two steps).
   */
  coalesceKey?: string;
  /** Names the undo step instead of the action's own name, e.g. 'Trace path' for every click of one traced path. */
  label?: string;
}

const push = (stack: HistoryStack | null, top: HistoryEntry): HistoryStack => ({ top, below: stack, size: (stack?.size ?? 0) + 1 });

/** A fresh history: opening or loading a document starts here, with nothing to undo. */
export function createHistory(doc: AnnotationDocument): History {
  return { present: doc, past: null, future: null, openKey: null };
}

/** Applies an action; an action that leaves the document as it was records nothing and keeps the redo stack. */
export function dispatch(history: History, action: Action, opts?: DispatchOptions): History {
  return commit(history, applyAction(history.present, action), opts?.label ?? actionLabel(action), opts);
}

/**
 * Records `next` as the result of an edit named `label`. For edits built outside the reducer (e.g. merging an
 * imported tracing file as one step); `next` must be a new immutable document derived from history.present.
 */
export function commit(history: History, next: AnnotationDocument, label: string, opts?: DispatchOptions): History {
  if (next === history.present) return history;
  const key = opts?.coalesceKey ?? null;
  if (key !== null && key === history.openKey && history.past) {
    // Fold into the open step: it still undoes to the document before the first edit of the group.
    const past: HistoryStack = { top: { label, doc: history.past.top.doc }, below: history.past.below, size: history.past.size };
    return { present: next, past, future: null, openKey: key };
  }
  return { present: next, past: push(history.past, { label, doc: history.present }), future: null, openKey: key };
}

/** Closes the open coalescing group so the next edit starts a new undo step even with the same key. */
export function endCoalescing(history: History): History {
  return history.openKey === null ? history : { ...history, openKey: null };
}

export function canUndo(history: History): boolean {
  return history.past !== null;
}

export function canRedo(history: History): boolean {
  return history.future !== null;
}

/** Back one step; the same history when there is nothing to undo. */
export function undo(history: History): History {
  const p = history.past;
  if (!p) return history;
  return { present: p.top.doc, past: p.below, future: push(history.future, { label: p.top.label, doc: history.present }), openKey: null };
}

/** Forward one step; the same history when there is nothing to redo. */
export function redo(history: History): History {
  const f = history.future;
  if (!f) return history;
  return { present: f.top.doc, past: push(history.past, { label: f.top.label, doc: history.present }), future: f.below, openKey: null };
}

/** Name of the step undo would revert ("Move node"), or null. */
export function undoLabel(history: History): string | null {
  return history.past?.top.label ?? null;
}

/** Name of the step redo would re-apply, or null. */
export function redoLabel(history: History): string | null {
  return history.future?.top.label ?? null;
}

/** Number of undo steps available. */
export function undoDepth(history: History): number {
  return history.past?.size ?? 0;
}

/** Number of redo steps available. */
export function redoDepth(history: History): number {
  return history.future?.size ?? 0;
}
