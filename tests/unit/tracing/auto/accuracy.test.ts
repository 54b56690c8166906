import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyAction } from '../../../../shared/actions/reducer';
import { measureNeuron, scaleOf, buildNodeTree } from '../../../../shared/analysis/index';
import { directedDistance, polylineSegments, tracingDistance, treeSegments } from '../../../../shared/analysis/tracing-distance';
import { parseSwc } from '../../../../shared/formats/swc';
import { parseNdf } from '../../../../shared/formats/ndf';
import { decodeImage } from '../../../../shared/image/decode';
import { readImagejRoi } from '../../../../shared/image/imagej-roi';
import { emptyDocument } from '../../../../shared/model/document';
import type { AutoNeuron } from '../../../../shared/tracing/auto/auto-neuron';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { traceAgain, traceField } from '../../../../shared/tracing/auto/trace-field';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { autoNeuronStats } from '../../../../shared/tracing/auto/stats';
import { autoNeuronAction } from '../../../../shared/tracing/auto/to-document';
import { autoTraceImage, documentWithNeurons } from '../../../../shared/tracing/auto/run';
import { sharedData } from './reference-data';

const treeV = sharedData('micrographs/snt/TreeV.tif');
const ddaC = sharedData('micrographs/snt/ddaC.tif');
const fixture = (rel: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/${rel}`, import.meta.url)));

describe.skipIf(!treeV)("SNT's TreeV.tif (BinaryTracerTest bars)", () => {
  it('seeded at its root (70, 160): one tree, 15 branch points, 16 tips, 31 branches, 569.35 ± 10 µm', () => {
    const image = decodeImage(treeV as Uint8Array);
    // TreeV.swc's root is (70, 160) µm at 1 µm/px: the centre of pixel (70, 160).
    const { neurons } = autoTraceImage(image, { seeds: [{ x: 70.5, y: 160.5 }] });
    expect(neurons.length).toBe(1);
    const s = autoNeuronStats(neurons[0]);
    expect(s.branchPoints).toBe(15);
    expect(s.tips).toBe(16);
    expect(s.branches).toBe(31);
    expect(Math.abs(s.lengthPx * (image.info.calibration?.pixelWidth ?? 1) - 569.35)).toBeLessThanOrEqual(10);
  });

  it('without a seed (no cell body in the field): one fibre started at the same root, the same tree', () => {
    const image = decodeImage(treeV as Uint8Array);
    const { neurons } = autoTraceImage(image, {});
    expect(neurons.length).toBe(1);
    expect(neurons[0].fibre).toBe(true);
    // The trunk's end has the longest stem of the arbor's ends: TreeV.swc's root pixel, not a twig's tip.
    expect(neurons[0].soma).toMatchObject({ x: 70.5, y: 160.5 });
    const s = autoNeuronStats(neurons[0]);
    expect([neurons[0].branches.filter((b) => b.parent < 0).length, s.branchPoints, s.tips, s.branches]).toEqual([1, 15, 16, 31]);
    expect(Math.abs(s.lengthPx * (image.info.calibration?.pixelWidth ?? 1) - 569.35)).toBeLessThanOrEqual(10);
  });
});

const treeVSwc = sharedData('swc/snt/TreeV.swc');

describe.skipIf(!treeV || !treeVSwc)('TreeV.tif against its own gold standard TreeV.swc (Vaa3D spatial distance)', () => {
  it('SD < 0.1 px and %SSD (2 px) = 0', () => {
    const image = decodeImage(treeV as Uint8Array);
    const cal = image.info.calibration;
    const r = autoTraceImage(image, { seeds: [{ x: 70.5, y: 160.5 }] });
    const doc = documentWithNeurons(r.neurons, null, cal);
    const gold = parseSwc(new TextDecoder().decode(treeVSwc), { calibration: cal ?? undefined });
    // Read as SWC counts (from pixel centres), the gold lies on the skeleton's pixel centres: SD 0.001 px (read from
    // pixel corners, as Ramify did before, 0.44 px).
    const g = gold.document.neurons.flatMap((n) => treeSegments(buildNodeTree(n, scaleOf(null))));
    const a = doc.neurons.flatMap((n) => treeSegments(buildNodeTree(n, scaleOf(null))));
    const d = tracingDistance(g, a, 2);
    expect(d.sd).toBeLessThan(0.1);
    expect(d.pctSsd).toBe(0);
  });
});

describe.skipIf(!ddaC)("SNT's ddaC.tif Sholl sample", () => {
  it('seeded at the centre of analysis its line ROI marks: Sholl (1 px steps) around it peaks at 75 ± 7 crossings at 214 ± 10 µm', () => {
    const bytes = ddaC as Uint8Array;
    const image = decodeImage(bytes);
    const roi = readImagejRoi(bytes);
    // Sholl Analysis takes a straight-line ROI as "from the focus of the arbor to its most distal point": the centre
    // of analysis is the line's first point (SNT's docs, Startup ROI), its length the ending radius.
    expect(roi).toMatchObject({ kind: 'line' });
    if (roi?.kind !== 'line') return;
    // ImageJ line coordinates put pixel centres at integers; document px put them at i + ½.
    const centre = { x: roi.x1 + 0.5, y: roi.y1 + 0.5 };
    expect([Math.floor(centre.x), Math.floor(centre.y)]).toEqual([335, 391]);
    const cal = image.info.calibration;
    expect(cal?.pixelWidth).toBeCloseTo(0.835, 3);
    const [neuron] = autoTraceImage(image, { seeds: [centre] }).neurons;
    expect(neuron.fibre).toBe(false);
    // The tracer centres the cell body on its deepest pixel (3 px away); the Sholl shells stay on SNT's centre.
    expect(Math.hypot(neuron.soma.x - centre.x, neuron.soma.y - centre.y)).toBeLessThan(neuron.soma.r);
    const doc = applyAction(emptyDocument(cal), autoNeuronAction({ ...neuron, soma: { ...neuron.soma, ...centre } }));
    const m = measureNeuron(doc.neurons[0], scaleOf(cal), { sholl: { start: 0, step: cal?.pixelWidth ?? 1 } });
    const sholl = m.sholl;
    expect(sholl).not.toBeNull();
    if (!sholl) return;
    expect(Math.abs(sholl.maxCrossings - 75)).toBeLessThanOrEqual(7);
    expect(Math.abs((sholl.maxCrossingsRadius ?? 0) - 214)).toBeLessThanOrEqual(10);
  });

  it('detection finds its cell body, not the swelling of the thick dendrite 240 px up and right of it', () => {
    const image = decodeImage(ddaC as Uint8Array);
    const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
    const somata = tracer.detect();
    // The cell body (7.1 px deep) first; the swelling at (531.5, 262.5) is 5 px deep, its dendrite 3.6 px at 10 px.
    expect(somata[0]).toMatchObject({ x: 334.5, y: 393.5 });
    expect(somata.some((s) => Math.hypot(s.x - 531.5, s.y - 262.5) < 20)).toBe(false);
  });

  it("a detected cell body that is no cell, traced again without: the cell it lies on takes its branches, and the rest of that cell stays as it was", () => {
    const image = decodeImage(ddaC as Uint8Array);
    const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
    const field = traceField(tracer);
    // Detect takes a junction of the arbor's dendrites, 5 px deep at (250.5, 307.5), for a second cell body.
    expect(field.neurons.map((n) => [n.soma.x, n.soma.y])).toEqual([
      [334.5, 393.5],
      [250.5, 307.5],
    ]);
    const again = traceAgain(tracer, field.cache, { keep: [0] });
    expect(again.neurons.map((n) => [n.soma.x, n.soma.y])).toEqual([[334.5, 393.5]]);
    const nodes = (n: AutoNeuron) => n.branches.flatMap((b) => b.nodes);
    const after = nodes(again.neurons[0]);
    // What the junction had traced now belongs to the cell (within 2 px of its new trace)...
    const taken = nodes(field.neurons[1]).filter((p) => after.some((q) => Math.hypot(q.x - p.x, q.y - p.y) <= 2));
    expect(taken.length).toBeGreaterThanOrEqual(0.85 * nodes(field.neurons[1]).length);
    // ...and the cell away from the junction (over 80 px) is the same trace, node for node.
    const far = (ps: Array<{ x: number; y: number }>) => new Set(ps.filter((p) => Math.hypot(p.x - 250.5, p.y - 307.5) > 80).map((p) => `${p.x},${p.y}`));
    const before = far(nodes(field.neurons[0]));
    const kept = [...far(after)].filter((k) => before.has(k));
    expect(kept.length).toBeGreaterThanOrEqual(0.98 * before.size);
    expect(() => traceAgain(tracer, field.cache, { keep: [0, 0] })).toThrow(RangeError);
    expect(() => traceAgain(tracer, field.cache, { keep: [2] })).toThrow(RangeError);
  });
});

describe("NeuronJ's neurites.tif", () => {
  it('recalls ≥ 90 % of the four NeuronJ tracings within 2 px (detected soma + clicks on the two fibres without one)', () => {
    const image = decodeImage(fixture('neuronj/neurites.tif'));
    const ndf = parseNdf(readFileSync(new URL('../../../fixtures/neuronj/neurites.ndf', import.meta.url), 'utf8'));
    const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info));
    const somata = tracer.detect();
    expect(somata.length).toBe(1);
    // Tracings 3 and 4 belong to no cell body in the field: the user clicks their starts (NeuronJ's first points).
    const seeds = [...somata, ...[ndf.tracings[2], ndf.tracings[3]].map((t) => tracer.seedAt(t.points[0].x + 0.5, t.points[0].y + 0.5))];
    let doc = emptyDocument(null);
    for (const n of pruneTrace(tracer.trace(seeds))) doc = applyAction(doc, autoNeuronAction(n));
    const traced = doc.neurons.flatMap((n) => treeSegments(buildNodeTree(n, scaleOf(null))));
    // NeuronJ stores pixel indices; pixel (i, j) has its centre at (i + 0.5, j + 0.5) in document px.
    const gold = polylineSegments(ndf.tracings.map((t) => t.points.map((p) => [p.x + 0.5, p.y + 0.5])));
    const recall = 1 - directedDistance(gold, traced, 2).farFraction;
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
