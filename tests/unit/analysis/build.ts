import type { AnnotationDocument, Branch, BranchLabel, Neuron, Soma } from '../../../shared/model/document';
import type { Calibration } from '../../../shared/image/types';
import { seededRandom } from '../../../shared/random';

/** A branch spec: where it starts ('soma', 'none', or [branch index, node index] of an earlier spec) and its nodes. */
export interface BranchSpec {
  from: 'soma' | 'none' | [number, number];
  nodes: Array<[number, number] | [number, number, number]>;
  label?: BranchLabel;
}

/** Builds a one-neuron document with sequential ids; soma given as [x, y(, z)] point or polygon vertices. */
export function buildDoc(spec: { soma?: [number, number, number?] | { polygon: Array<[number, number]> } | null; branches: BranchSpec[]; calibration?: Calibration | null }): AnnotationDocument {
  let next = 1;
  const neuron: Neuron = { id: next++, name: 'n1', color: '#ffffff', soma: null, branches: [] };
  const s = spec.soma === undefined ? [0, 0, 0] : spec.soma;
  let soma: Soma | null = null;
  if (Array.isArray(s)) soma = { kind: 'point', x: s[0], y: s[1], z: s[2] ?? 0 };
  else if (s) soma = { kind: 'polygon', points: s.polygon.map(([x, y]) => ({ x, y })), z: 0 };
  neuron.soma = soma;
  for (const b of spec.branches) {
    const parent: Branch['parent'] =
      b.from === 'soma' ? { kind: 'soma' } : b.from === 'none' ? { kind: 'none' } : { kind: 'node', nodeId: neuron.branches[b.from[0]].nodes[b.from[1]].id };
    const id = next++;
    neuron.branches.push({ id, label: b.label ?? 'dendrite', parent, nodes: b.nodes.map(([x, y, z]) => ({ id: next++, x, y, z: z ?? 0 })) });
  }
  return { neurons: [neuron], nextId: next, calibration: spec.calibration === undefined ? { pixelWidth: 1, pixelHeight: 1, unit: 'µm', source: 'user' } : spec.calibration };
}

/** Seeded PRNG for reproducible random trees. */
export const rng = seededRandom;
