import type { AnnotationDocument, NeuronId } from '../../../shared/model/document';
import { findBranch, findNode, findNeuron } from '../../../shared/model/queries';
import { showNeuron } from '../controller/document-controller';
import { docStore, type Selection } from '../stores/doc-store';
import { acceptAutoTrace, useAutoTrace } from './autotrace-session';

/**
 * Reviewing the neurons of an automatic trace from the keyboard, one after another: V shows the first neuron awaiting
 * review (selected, the view fitted to it); once it has been looked at (its uncertain paths checked with U, a wrong
 * path deleted), V accepts it and shows the next. Shift+V passes it by for now. A field of a dozen neurons is then
 * reviewed without reaching for the panel's buttons, and the review ends with the last V as with the last Accept.
 */

/** The neuron the selection is in: the selected neuron, or the neuron of the selected path or node. */
export function neuronOfSelection(doc: AnnotationDocument, selection: Selection): NeuronId | null {
  if (!selection) return null;
  if (selection.kind === 'neuron') return findNeuron(doc, selection.neuronId) ? selection.neuronId : null;
  const at = selection.kind === 'branch' ? findBranch(doc, selection.branchId) : findNode(doc, selection.nodeId);
  return at ? at.neuron.id : null;
}

/**
 * What one step of the review does, given the neurons awaiting review in the panel's order and the one shown (null
 * when the selection is on none of them): which one to accept, and which to show next. Nothing shown yet: the first
 * is shown and none accepted. Accepting the last one shows nothing (the review is over); passing one by wraps round.
 */
export function reviewStep(pending: readonly NeuronId[], shown: NeuronId | null, accept: boolean): { accept: NeuronId | null; show: NeuronId | null } {
  const k = shown === null ? -1 : pending.indexOf(shown);
  if (k < 0) return { accept: null, show: pending[0] ?? null };
  if (!accept) return { accept: null, show: pending[(k + 1) % pending.length] };
  const rest = pending.filter((id) => id !== shown);
  return { accept: shown, show: rest.length === 0 ? null : rest[k % rest.length] };
}

/** The neurons awaiting review that are in the document, in the order the Auto panel lists them. */
export function pendingShown(doc: AnnotationDocument): NeuronId[] {
  return useAutoTrace.getState().pending.filter((id) => findNeuron(doc, id));
}

/** V (accept the neuron shown, show the next) and Shift+V (show the next, accept nothing). */
export function stepNeuronReview(accept: boolean): void {
  const state = useAutoTrace.getState();
  if (state.busy) return;
  const doc = docStore.doc();
  const pending = pendingShown(doc);
  const step = reviewStep(pending, neuronOfSelection(doc, docStore.get().selection), accept);
  if (step.accept !== null) acceptAutoTrace(step.accept);
  if (step.show !== null) showNeuron(step.show);
}
