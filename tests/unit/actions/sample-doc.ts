import type { AnnotationDocument, Branch, BranchParent, TraceNode } from '../../../shared/model/document';

/** A node at (x, y), z = 0. */
export const n = (id: number, x: number, y: number): TraceNode => ({ id, x, y, z: 0 });
export const onNode = (nodeId: number): BranchParent => ({ kind: 'node', nodeId });
export const SOMA: BranchParent = { kind: 'soma' };
export const NONE: BranchParent = { kind: 'none' };
export const br = (id: number, parent: BranchParent, nodes: TraceNode[], label: Branch['label'] = 'dendrite'): Branch => ({ id, label, parent, nodes });

/**
 * Hand-built document used across the action tests (ids chosen by hand, nextId 23):
 *
 * Neuron 1 "Cell A" (soma point at 50,50)
 *   B2  soma        3(60,50) 4(70,50) 5(80,50) 6(90,50)
 *   B7  on node 4   8(70,60) 9(70,70)
 *   B10 on node 9   11(75,80)
 *   B12 detached    13(200,200) 14(210,200) 15(220,200)
 *   B16 on node 14  17(210,210) 18(210,220)
 * Neuron 19 "Cell B" (square soma 300..310)
 *   B20 soma        21(320,305) 22(330,305)
 */
export function sampleDoc(): AnnotationDocument {
  return {
    neurons: [
      {
        id: 1,
        name: 'Cell A',
        color: '#ffd400',
        soma: { kind: 'point', x: 50, y: 50, z: 0 },
        branches: [
          br(2, SOMA, [n(3, 60, 50), n(4, 70, 50), n(5, 80, 50), n(6, 90, 50)]),
          br(7, onNode(4), [n(8, 70, 60), n(9, 70, 70)]),
          br(10, onNode(9), [n(11, 75, 80)]),
          br(12, NONE, [n(13, 200, 200), n(14, 210, 200), n(15, 220, 200)], 'undefined'),
          br(16, onNode(14), [n(17, 210, 210), n(18, 210, 220)], 'undefined'),
        ],
      },
      {
        id: 19,
        name: 'Cell B',
        color: '#00e5ff',
        soma: { kind: 'polygon', points: [{ x: 300, y: 300 }, { x: 310, y: 300 }, { x: 310, y: 310 }, { x: 300, y: 310 }], z: 0 },
        branches: [br(20, SOMA, [n(21, 320, 305), n(22, 330, 305)])],
      },
    ],
    nextId: 23,
    calibration: null,
  };
}

/** Branch ids → node ids and parent, a compact exact picture of a neuron's structure. */
export function shape(doc: AnnotationDocument, neuronId: number): Array<[number, string, number[]]> {
  const neuron = doc.neurons.find((x) => x.id === neuronId);
  if (!neuron) throw new Error(`no neuron ${neuronId}`);
  return neuron.branches.map((b) => [b.id, b.parent.kind === 'node' ? `node ${b.parent.nodeId}` : b.parent.kind, b.nodes.map((x) => x.id)]);
}
