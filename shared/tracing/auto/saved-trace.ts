import { applyAction } from '../../actions/reducer';
import type { Review, ReviewComment } from '../../formats/annotation/types';
import type { FileHistory } from '../../review/history';
import { branchSignature, somaCenter, type AnnotationDocument, type Neuron, type NeuronId } from '../../model/document';
import { findNeuron, locateInNeuron } from '../../model/queries';
import type { AutoNeuron } from './auto-neuron';
import { ASSUMED_UM_PER_PX } from './pixel-size';
import { DETAIL_STEP_UM } from './detail-levels';
import { AUTO_TRACER, autoNeuronReplaceAction, type AutoParameters } from './to-document';

/** Who saves a project's batch trace (the annotation file's history): an image last saved by it awaits its review. */
export const BATCH_TRACER_NAME = 'Ramify automatic tracing';

/** The batch's note on each file it traced ("Traced automatically …; awaiting review."): its index, −1 once resolved. */
export const openBatchNote = (comments: readonly ReviewComment[]): number => comments.findIndex((c) => c.author === BATCH_TRACER_NAME && !c.resolved);

/**
 * A file that opens under review: last saved by the batch, its note still open (the end of that review resolves it),
 * and the image neither approved nor excluded since.
 */
export function awaitsBatchReview(review: Review | null, history: FileHistory | undefined): boolean {
  return history?.entries.at(-1)?.by === BATCH_TRACER_NAME && review !== null && openBatchNote(review.comments) >= 0 && review.status !== 'approved' && review.status !== 'excluded';
}

/** What the bookkeeping of a batch's work reads of a file. */
export interface BatchWorkFile {
  document: { neurons: readonly unknown[] };
  review: Review;
  history?: FileHistory;
}

/** No neuron, and no save recorded: a save with no neuron changed records no history. */
const nothingSaved = (file: BatchWorkFile): boolean => file.document.neurons.length === 0 && (file.history?.entries.length ?? 0) === 0;

/**
 * A file on which a batch found nothing, as it wrote it: no neuron, nothing saved since (a save with no neuron changed
 * records no history, so the history cannot tell), still ready for review, the batch's open note its only comment.
 * Anyone's comment or review status is work to keep.
 */
export function emptyAsTheBatchLeftIt(file: BatchWorkFile): boolean {
  const c = file.review.comments;
  return nothingSaved(file) && file.review.status === 'ready-for-review' && c.length === 1 && openBatchNote(c) === 0;
}

/**
 * The batch's note a save resolves (its index in `file.review`'s comments), or −1: the batch found nothing here and no
 * save has been recorded since (`file`'s document and history as last saved), and the save brings a neuron
 * (`neuronsNow`). Its "0 neurons; awaiting review" would otherwise still ask a reviewer to check work done; a comment
 * or a review status set meanwhile does not change that.
 */
export function batchNoteEndedBySave(file: BatchWorkFile, neuronsNow: number): number {
  return nothingSaved(file) && neuronsNow > 0 ? openBatchNote(file.review.comments) : -1;
}

/**
 * Batch work nobody has checked (the project's "auto-traced, unchecked"): a trace awaiting its review, or an image
 * where the batch found nothing that nobody has looked at since. The second needs checking as much as the first: the
 * wrong channel traced, a cell the detection missed, or a field with truly nothing to trace.
 */
export function uncheckedBatchWork(file: BatchWorkFile): boolean {
  return awaitsBatchReview(file.review, file.history) || emptyAsTheBatchLeftIt(file);
}

/** Node positions and radii of a saved trace and of the same trace made again agree to this (the files keep 1/1000 px). */
const SAME_PX = 0.0015;

/** A neuron as the automatic tracer (any version) left it: every branch it made still has the recorded signature, none added. */
export function untouchedByHand(neuron: Neuron): boolean {
  const auto = neuron.auto;
  if (!auto || auto.branches.length !== neuron.branches.length || neuron.branches.length === 0) return false;
  const recorded = new Map(auto.branches.map((b) => [b.branchId, b.signature]));
  return neuron.branches.every((b) => recorded.get(b.id) === branchSignature(b));
}

/** A neuron as this version of the tracer left it. */
export const untouchedTrace = (neuron: Neuron): boolean => neuron.auto?.tracer === AUTO_TRACER && untouchedByHand(neuron);

/** The neurons of a saved automatic trace that can be reviewed again, and the detail level they were pruned at. */
export interface SavedTrace {
  neurons: NeuronId[];
  parameters: AutoParameters;
  /** The detail slider's level (µm, or µm at the assumed pixel size when uncalibrated) the trace was pruned at. */
  minBranchUm: number;
  /** The channel traced (0-based); null in files written before it was recorded. */
  channel: number | null;
  /** The nuclear-stain channel cell bodies were found on (0-based), or null. */
  nucleusChannel: number | null;
}

