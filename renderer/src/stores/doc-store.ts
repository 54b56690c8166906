import { create } from 'zustand';
import type { Action } from '../../../shared/actions/actions';
import { commit as commitHistory, createHistory, dispatch as dispatchAction, endCoalescing, redo as redoHistory, undo as undoHistory, type DispatchOptions, type History } from '../../../shared/actions/history';
import { emptyDocument, type AnnotationDocument, type BranchId, type NeuronId, type NodeId } from '../../../shared/model/document';
import { findBranch, findNeuron, findNode } from '../../../shared/model/queries';

/** What is selected on the canvas; session state, never saved and never an undo step. */
export type Selection = { kind: 'node'; nodeId: NodeId } | { kind: 'branch'; branchId: BranchId } | { kind: 'neuron'; neuronId: NeuronId } | null;

export interface DocState {
  history: History;
  selection: Selection;
  /** Neuron new branches and somata go to. */
  activeNeuronId: NeuronId | null;
  /** The document as last saved or loaded, to tell unsaved changes. */
  savedDoc: AnnotationDocument;
}

const fresh = (doc: AnnotationDocument): DocState => ({ history: createHistory(doc), selection: null, activeNeuronId: doc.neurons[0]?.id ?? null, savedDoc: doc });

export const useDoc = create<DocState>(() => fresh(emptyDocument()));

export const docStore = {
  get: useDoc.getState,
  doc: () => useDoc.getState().history.present,
  /** Starts a new document (opening an image or a file): not an undo step. */
  reset(doc: AnnotationDocument): void {
    useDoc.setState(fresh(doc));
  },
  /** Applies a named edit; selection that no longer exists is dropped. */
  dispatch(action: Action, opts?: DispatchOptions): AnnotationDocument {
    const s = useDoc.getState();
    const history = dispatchAction(s.history, action, opts);
    if (history !== s.history) useDoc.setState({ history, selection: validSelection(history.present, s.selection), activeNeuronId: validNeuron(history.present, s.activeNeuronId) });
    return history.present;
  },
  /** Records a document built outside the reducer (an import) as one named undo step. */
  commit(next: AnnotationDocument, label: string): void {
    const s = useDoc.getState();
    useDoc.setState({ history: commitHistory(s.history, next, label), activeNeuronId: validNeuron(next, s.activeNeuronId) });
  },
  endGesture(): void {
    const s = useDoc.getState();
    useDoc.setState({ history: endCoalescing(s.history) });
  },
  undo(): void {
    const s = useDoc.getState();
    const history = undoHistory(s.history);
    useDoc.setState({ history, selection: validSelection(history.present, s.selection), activeNeuronId: validNeuron(history.present, s.activeNeuronId) });
  },
  redo(): void {
    const s = useDoc.getState();
    const history = redoHistory(s.history);
    useDoc.setState({ history, selection: validSelection(history.present, s.selection), activeNeuronId: validNeuron(history.present, s.activeNeuronId) });
  },
  select(selection: Selection): void {
    const neuronId = selection?.kind === 'neuron' ? selection.neuronId : (neuronOfSelection(docStore.doc(), selection) ?? useDoc.getState().activeNeuronId);
    useDoc.setState({ selection, activeNeuronId: neuronId });
  },
  setActiveNeuron(neuronId: NeuronId | null): void {
    useDoc.setState({ activeNeuronId: neuronId });
  },
  markSaved(doc: AnnotationDocument): void {
    useDoc.setState({ savedDoc: doc });
  },
};

function validSelection(doc: AnnotationDocument, sel: Selection): Selection {
  if (!sel) return sel;
  if (sel.kind === 'node') return findNode(doc, sel.nodeId) ? sel : null;
  if (sel.kind === 'branch') return findBranch(doc, sel.branchId) ? sel : null;
  return findNeuron(doc, sel.neuronId) ? sel : null;
}

function validNeuron(doc: AnnotationDocument, id: NeuronId | null): NeuronId | null {
  if (id !== null && findNeuron(doc, id)) return id;
  return doc.neurons.at(-1)?.id ?? null;
}

/** The neuron the selection is in: the selected neuron, or the neuron of the selected path or node; null for none. */
export function neuronOfSelection(doc: AnnotationDocument, selection: Selection): NeuronId | null {
  if (!selection) return null;
  if (selection.kind === 'neuron') return findNeuron(doc, selection.neuronId) ? selection.neuronId : null;
  const at = selection.kind === 'branch' ? findBranch(doc, selection.branchId) : findNode(doc, selection.nodeId);
  return at ? at.neuron.id : null;
}
