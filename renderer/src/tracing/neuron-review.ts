import type { AnnotationDocument, BranchId, NeuronId } from '../../../shared/model/document';
import { findNeuron } from '../../../shared/model/queries';
import { showNeuron } from '../controller/document-controller';
import { docStore, neuronOfSelection } from '../stores/doc-store';
import { viewer } from '../stores/viewer-store';
import { acceptAutoTrace, useAutoTrace } from './autotrace-session';
import { neuronDoubtOrder, showDoubt, wasShown } from './doubt-review';

/**
 * Reviewing the neurons of an automatic trace from the keyboard with one key. V shows the first neuron awaiting review
 * (selected, the view fitted to it); each further V brings its next uncertain path to the middle of the view (Delete
 * it if wrong, Keep it, or just look), and once none is left it accepts the neuron and shows the next one. Shift+V
 * leaves the neuron shown for later. A neuron is never accepted by V before each of its uncertain paths has been on
 * screen, and the review ends with the last V as with the last Accept.
 */

/** Where the review of the neuron shown stands: the uncertain path last brought to view, and its index among them then. */
export interface ReviewPlace {
  neuron: NeuronId;
  path: BranchId | null;
  at: number;
}

/** What one V or Shift+V does. */
export type ReviewMove = { kind: 'neuron'; show: NeuronId; accept: NeuronId | null } | { kind: 'path'; show: BranchId; at: number } | { kind: 'done'; accept: NeuronId } | { kind: 'none' };

/**
 * One step of the review. `pending`: the neurons awaiting review in the panel's order; `place`: the neuron shown and
 * how far through its uncertain paths (`own`, in order) the technician is, or null when none is shown. The neuron
 * shown may have left the review meanwhile (a path of it deleted or edited: corrected by hand, it counts as accepted);
 * its uncertain paths are still gone through. A path gone from `own` since it was shown (deleted, or kept) leaves its
 * place: the next is the one that followed it. V (`accept`) shows the next uncertain path of the neuron, else accepts
 * it and shows the next neuron (wrapping round); Shift+V shows the next neuron and accepts nothing. `neurons`: every
 * neuron in the document's order, to find the one after a neuron that left the review. A neuron shown again (left for
 * later, come back to) starts at its first uncertain path not `shownBefore`.
 */
export function reviewMove(pending: readonly NeuronId[], place: ReviewPlace | null, own: readonly BranchId[], accept: boolean, neurons: readonly NeuronId[] = pending, shownBefore: (id: BranchId) => boolean = () => false): ReviewMove {
  const show = (id: NeuronId | undefined): ReviewMove => (id === undefined ? { kind: 'none' } : { kind: 'neuron', show: id, accept: null });
  if (place === null) return show(pending[0]);
  const k = pending.indexOf(place.neuron);
  // After a neuron that left the review: the next awaiting review in the document's order.
  const after = () => show(neurons.slice(neurons.indexOf(place.neuron) + 1).find((id) => pending.includes(id)) ?? pending[0]);
  if (!accept) return k < 0 ? after() : show(pending[(k + 1) % pending.length]);
  const unseen = own.findIndex((id) => !shownBefore(id));
  const j = place.path === null ? -1 : own.indexOf(place.path);
  const i = place.path === null ? (unseen < 0 ? own.length : unseen) : j >= 0 ? j + 1 : place.at;
  if (i < own.length) return { kind: 'path', show: own[i], at: i };
  if (k < 0) return after();
  const rest = pending.filter((id) => id !== place.neuron);
  return rest.length === 0 ? { kind: 'done', accept: place.neuron } : { kind: 'neuron', show: rest[k % rest.length], accept: place.neuron };
}

/** The neurons awaiting review that are in the document, in the order the Auto panel lists them. */
export function pendingShown(doc: AnnotationDocument): NeuronId[] {
  return useAutoTrace.getState().pending.filter((id) => findNeuron(doc, id));
}

/** The place V last left, and the image it is on, by its handle (ids start again on another; blinding renames it). */
let last: (ReviewPlace & { file: unknown }) | null = null;

/**
 * The review's place now: from the selection when it is in a neuron awaiting review, or in the neuron V last showed
 * (an uncertain path of it selected counts as shown, however it was reached); else where V last left it (a path
 * deleted leaves nothing selected).
 */
function placeNow(doc: AnnotationDocument, pending: readonly NeuronId[], own: (neuron: NeuronId) => BranchId[]): ReviewPlace | null {
  const selection = docStore.get().selection;
  const neuron = neuronOfSelection(doc, selection);
  const remembered = last && last.file === viewer.get().file?.handle && findNeuron(doc, last.neuron) ? last : null;
  const inReview = (id: NeuronId) => pending.includes(id) || id === remembered?.neuron;
  if (neuron === null || !inReview(neuron)) return selection === null ? remembered : null;
  const doubts = own(neuron);
  if (selection?.kind === 'branch' && doubts.includes(selection.branchId)) return { neuron, path: selection.branchId, at: doubts.indexOf(selection.branchId) };
  return remembered?.neuron === neuron && remembered.path !== null ? remembered : { neuron, path: null, at: 0 };
}

/** What V (`accept`) or Shift+V would do now, and from where. Changes nothing. */
export function reviewMoveNow(accept: boolean): { place: ReviewPlace | null; move: ReviewMove } {
  const doc = docStore.doc();
  const pending = pendingShown(doc);
  const own = (neuron: NeuronId) => neuronDoubtOrder(doc, useAutoTrace.getState().doubtful, neuron);
  const place = placeNow(doc, pending, own);
  return { place, move: reviewMove(pending, place, place ? own(place.neuron) : [], accept, doc.neurons.map((n) => n.id), (id) => wasShown(doc, id)) };
}

/** What the panel says the next V does (`move`, from `place`), so the key is never a guess. */
export function reviewHint({ place, move }: { place: ReviewPlace | null; move: ReviewMove }): string | null {
  const later = '; Shift+V leaves it for later.';
  switch (move.kind) {
    case 'none':
      return null;
    case 'path':
      return `V shows the next uncertain path of the neuron shown${later}`;
    case 'done':
      return 'V accepts the neuron shown: the last awaiting review.';
    case 'neuron':
      if (move.accept !== null) return `V accepts the neuron shown and shows the next${later}`;
      return place === null ? 'V shows the first neuron awaiting review.' : 'V shows the next neuron awaiting review.';
  }
}

/** V (the next uncertain path of the neuron shown, else accept it and show the next) and Shift+V (the next neuron). */
export function stepNeuronReview(accept: boolean): void {
  if (useAutoTrace.getState().busy) return;
  const { place, move } = reviewMoveNow(accept);
  const file = viewer.get().file?.handle;
  if (move.kind === 'path' && place) {
    last = { neuron: place.neuron, path: move.show, at: move.at, file };
    showDoubt(move.show);
    return;
  }
  if (move.kind === 'neuron' || move.kind === 'done') {
    if (move.accept !== null) acceptAutoTrace(move.accept);
    last = move.kind === 'neuron' ? { neuron: move.show, path: null, at: 0, file } : null;
    if (move.kind === 'neuron') showNeuron(move.show);
  }
}
