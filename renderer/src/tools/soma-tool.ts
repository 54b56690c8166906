import { somaCatches } from '../../../shared/actions/soma-catch';
import type { NeuronId, Soma } from '../../../shared/model/document';
import { findNeuron } from '../../../shared/model/queries';
import { docStore } from '../stores/doc-store';
import { tracedZ, viewer } from '../stores/viewer-store';
import { traceStore } from '../tracing/trace-store';
import { somaCatchRadius } from './trace-tool';
import { plural } from '../../../shared/text/plural';

// Soma tools: a click places a point soma; the outline tool collects vertices until Enter or double-click.
// The soma goes to the active neuron when it has none yet, otherwise a new neuron is created around it. Detached
// paths that start (or end) at the new soma are attached to it in the same undo step.

let placeSerial = 0;

/**
 * How far outside the soma a path end still counts as starting at it: for a point soma the distance a trace may
 * start from it and still be primary (somaCatchRadius); an outline is drawn on the visible edge, so a quarter of it.
 */
export function somaAttachWithin(soma: Soma): number {
  const r = somaCatchRadius(docStore.doc());
  return soma.kind === 'point' ? r : r / 4;
}

/**
 * Sets `soma` on the neuron and attaches the detached paths at it, folded into the undo step `undoKey` when given
 * (a drag, or a new neuron created for the soma); says how many paths were attached.
 */
export function placeSomaOn(neuronId: NeuronId, soma: Soma, verb: 'placed' | 'moved', opts?: { coalesceKey: string; label: string }): void {
  const attachWithin = somaAttachWithin(soma);
  const caught = somaCatches(docStore.doc(), soma, attachWithin).length;
  docStore.dispatch({ type: 'placeSoma', neuronId, soma, attachWithin }, opts);
  if (caught > 0) viewer.set({ notice: `Soma ${verb}: ${plural(caught, 'path')} attached.` });
}

function placeSoma(soma: Soma): void {
  const s = docStore.get();
  const doc = docStore.doc();
  const active = s.activeNeuronId !== null ? findNeuron(doc, s.activeNeuronId)?.neuron : undefined;
  if (active && !active.soma) {
    placeSomaOn(active.id, soma, 'placed');
    docStore.select({ kind: 'neuron', neuronId: active.id });
    return;
  }
  const id = doc.nextId;
  const opts = { coalesceKey: `place-soma-${++placeSerial}`, label: 'Place soma' };
  docStore.dispatch({ type: 'addNeuron' }, opts);
  placeSomaOn(id, soma, 'placed', opts);
  docStore.endGesture();
  docStore.select({ kind: 'neuron', neuronId: id });
}

export const somaTool = {
  click(x: number, y: number): void {
    placeSoma({ kind: 'point', x, y, z: tracedZ(viewer.get().view) });
  },
};

export const outlineTool = {
  click(x: number, y: number): void {
    const poly = traceStore.get().polygon ?? [];
    traceStore.set({ polygon: [...poly, [x, y]] });
  },
  /** Closes the outline; fewer than three vertices is not a cell body and is discarded. */
  finish(): void {
    const poly = traceStore.get().polygon;
    traceStore.set({ polygon: null });
    if (!poly || poly.length < 3) return;
    placeSoma({ kind: 'polygon', points: poly.map(([x, y]) => ({ x, y })), z: tracedZ(viewer.get().view) });
  },
  backspace(): void {
    const poly = traceStore.get().polygon;
    traceStore.set({ polygon: poly && poly.length > 1 ? poly.slice(0, -1) : null });
  },
  cancel(): void {
    traceStore.set({ polygon: null });
  },
};
