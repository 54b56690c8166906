import { describe, expect, it } from 'vitest';
import type { AnnotationDocument } from '../../../shared/model/document';
import { hitTest, type Hit, type HitNodes } from '../../../shared/model/hit-test';
import { neuronGeometry } from '../../../shared/model/segment-index';
import { seededRandom } from '../../../shared/random';
import { tracedField } from '../../fixtures/traced-field';

const FIELD = tracedField({ neurons: 40, nodesPerNeuron: 400, width: 2048, height: 2048, seed: 11 });

/** The full scan hitTest did before it had an index: every node and segment, in document order. */
function scanHit(doc: AnnotationDocument, px: number, py: number, tol: number, mode: HitNodes): Hit | undefined {
  let best: Hit | undefined;
  let bestD = tol * tol;
  let seg: Hit | undefined;
  let segD = tol * tol;
  for (const neuron of doc.neurons) {
    const where = new Map(neuron.branches.flatMap((b) => b.nodes.map((n) => [n.id, n] as const)));
    const kids = new Map<number, number>();
    for (const b of neuron.branches) {
      b.nodes.forEach((n, i) => i > 0 && kids.set(b.nodes[i - 1].id, (kids.get(b.nodes[i - 1].id) ?? 0) + 1));
      if (b.parent.kind === 'node') kids.set(b.parent.nodeId, (kids.get(b.parent.nodeId) ?? 0) + 1);
    }
    for (const b of neuron.branches)
      b.nodes.forEach((n, i) => {
        const d = (n.x - px) ** 2 + (n.y - py) ** 2;
        const marker = (kids.get(n.id) ?? 0) !== 1;
        if ((d < bestD || (d === bestD && !best)) && (mode === 'all' || marker)) {
          bestD = d;
          best = { kind: 'node', neuronId: neuron.id, branchId: b.id, nodeId: n.id, index: i, point: { x: n.x, y: n.y }, distance: Math.sqrt(d) };
        }
        const prev = i > 0 ? b.nodes[i - 1] : b.parent.kind === 'node' ? where.get(b.parent.nodeId) : undefined;
        if (!prev) return;
        const dx = n.x - prev.x;
        const dy = n.y - prev.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - prev.x) * dx + (py - prev.y) * dy) / len2)) : 0;
        const ds = (prev.x + t * dx - px) ** 2 + (prev.y + t * dy - py) ** 2;
        if (ds < segD || (ds === segD && !seg)) {
          segD = ds;
          seg = { kind: 'segment', neuronId: neuron.id, branchId: b.id, segmentIndex: i, fromNodeId: prev.id, toNodeId: n.id, t, point: { x: prev.x + t * dx, y: prev.y + t * dy }, distance: Math.sqrt(ds) };
        }
      });
  }
  return best ?? seg;
}

describe('per-neuron spatial index', () => {
  it('finds exactly the nodes and incoming segments whose boxes meet a rectangle, in document order', () => {
    const rand = seededRandom(4);
    for (const neuron of FIELD.neurons.slice(0, 8)) {
      const g = neuronGeometry(neuron);
      expect(neuronGeometry(neuron)).toBe(g); // memoized by identity
      for (let q = 0; q < 25; q++) {
        const x = g.box.minX + rand() * (g.box.maxX - g.box.minX);
        const y = g.box.minY + rand() * (g.box.maxY - g.box.minY);
        const w = rand() * 60;
        const expected: number[] = [];
        let k = 0;
        neuron.branches.forEach((b, bi) => {
          const line = g.lines[bi];
          b.nodes.forEach((n, i) => {
            const p = 2 * (i + g.offset[bi]);
            const [ax, ay] = p >= 2 ? [line[p - 2], line[p - 1]] : [n.x, n.y];
            if (Math.min(ax, n.x) <= x + w && Math.max(ax, n.x) >= x && Math.min(ay, n.y) <= y + w && Math.max(ay, n.y) >= y) expected.push(k);
            k++;
          });
        });
        expect([...g.search(x, y, x + w, y + w)]).toEqual(expected);
      }
    }
  });

  it('a segment click is found by the index exactly where a full scan finds it (hand-computed)', () => {
    const doc: AnnotationDocument = {
      neurons: [{ id: 1, name: 'n', color: '#ffd400', soma: null, branches: [{ id: 2, label: 'dendrite', parent: { kind: 'none' }, nodes: [{ id: 3, x: 0, y: 0, z: 0 }, { id: 4, x: 10, y: 0, z: 0 }] }] }],
      nextId: 5,
      calibration: null,
    };
    expect(hitTest(doc, { x: 5, y: 0.5 }, 1)).toEqual({ kind: 'segment', neuronId: 1, branchId: 2, segmentIndex: 1, fromNodeId: 3, toNodeId: 4, t: 0.5, point: { x: 5, y: 0 }, distance: 0.5 });
    expect(hitTest(doc, { x: 9.5, y: 0.5 }, 1)).toMatchObject({ kind: 'node', nodeId: 4 });
    expect(hitTest(doc, { x: 5, y: 1.5 }, 1)).toBeUndefined();
  });

  it('hitTest over 16,000 nodes answers as the full scan does, for nodes, markers and segments', () => {
    const rand = seededRandom(8);
    const all = FIELD.neurons.flatMap((n) => n.branches.flatMap((b) => b.nodes));
    let hits = 0;
    for (let q = 0; q < 600; q++) {
      // Half the queries next to a node (so something is hit), half anywhere.
      const near = all[Math.floor(rand() * all.length)];
      const x = q % 2 ? near.x + (rand() - 0.5) * 6 : rand() * 2048;
      const y = q % 2 ? near.y + (rand() - 0.5) * 6 : rand() * 2048;
      for (const tol of [0.5, 3, 7]) {
        for (const mode of ['all', 'markers'] as const) {
          const got = hitTest(FIELD, { x, y }, tol, mode);
          expect(got).toEqual(scanHit(FIELD, x, y, tol, mode));
          if (got) hits++;
        }
      }
    }
    expect(hits).toBeGreaterThan(1000);
  });
});