/** The same settings; a file written before the channel was recorded matches a trace of any channel on them. */
const sameParameters = (a: AutoParameters, b: AutoParameters) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  if (!('channel' in a && 'channel' in b)) keys.delete('channel');
  return [...keys].every((k) => a[k] === b[k]);
};

/**
 * The document's neurons this tracer made with the settings of the first of them and nobody changed since (a
 * project's "Auto-trace all images" leaves them so): tracing the field again with those settings gives them back, and
 * then the detail slider, Not a cell and Add a cell work on them as on a trace made in the app. Null when there are
 * none, or when their detail level is not one of the slider's.
 */
export function savedTrace(doc: AnnotationDocument): SavedTrace | null {
  const untouched = doc.neurons.filter(untouchedTrace);
  const first = untouched[0]?.auto;
  if (!first) return null;
  const { parameters } = first;
  const { minBranchPx, pixelSizeUm } = parameters;
  if (typeof minBranchPx !== 'number' || (pixelSizeUm !== null && typeof pixelSizeUm !== 'number')) return null;
  const minBranchUm = Math.round((minBranchPx * (pixelSizeUm ?? ASSUMED_UM_PER_PX)) / DETAIL_STEP_UM) * DETAIL_STEP_UM;
  // The level the px were rounded from (to 1/1000 px) must be on the slider: a script's other level is not offered.
  if (Math.abs(minBranchUm / (pixelSizeUm ?? ASSUMED_UM_PER_PX) - minBranchPx) > 0.0005 + 1e-9) return null;
  const { channel, nucleusChannel } = parameters;
  const index = (c: unknown) => (typeof c === 'number' && Number.isInteger(c) && c >= 0 ? c : null);
  return { neurons: untouched.filter((n) => sameParameters(n.auto!.parameters, parameters)).map((n) => n.id), parameters, minBranchUm, channel: index(channel), nucleusChannel: index(nucleusChannel) };
}

/** Where a neuron starts: its cell body's centre, or a fibre's first node. */
function startOf(neuron: Neuron): { x: number; y: number } | null {
  if (neuron.soma) return somaCenter(neuron.soma);
  const first = neuron.branches[0]?.nodes[0];
  return first ? { x: first.x, y: first.y } : null;
}

const near = (a: number, b: number | undefined) => b !== undefined && Math.abs(a - b) <= SAME_PX;

/** Two neurons with the same cell body and the same branches, node for node (ids aside: a new trace numbers them anew). */
function sameTree(a: Neuron, b: Neuron): boolean {
  if ((a.soma === null) !== (b.soma === null) || a.branches.length !== b.branches.length) return false;
  if (a.soma && b.soma) {
    const ca = somaCenter(a.soma);
    const cb = somaCenter(b.soma);
    const ra = a.soma.kind === 'point' ? a.soma.r : undefined;
    const rb = b.soma.kind === 'point' ? b.soma.r : undefined;
    if (!near(ca.x, cb.x) || !near(ca.y, cb.y) || ca.z !== cb.z || (ra === undefined) !== (rb === undefined) || (ra !== undefined && !near(ra, rb))) return false;
  }
  // A node parent as (branch, node) positions, comparable across the two numberings.
  const parentAt = (n: Neuron, k: number) => {
    const p = n.branches[k].parent;
    if (p.kind !== 'node') return p.kind;
    const at = locateInNeuron(n, p.nodeId);
    return at ? `${n.branches.indexOf(at.branch)}:${at.index}` : 'lost';
  };
  return a.branches.every((ba, k) => {
    const bb = b.branches[k];
    if (ba.label !== bb.label || ba.nodes.length !== bb.nodes.length || parentAt(a, k) !== parentAt(b, k)) return false;
    return ba.nodes.every((p, i) => {
      const q = bb.nodes[i];
      return near(p.x, q.x) && near(p.y, q.y) && p.z === q.z && near(p.r ?? 0, q.r ?? 0);
    });
  });
}

/**
 * Which traced neuron (in `found`, the field traced again) is which neuron of a saved trace: at position k the id of
 * the saved neuron that `found[k]`, written as the tracer writes it (parameters, plane z), equals node for node, or
 * null (a cell the saved trace no longer has, or one traced differently now: another channel or calibration).
 */
export function matchSavedTrace(doc: AnnotationDocument, saved: readonly NeuronId[], found: readonly AutoNeuron[], o: { parameters: AutoParameters; z: number }): Array<NeuronId | null> {
  const open = new Set(saved);
  return found.map((f) => {
    for (const id of open) {
      const neuron = findNeuron(doc, id)?.neuron;
      const start = neuron && startOf(neuron);
      if (!neuron || !start || Math.hypot(start.x - f.soma.x, start.y - f.soma.y) > 1) continue;
      if (!neuron.auto || !sameParameters(neuron.auto.parameters, o.parameters)) continue;
      const again = findNeuron(applyAction(doc, autoNeuronReplaceAction(id, f, o)), id)?.neuron;
      if (again && sameTree(neuron, again)) {
        open.delete(id);
        return id;
      }
    }
    return null;
  });
}
