import { readFileSync } from 'node:fs';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { describe, expect, it } from 'vitest';
import { parseNdf } from '../../../../shared/formats/ndf';
import { parseSwc } from '../../../../shared/formats/swc';
import { decodeImage } from '../../../../shared/image/decode';
import type { DiademTree } from '../../../../shared/analysis/diadem';
import { median } from '../../../../shared/stats/descriptive';
import { documentTrees, ndfGoldTrees, nearestTree, scoreAgainstGold, traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { autoTraceImage, documentWithNeurons } from '../../../../shared/tracing/auto/run';
import { sharedData } from './reference-data';

// The tracer on public gold standards (data nobody here made), one click per neuron at the gold root. The goal
// for held-out sets is mean DIADEM ≥ 0.85, none < 0.75, %SSD (2 px) ≤ 0.10; the thresholds below are what the tracer
// reaches on each set (tests/bench/gold-standard.bench.ts prints every figure), so a regression fails.

const treeV = sharedData('micrographs/snt/TreeV.tif');
const treeVSwc = sharedData('swc/snt/TreeV.swc');
const fixture = (rel: string) => readFileSync(new URL(`../../../fixtures/${rel}`, import.meta.url));

describe.skipIf(!treeV || !treeVSwc)('SNT TreeV.tif vs TreeV.swc', () => {
  it('DIADEM 1 at the default 1.2 px (all 80 units of weight matched, nothing excess) and %SSD (2 px) 0', () => {
    const image = decodeImage(treeV as Uint8Array);
    // SWC counts from pixel centres (SNT's convention), which reading the file takes care of.
    const gold = documentTrees(parseSwc(new TextDecoder().decode(treeVSwc), { calibration: image.info.calibration ?? undefined }).document);
    const r = traceAndScore(image, gold);
    expect(r.trees[0]).toMatchObject({ goldWeight: 80, matchedWeight: 80, excessWeight: 0, misses: [] });
    expect(r.diadem).toBe(1);
    expect(r.distance.pctSsd).toBe(0);
  });
});

describe("NeuronJ's neurites.tif vs its four .ndf tracings (one gold tree)", () => {
  const image = decodeImage(new Uint8Array(fixture('neuronj/neurites.tif')));
  const gold = ndfGoldTrees(parseNdf(fixture('neuronj/neurites.ndf').toString('utf8')).tracings);

  it('the tracings join into one tree rooted at the first tracing’s start (on the cell body)', () => {
    expect(gold.length).toBe(1);
    expect([gold[0].x[0], gold[0].y[0]]).toEqual([138.5, 328.5]);
  });

  it('one click at that root: recall of the gold within 2 px ≥ 0.95; DIADEM of the annotated arbor ≥ 0.875 at 5 px and 1 at 10 px', () => {
    const r = traceAndScore(image, gold, {}, { countExcessNodes: false });
    // The field's other dendrites are not annotated: excess nodes cannot be judged (countExcessNodes false), and the
    // trace → gold half of %SSD counts them (0.35 in the bench), so recall is the figure that holds here.
    expect(1 - r.distance.aToB.farFraction).toBeGreaterThanOrEqual(0.95);
    // Tips end where the signal falls to half the branch's level (tips.ts); before that rule the tips ran 4–12 px on
    // into the noise and the score was 0.75 at 5 px and 0.875 at 10 px. Left: two tips end on the far side of a
    // bulb whose centre NeuronJ's user clicked (4 and 6 px), and junctions sit 4–9 px from where the user started a
    // tracing on another one; at DIADEM's 1.2 px only one tip matches (the bench prints it).
    expect(scoreAgainstGold(gold, r.traced, { xyThreshold: 5, countExcessNodes: false }).diadem).toBeGreaterThanOrEqual(0.875);
    expect(scoreAgainstGold(gold, r.traced, { xyThreshold: 10, countExcessNodes: false }).diadem).toBe(1);
  });
});

const spot = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.tif');
const spotSwc = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.swc');

describe.skipIf(!spot || !spotSwc)('SpotSpine stack (maximum projection) vs its NeuronStudio .swc', () => {
  it('SD ≤ 1.6 px (0.1 µm), %SSD (2 px) ≤ 0.31; DIADEM 1 at 1.2 µm (20 px)', () => {
    const image = decodeImage(spot as Uint8Array);
    const gold = documentTrees(parseSwc(new TextDecoder().decode(spotSwc), { calibration: image.info.calibration ?? undefined }).document);
    const r = traceAndScore(image, gold);
    // 1.54 px and 0.297 with the SWC read from pixel centres, as NeuronStudio writes it (1.81 and 0.346 from corners).
    expect(r.distance.sd).toBeLessThanOrEqual(1.6);
    // Shortfall: at 0.06 µm/px the dendrite is ~8 px wide, so 2 px is a quarter of its width (%SSD 0.30), and the
    // trace follows the dendrite on to the image edge, 5 px past NeuronStudio's end, ending 9 px from it, so its one
    // termination is missed at DIADEM's 1.2 taken in px (r.diadem is 0).
    expect(r.distance.pctSsd).toBeLessThanOrEqual(0.31);
    expect(scoreAgainstGold(gold, r.traced, { xyThreshold: 1.2 / 0.06 }).diadem).toBe(1);
  });
});

const swc21dpi = sharedData('swc/snt/21dpi_contra_infra_01.swc');
const swcTreeV = sharedData('swc/snt/TreeV.swc');

// Public reconstructions drawn as micrographs (build/tools/render-morphology.ts: Gaussian tubes from the SWC radii,
// noise σ 8 against neurites 72–168 above background). Floors at what the tracer reaches (`npm run bench
// gold-standard` prints these and the noisier renders).
/** DIADEM at 1.2 px of a reconstruction drawn at noise σ 8 (draw `seed`) and traced from one click at its root. */
function drawnScore(swc: Uint8Array | undefined, unitsPerPx: number, seed: number): number {
  const m = renderMorphology(new TextDecoder().decode(swc), { unitsPerPx, noise: 8, seed });
  return traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem;
}

/**
 * Per gold tip with a traced tip within 3 px, how far past it (+) or short of it (−) the traced tip lies along the
 * gold branch's last 4 px: the reconstruction's own tips are the independent values.
 */
function tipOvershoot(gold: DiademTree, traced: DiademTree): number[] {
  const kids = (t: DiademTree) => {
    const k = new Int32Array(t.parent.length);
    for (let i = 0; i < t.parent.length; i++) if (t.parent[i] >= 0) k[t.parent[i]]++;
    return k;
  };
  const gk = kids(gold);
  const tk = kids(traced);
  const out: number[] = [];
  for (let i = 0; i < gk.length; i++) {
    if (gk[i] !== 0 || gold.parent[i] < 0) continue;
    let near = -1;
    let best = 3;
    for (let j = 0; j < tk.length; j++) {
      const d = Math.hypot(traced.x[j] - gold.x[i], traced.y[j] - gold.y[i]);
      if (tk[j] === 0 && traced.parent[j] >= 0 && d < best) [near, best] = [j, d];
    }
    let b = i;
    for (let run = 0; gold.parent[b] >= 0 && run < 4; b = gold.parent[b]) run += Math.hypot(gold.x[b] - gold.x[gold.parent[b]], gold.y[b] - gold.y[gold.parent[b]]);
    const [dx, dy] = [gold.x[i] - gold.x[b], gold.y[i] - gold.y[b]];
    if (near >= 0 && Math.hypot(dx, dy) >= 1) out.push(((traced.x[near] - gold.x[i]) * dx + (traced.y[near] - gold.y[i]) * dy) / Math.hypot(dx, dy));
  }
  return out;
}

describe.skipIf(!swc21dpi || !swcTreeV)('public reconstructions drawn as micrographs, one click at the root', () => {
  it('tips end where the reconstruction ends them: median overshoot along the branch within 0.25 px (draws 7, 1, 2)', () => {
    const overshoot = (swc: Uint8Array | undefined, unitsPerPx: number, noise: number) =>
      median(
        [7, 1, 2].flatMap((seed) => {
          const m = renderMorphology(new TextDecoder().decode(swc), { unitsPerPx, noise, seed });
          const traced = nearestTree(m.gold[0], traceAndScore(m.image, m.gold, { seeds: [m.root] }).traced);
          return traced ? tipOvershoot(m.gold[0], traced) : [];
        }),
      );
    // Drawn back by 10 × noise / signal, the tips lay 0.37 and 0.31 px past the gold's; by 14 ×, 0.03 and 0.21.
    expect(Math.abs(overshoot(swc21dpi, 0.5, 25))).toBeLessThanOrEqual(0.25);
    expect(Math.abs(overshoot(swcTreeV, 1, 8))).toBeLessThanOrEqual(0.25);
  });

  it('SNT 21dpi_contra_infra_01 at 0.5 µm/px: DIADEM ≥ 0.85 at 3 px, %SSD (2 px) ≤ 0.03', () => {
    const m = renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5 });
    const r = traceAndScore(m.image, m.gold, { seeds: [m.root] }, { xyThreshold: 3 });
    expect(r.diadem).toBeGreaterThanOrEqual(0.85);
    expect(r.distance.pctSsd).toBeLessThanOrEqual(0.03);
    // Noise σ 25: paths through noise alone (a few σ above the background) are dropped; before that rule 0.800.
    const noisy = renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 25 });
    const traced = traceAndScore(noisy.image, noisy.gold, { seeds: [noisy.root] }, { xyThreshold: 3 }).traced;
    expect(scoreAgainstGold(noisy.gold, traced, { xyThreshold: 3 }).diadem).toBeGreaterThanOrEqual(0.83);
    // At DIADEM's own 1.2 px the tips decide: set on the centre line and drawn back from the noise, 0.796 (before, at
    // pixel centres past the end, 0.373).
    expect(scoreAgainstGold(noisy.gold, traced, { xyThreshold: 1.2 }).diadem).toBeGreaterThanOrEqual(0.75);
  });

  it('SNT 21dpi_contra_infra_01, noise σ 8 draws 2 and 4: no spur hugging a neurite, DIADEM at 1.2 px ≥ 0.95 and ≥ 0.88', () => {
    // Where two of its neurites run side by side, the trace drew spurs along them that the reconstruction does not
    // have (flank-leaves.ts): 13 and 12 tips for the gold's 11, DIADEM 0.833 and 0.816 before.
    expect(drawnScore(swc21dpi, 0.5, 2)).toBeGreaterThanOrEqual(0.95);
    expect(drawnScore(swc21dpi, 0.5, 4)).toBeGreaterThanOrEqual(0.88);
  });

  it('SNT TreeV in its own px: DIADEM ≥ 0.85 at 1.2 px, %SSD (2 px) ≤ 0.05', () => {
    const m = renderMorphology(new TextDecoder().decode(swcTreeV), { unitsPerPx: 1 });
    const r = traceAndScore(m.image, m.gold, { seeds: [m.root] });
    expect(r.diadem).toBeGreaterThanOrEqual(0.85);
    expect(r.distance.pctSsd).toBeLessThanOrEqual(0.05);
    // Noise σ 25: 0.841 (before tips were set on the centre line, 0.511).
    const noisy = renderMorphology(new TextDecoder().decode(swcTreeV), { unitsPerPx: 1, noise: 25 });
    expect(traceAndScore(noisy.image, noisy.gold, { seeds: [noisy.root] }).diadem).toBeGreaterThanOrEqual(0.8);
  });

  it('SNT TreeV, noise σ 8 draws 3 and 5: a branch whose first 35 px ran inside its trunk’s cover is kept for the 22 px it adds, DIADEM at 1.2 px ≥ 0.89 and ≥ 0.70', () => {
    // Its far end meets another subtree's twig (two gold tips touch there), which covers it: 22 px of new length, under
    // the 25 px a path leaving cover had to add (prune.ts LEAVING_PX), dropped it with its subtree: 0.863 and 0.642.
    expect(drawnScore(swcTreeV, 1, 3)).toBeGreaterThanOrEqual(0.89);
    expect(drawnScore(swcTreeV, 1, 5)).toBeGreaterThanOrEqual(0.7);
  });

  it('SNT TreeV without a click (no cell body drawn): one fibre from the trunk’s end, scored as with the click', () => {
    const m = renderMorphology(new TextDecoder().decode(swcTreeV), { unitsPerPx: 1 });
    const out = autoTraceImage(m.image, {});
    expect(out.neurons.length).toBe(1);
    // The start: the drawn root (TreeV.swc's first node), not one of the 16 tips; before: no neuron at all.
    expect(Math.hypot(out.neurons[0].soma.x - m.root.x, out.neurons[0].soma.y - m.root.y)).toBeLessThan(1.5);
    const traced = documentTrees(documentWithNeurons(out.neurons, null, null));
    expect(scoreAgainstGold(m.gold, traced).diadem).toBeGreaterThanOrEqual(0.85);
  });
});

