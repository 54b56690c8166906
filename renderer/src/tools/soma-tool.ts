import type { Soma } from '../../../shared/model/document';
import { findNeuron } from '../../../shared/model/queries';
import { docStore } from '../stores/doc-store';
import { traceStore } from '../tracing/trace-store';

// Soma tools: a click places a point soma; the outline tool collects vertices until Enter or double-click.
// The soma goes to the active neuron when it has none yet, otherwise a new neuron is created around it.

function placeSoma(soma: Soma): void {
  const s = docStore.get();
  const doc = docStore.doc();
  const active = s.activeNeuronId !== null ? findNeuron(doc, s.activeNeuronId)?.neuron : undefined;
  if (active && !active.soma) {
    docStore.dispatch({ type: 'setSoma', neuronId: active.id, soma });
    docStore.select({ kind: 'neuron', neuronId: active.id });
    return;
  }
  const id = doc.nextId;
  docStore.dispatch({ type: 'addNeuron', soma });
  docStore.select({ kind: 'neuron', neuronId: id });
}

export const somaTool = {
  click(x: number, y: number): void {
    placeSoma({ kind: 'point', x, y, z: 0 });
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
    placeSoma({ kind: 'polygon', points: poly.map(([x, y]) => ({ x, y })), z: 0 });
  },
  backspace(): void {
    const poly = traceStore.get().polygon;
    traceStore.set({ polygon: poly && poly.length > 1 ? poly.slice(0, -1) : null });
  },
  cancel(): void {
    traceStore.set({ polygon: null });
  },
};
