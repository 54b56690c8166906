import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import { applyAction } from '../../../../shared/actions/reducer';
import { newAnnotationFile, parseAnnotation, serializeAnnotation } from '../../../../shared/formats/annotation-file';
import { somaCenter, type AnnotationDocument } from '../../../../shared/model/document';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import type { AutoDetail } from '../../../../shared/tracing/auto/prune-trace';
import { autoTraceImage, documentWithNeurons } from '../../../../shared/tracing/auto/run';
import { matchSavedTrace, savedTrace, untouchedByHand, untouchedTrace } from '../../../../shared/tracing/auto/saved-trace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { traceField } from '../../../../shared/tracing/auto/trace-field';
import { autoParameters } from '../../../../shared/tracing/auto/to-document';
import { traceImageFile } from '../../../../electron/services/trace-image-file';
import { decodeImage } from '../../../../shared/image/decode';
import { tracingPixelSize } from '../../../../shared/tracing/auto/pixel-size';
import { fileURLToPath } from 'node:url';
import { sharedData } from './reference-data';

// A project's batch trace ("Auto-trace all images", in main) is saved; the app opens it and traces the field again as
// its worker does, to put the saved neurons under review. Each must be found again node for node.

const sample = syntheticNeurons({ seed: 3, neurons: 4 });
const image = syntheticImage(sample);
const calibration = image.info.calibration;

/** What the batch writes: the trace of the whole field, saved to an annotation file and read back. */
function batchFile(detail: AutoDetail): AnnotationDocument {
  const r = autoTraceImage(image, { detail });
  const doc = documentWithNeurons(r.neurons, null, calibration, r.parameters);
  return parseAnnotation(serializeAnnotation(newAnnotationFile(doc, { appVersion: 'test' }))).document;
}

/** What the app's worker does for the review: Detect on the plane, the document's other cell bodies competing. */
function appTrace(doc: AnnotationDocument, minBranchUm: number, others: number[] = []) {
  const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: calibration?.pixelWidth ?? null });
  const traced = doc.neurons.filter((n) => others.includes(n.id) && n.soma).map((n) => somaCenter(n.soma!));
  const detail = { minBranchUm };
  const { cache, neurons } = traceField(tracer, detail, undefined, [], traced.map((p) => tracer.seedAt(p.x, p.y)));
  return { neurons, parameters: autoParameters(cache, detail, 0) };
}