const swcOp1 = sharedData('swc/snt/OP_1-gs.swc');

describe.skipIf(!swcOp1)("DIADEM's OP_1 drawn as a micrograph (0.3 SWC units per px, noise σ 25), one click at the root", () => {
  it('its junction of four neurites at (379.8, 72.7) gets a branch point within 3 px on draws 7, 2 and 4 (6.1, 6.4 and 5.4 px off before)', () => {
    // The search cut through the junction, hanging the two children 0.7 px apart on the parent 5-6 px short of it;
    // the forks are moved together to where the four neurites' lines meet (corner-at-split.ts).
    for (const seed of [7, 2, 4]) {
      const m = renderMorphology(new TextDecoder().decode(swcOp1), { unitsPerPx: 0.3, noise: 25, seed });
      const t = traceAndScore(m.image, m.gold, { seeds: [m.root] }).traced[0];
      const kids = new Int32Array(t.parent.length);
      for (let i = 0; i < t.parent.length; i++) if (t.parent[i] >= 0) kids[t.parent[i]]++;
      let nearest = Infinity;
      for (let i = 0; i < kids.length; i++) if (kids[i] >= 2) nearest = Math.min(nearest, Math.hypot(t.x[i] - 379.8, t.y[i] - 72.7));
      expect(nearest).toBeLessThanOrEqual(3);
    }
  });
});
