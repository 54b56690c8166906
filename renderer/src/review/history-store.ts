import { useMemo } from 'react';
import { create } from 'zustand';
import { diffDocuments, edgeChanges, type EdgeChanges } from '../../../shared/model/diff';
import { snapshotDocument, type FileHistory } from '../../../shared/review/history';
import { useDoc } from '../stores/doc-store';

/**
 * The open file's change history as main last wrote or read it (main appends to it on save; the renderer only
 * shows it), and whether the canvas highlights what changed since the last review. Session state, never an edit.
 */
export interface HistoryState {
  history: FileHistory | undefined;
  /** "Changes since review" drawn on the canvas. */
  showChanges: boolean;
}

export const useHistory = create<HistoryState>(() => ({ history: undefined, showChanges: false }));
export const historyStore = { get: useHistory.getState, set: useHistory.setState };

/** The D key and the panel's toggle. */
export const toggleChanges = () => historyStore.set({ showChanges: !historyStore.get().showChanges });

/** The tracing now against the tracing as last reviewed: what to draw, and how many nodes came and went. */
export interface ChangesSinceReview {
  reviewedBy: string;
  reviewedAt: string;
  edges: EdgeChanges;
  nodesAdded: number;
  nodesRemoved: number;
  nodesMoved: number;
}

/** Recomputed when the document or the snapshot changes (a diff by id: linear in the nodes). */
export function useChangesSinceReview(): ChangesSinceReview | null {
  const reviewed = useHistory((s) => s.history?.reviewed);
  const doc = useDoc((s) => s.history.present);
  const before = useMemo(() => (reviewed ? snapshotDocument(reviewed) : null), [reviewed]);
  return useMemo(() => {
    if (!reviewed || !before) return null;
    const d = diffDocuments(before, doc);
    const sum = (k: 'added' | 'removed' | 'moved') => d.neurons.reduce((s, n) => s + n.nodes[k].length, 0);
    return { reviewedBy: reviewed.by, reviewedAt: reviewed.at, edges: edgeChanges(before, doc), nodesAdded: sum('added'), nodesRemoved: sum('removed'), nodesMoved: sum('moved') };
  }, [reviewed, before, doc]);
}