describe('reviewing a saved automatic trace', () => {
  const doc = batchFile({ minBranchUm: 7.5 });

  it('the batch trace of the four-cell field is offered whole, at the level it was pruned at', () => {
    expect(doc.neurons).toHaveLength(4);
    expect(doc.neurons.every(untouchedTrace)).toBe(true);
    expect(savedTrace(doc)).toEqual({ neurons: doc.neurons.map((n) => n.id), parameters: doc.neurons[0].auto!.parameters, minBranchUm: 7.5, channel: 0, nucleusChannel: null });
  });

  it('a file written before the traced channel was recorded is matched on its other settings', () => {
    const old = { ...doc, neurons: doc.neurons.map((n) => ({ ...n, auto: { ...n.auto!, parameters: Object.fromEntries(Object.entries(n.auto!.parameters).filter(([k]) => k !== 'channel')) } })) };
    const saved = savedTrace(old)!;
    expect(saved.channel).toBeNull();
    const again = appTrace(old, saved.minBranchUm);
    expect(matchSavedTrace(old, saved.neurons, again.neurons, { parameters: again.parameters, z: 0 })).toEqual(old.neurons.map((n) => n.id));
    // A recorded channel must be the one traced.
    expect(matchSavedTrace(doc, saved.neurons, again.neurons, { parameters: { ...again.parameters, channel: 1 }, z: 0 })).toEqual([null, null, null, null]);
  });

  it("the app's trace of the field gives every saved neuron back node for node, each the truth's cell", () => {
    const saved = savedTrace(doc)!;
    const again = appTrace(doc, saved.minBranchUm);
    expect(matchSavedTrace(doc, saved.neurons, again.neurons, { parameters: again.parameters, z: 0 })).toEqual(doc.neurons.map((n) => n.id));
    // Each matched start is one of the generator's cell bodies (within 3 px).
    for (const n of again.neurons) expect(Math.min(...sample.truth.neurons.map((t) => Math.hypot(somaCenter(t.soma!).x - n.soma.x, somaCenter(t.soma!).y - n.soma.y)))).toBeLessThan(3);
  });

  it('a trace at another detail level is not taken for the saved one', () => {
    const saved = savedTrace(doc)!;
    const other = appTrace(doc, 2);
    expect(matchSavedTrace(doc, saved.neurons, other.neurons, { parameters: other.parameters, z: 0 })).toEqual([null, null, null, null]);
  });

  it('a neuron edited since is left out and keeps its ground; one deleted since is found by nobody', () => {
    const [a, b, c, d] = doc.neurons;
    const node = b.branches[0].nodes[1];
    let edited = applyAction(doc, { type: 'moveNode', nodeId: node.id, x: node.x + 1, y: node.y });
    edited = applyAction(edited, { type: 'deleteNeuron', neuronId: d.id });
    expect(untouchedTrace(edited.neurons[1])).toBe(false);
    const saved = savedTrace(edited)!;
    expect(saved.neurons).toEqual([a.id, c.id]);
    // The edited neuron's cell body competes (the app passes it as traced); the deleted cell is traced again, unmatched.
    const again = appTrace(edited, saved.minBranchUm, [b.id]);
    expect(again.neurons).toHaveLength(3);
    expect(matchSavedTrace(edited, saved.neurons, again.neurons, { parameters: again.parameters, z: 0 })).toEqual([a.id, c.id, null]);
  });

  it('nothing to trace again: hand-drawn neurons, another tracer version, a level off the slider; the last two are still the tracer’s, unchanged', () => {
    const handDrawn = doc.neurons.map(({ auto: _, ...n }) => n);
    expect(savedTrace({ ...doc, neurons: handDrawn })).toBeNull();
    expect(handDrawn.some(untouchedByHand)).toBe(false);
    const older = doc.neurons.map((n) => ({ ...n, auto: { ...n.auto!, tracer: 'ramify-app2 4' } }));
    expect(savedTrace({ ...doc, neurons: older })).toBeNull();
    expect(older.some(untouchedTrace)).toBe(false);
    // Reviewed as saved in the app (accept or discard), as long as nobody changed them.
    expect(older.every(untouchedByHand)).toBe(true);
    const offGrid = batchFile({ minBranchUm: 7.3 });
    expect(savedTrace(offGrid)).toBeNull();
    expect(offGrid.neurons.every(untouchedByHand)).toBe(true);
    const moved = { ...older[0], branches: older[0].branches.map((b, i) => (i === 0 ? { ...b, nodes: b.nodes.map((p) => ({ ...p, x: p.x + 1 })) } : b)) };
    expect(untouchedByHand(moved)).toBe(false);
  });
});

// Micrographs nobody here made: the batch reads a TIFF by its strips (traceImageFile), the app decodes it whole and its
// worker traces the plane; every neuron the batch saved must come back node for node, or the review would not open.
const ddaC = sharedData('micrographs/snt/ddaC.tif') && fileURLToPath(new URL('../../../../../shared/data/micrographs/snt/ddaC.tif', import.meta.url));
const neurites = fileURLToPath(new URL('../../../fixtures/neuronj/neurites.tif', import.meta.url));

/** The batch's trace of the file at `path` saved, read back, and traced again as the app does: the saved neurons and their matches. */
async function batchThenApp(path: string) {
  const batch = await traceImageFile(path, {}, () => null);
  const doc = parseAnnotation(serializeAnnotation(newAnnotationFile(documentWithNeurons(batch.neurons, null, batch.calibration, batch.parameters), { appVersion: 'test' }))).document;
  const saved = savedTrace(doc)!;
  const { info, planes } = decodeImage(new Uint8Array(readFileSync(path)));
  const tracer = new AutoTracer(signalFromPlane(planes[0], info), { pixelSize: tracingPixelSize(doc.calibration ?? info.calibration) });
  const detail = { minBranchUm: saved.minBranchUm };
  const again = traceField(tracer, detail);
  return { saved: saved.neurons, matched: matchSavedTrace(doc, saved.neurons, again.neurons, { parameters: autoParameters(again.cache, detail, 0), z: 0 }) };
}

describe('a saved batch trace of a real micrograph is found again by the app', () => {
  it("NeuronJ's neurites.tif: its one neuron", async () => {
    const { saved, matched } = await batchThenApp(neurites);
    expect(saved).toHaveLength(1);
    expect(matched).toEqual(saved);
  });

  it.skipIf(!ddaC)("SNT's ddaC.tif: the cell and the junction Detect takes for a second one", async () => {
    const { saved, matched } = await batchThenApp(ddaC as string);
    expect(saved).toHaveLength(2);
    expect(matched).toEqual(saved);
  });
});
