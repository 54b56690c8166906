import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticNeurons } from '../../../build/tools/synthetic-neuron';
import { decodeImage } from '../../../shared/image/decode';
import type { AnnotationDocument, TraceNode } from '../../../shared/model/document';

/** Largest turn (rad) between consecutive edges of the truth polylines, at each child's first node and elsewhere. */
function turns(doc: AnnotationDocument): { childStart: number; elsewhere: number } {
  let childStart = 0;
  let elsewhere = 0;
  for (const n of doc.neurons) {
    const byId = new Map<number, TraceNode>();
    for (const b of n.branches) for (const p of b.nodes) byId.set(p.id, p);
    for (const b of n.branches) {
      const pts = b.parent.kind === 'node' ? [byId.get(b.parent.nodeId) as TraceNode, ...b.nodes] : b.nodes;
      // The last node closes the branch at its tip whatever the step (toDocument keeps it), so its edge is left out.
      for (let i = 1; i < pts.length - 2; i++) {
        const a = Math.atan2(pts[i].y - pts[i - 1].y, pts[i].x - pts[i - 1].x);
        const c = Math.atan2(pts[i + 1].y - pts[i].y, pts[i + 1].x - pts[i].x);
        const t = Math.abs(Math.atan2(Math.sin(c - a), Math.cos(c - a)));
        if (i === 1 && b.parent.kind === 'node') childStart = Math.max(childStart, t);
        else elsewhere = Math.max(elsewhere, t);
      }
    }
  }
  return { childStart, elsewhere };
}

describe('synthetic neuron generator', () => {
  it('is deterministic for a seed and gives a consistent ground-truth tree', () => {
    const a = syntheticNeurons({ seed: 7, width: 256, height: 256, neurons: 1 });
    const b = syntheticNeurons({ seed: 7, width: 256, height: 256, neurons: 1 });
    expect(a.channels[0]).toEqual(b.channels[0]);
    expect(a.truth).toEqual(b.truth);
    expect(syntheticNeurons({ seed: 8, width: 256, height: 256, neurons: 1 }).channels[0]).not.toEqual(a.channels[0]);
    const ids = new Set<number>();
    for (const n of a.truth.neurons) {
      ids.add(n.id);
      for (const br of n.branches) {
        ids.add(br.id);
        for (const p of br.nodes) ids.add(p.id);
      }
    }
    expect(ids.size).toBe(a.truth.nextId - 1); // ids 1..nextId-1, all distinct
    for (const n of a.truth.neurons) {
      const nodeIds = new Set(n.branches.flatMap((br) => br.nodes.map((p) => p.id)));
      for (const br of n.branches) if (br.parent.kind === 'node') expect(nodeIds.has(br.parent.nodeId)).toBe(true);
    }
  });

  it('a child leaves its parent smoothly: no kink where its start was moved onto a parent node', () => {
    // Branches bend by at most 0.025 rad per px, i.e. ≤ 0.075 rad between 3-px edges; the fade-out of a moved start
    // (≤ 1 px over 10 px) adds a little. Moving only the first sample turned the child's first node by up to 1.3 rad,
    // a 1-px dent in the truth that added 2 crossings at one Sholl radius where no image shows them.
    const docs = [1, 2, 3, 4, 5].map((seed) => syntheticNeurons({ seed }).truth);
    docs.push(JSON.parse(readFileSync(new URL('../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')).document);
    for (const doc of docs) {
      const t = turns(doc);
      expect(t.childStart).toBeLessThan(0.15);
      expect(t.elsewhere).toBeLessThan(0.15);
    }
  });

  it('breaks: a stretch of a dendrite left unstained, the rest of the field and its truth as without them', () => {
    const plain = syntheticNeurons({ seed: 5, width: 512, height: 512, neurons: 1 });
    const broken = syntheticNeurons({ seed: 5, width: 512, height: 512, neurons: 1, breaks: 3, breakPx: 10 });
    expect(plain.breaks).toEqual([]);
    expect(broken.breaks).toHaveLength(3);
    expect(broken.truth).toEqual(plain.truth);
    const at = (c: Uint16Array, x: number, y: number) => c[Math.floor(x) + 512 * Math.floor(y)];
    const background = at(plain.channels[0], 5, 5);
    // Each break's centre lies on the truth's centre line: bright without the break, at the background with it.
    const nodes = broken.truth.neurons[0].branches.flatMap((b) => b.nodes);
    for (const p of broken.breaks) {
      expect(Math.min(...nodes.map((q) => Math.hypot(q.x - p.x, q.y - p.y)))).toBeLessThan(1.6);
      expect(at(plain.channels[0], p.x, p.y)).toBeGreaterThan(background + 500);
      expect(Math.abs(at(broken.channels[0], p.x, p.y) - background)).toBeLessThan(100);
    }
    // Away from the breaks (farther than their half length, the tube's radius and the blur), not a pixel differs.
    let changedFar = 0;
    for (let i = 0; i < 512 * 512; i++) {
      if (plain.channels[0][i] === broken.channels[0][i]) continue;
      const x = (i % 512) + 0.5;
      const y = Math.floor(i / 512) + 0.5;
      if (broken.breaks.every((p) => Math.hypot(p.x - x, p.y - y) > 5 + 3 + 4)) changedFar++;
    }
    expect(changedFar).toBe(0);
    expect(broken.channels[1]).toEqual(plain.channels[1]);
  });

  it('the bundled sample matches its generator and truth file', () => {
    const truth = JSON.parse(readFileSync(new URL('../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8'));
    const image = decodeImage(new Uint8Array(readFileSync(new URL('../../../build/sample/sample-neurons.tif', import.meta.url))));
    expect(truth.format).toBe('ramify-ground-truth');
    expect([image.info.width, image.info.height, image.info.channels, image.info.bitsPerSample]).toEqual([1024, 1024, 2, 16]);
    // Written by ImageJ's rule (1/0.325 truncated to 6 decimals) and read back as typed: exactly 0.325 (issue 14).
    expect(image.info.calibration?.pixelWidth).toBe(0.325);
    expect(truth.document.neurons.length).toBe(4);
    // Dendrite channel: centre line bright, background dark.
    const plane = image.planes[0];
    const soma = truth.document.neurons[0].soma;
    const bg = plane[5 + 1024 * 5];
    expect(plane[Math.floor(soma.x) + 1024 * Math.floor(soma.y)]).toBeGreaterThan(bg + 2000);
    const node = truth.document.neurons[0].branches[0].nodes[10];
    expect(plane[Math.floor(node.x) + 1024 * Math.floor(node.y)]).toBeGreaterThan(bg + 800);
  });
});
