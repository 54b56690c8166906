import { createHistory, dispatch, undo } from '../../shared/actions/history';
import { applyAction } from '../../shared/actions/reducer';
import type { AnnotationDocument, Branch, TraceNode } from '../../shared/model/document';
import { hitTest } from '../../shared/model/hit-test';
import { branchPolyline, nodeTree } from '../../shared/model/queries';

/**
 * Editing cost on big tracings: one neuron of 5,000 nodes, (a) a 1,000-node trunk with 40 side branches of 100
 * nodes, (b) a single 5,000-node branch. The worst-placed node (last one searched) is edited.
 */
function bigDoc(single: boolean): AnnotationDocument {
  let id = 2;
  const nodes = (count: number, x0: number, y0: number, dx: number, dy: number): TraceNode[] =>
    Array.from({ length: count }, (_, i) => ({ id: id++, x: x0 + i * dx, y: y0 + i * dy, z: 0 }));
  const branches: Branch[] = [];
  if (single) {
    branches.push({ id: id++, label: 'dendrite', parent: { kind: 'soma' }, nodes: nodes(5000, 0, 0, 0.5, 0.1) });
  } else {
    const trunkId = id++;
    const trunk = nodes(1000, 0, 0, 1, 0);
    branches.push({ id: trunkId, label: 'dendrite', parent: { kind: 'soma' }, nodes: trunk });
    for (let k = 0; k < 40; k++) {
      const bid = id++;
      branches.push({ id: bid, label: 'dendrite', parent: { kind: 'node', nodeId: trunk[k * 25].id }, nodes: nodes(100, k * 25, 1, 0, 1) });
    }
  }
  return { neurons: [{ id: 1, name: 'big', color: '#ffd400', soma: { kind: 'point', x: -10, y: 0, z: 0 }, branches }], nextId: id, calibration: null };
}

function time(label: string, reps: number, f: (i: number) => void): void {
  for (let i = 0; i < Math.min(50, reps); i++) f(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f(i);
  const us = ((performance.now() - t0) / reps) * 1000;
  console.log(`  ${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs/op`);
}

export async function bench(): Promise<void> {
  for (const single of [false, true]) {
    const doc = bigDoc(single);
    const lastBranch = doc.neurons[0].branches[doc.neurons[0].branches.length - 1];
    const last = lastBranch.nodes[lastBranch.nodes.length - 1];
    console.log(`editing: 5,000-node neuron, ${single ? 'one branch' : 'trunk + 40 branches'}`);
    time('moveNode (last node)', 2000, (i) => applyAction(doc, { type: 'moveNode', nodeId: last.id, x: i, y: 1 }));
    let h = createHistory(doc);
    time('dispatch moveNode, coalesced drag', 2000, (i) => {
      h = dispatch(h, { type: 'moveNode', nodeId: last.id, x: i + 0.5, y: 2 }, { coalesceKey: 'drag' });
    });
    time('undo', 2000, () => undo(h));
    time('insertNode (last segment)', 1000, (i) =>
      applyAction(doc, { type: 'insertNode', branchId: lastBranch.id, index: lastBranch.nodes.length - 1, x: last.x + i * 1e-6, y: last.y }));
    time('deleteNode (last node)', 1000, () => applyAction(doc, { type: 'deleteNode', nodeId: last.id }));
    time('extendBranch (+10 nodes)', 1000, () => applyAction(doc, { type: 'extendBranch', branchId: lastBranch.id, nodes: Array.from({ length: 10 }, (_, k) => ({ x: k, y: k })) }));
    time('moveNode + every branchPolyline (render after a drag step)', 500, (i) => {
      const neuron = applyAction(doc, { type: 'moveNode', nodeId: last.id, x: i + 0.25, y: 3 }).neurons[0];
      for (const b of neuron.branches) branchPolyline(neuron, b);
    });
    time('moveNode + full nodeTree (parentOf, for analysis)', 200, (i) => nodeTree(applyAction(doc, { type: 'moveNode', nodeId: last.id, x: i + 0.75, y: 3 }).neurons[0]).parentOf);
    nodeTree(doc.neurons[0]);
    time('hitTest (miss, full scan, tree cached)', 1000, (i) => hitTest(doc, { x: -500, y: i }, 3));
    let d = doc;
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) d = applyAction(d, { type: 'moveNode', nodeId: last.id, x: i, y: 0 });
    console.log(`  ${'1,000 chained moveNode'.padEnd(58)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms total`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
