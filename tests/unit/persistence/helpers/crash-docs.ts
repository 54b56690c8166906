import { newAnnotationFile, type AnnotationFile } from '../../../../shared/formats/annotation-file';
import type { AnnotationDocument, Branch, Neuron } from '../../../../shared/model/document';
import { br, n, SOMA } from '../../actions/sample-doc';

/** One neuron: a point soma and one dendrite of `nodes` nodes along x, last modified at `modifiedAt`. */
export function fileWith(nodes: number, modifiedAt = '2026-12-02T09:00:00.000Z'): AnnotationFile {
  const doc: AnnotationDocument = {
    neurons: [{ id: 1, name: 'Cell 1', color: '#ffd400', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [br(2, SOMA, Array.from({ length: nodes }, (_, i) => n(3 + i, 10 * (i + 1), 0)))] }],
    nextId: 3 + nodes,
    calibration: null,
  };
  const f = newAnnotationFile(doc, { appVersion: 't', now: new Date('2026-12-02T09:00:00Z') });
  return { ...f, review: { ...f.review, modifiedAt } };
}

/**
 * Two large annotation files that differ in every node position (version B = A shifted by 0.5 px) and in the
 * modification time, so any mixture of the two — or a truncation — is detectable. Branches of 50 nodes, each
 * attached to the middle node of the previous one.
 */
export function crashVersions(nodes: number): [AnnotationFile, AnnotationFile] {
  const make = (shift: number, modifiedAt: string): AnnotationFile => {
    let id = 1;
    const neuron: Neuron = { id: id++, name: 'crash test', color: '#00e5ff', soma: { kind: 'point', x: 1000, y: 1000, z: 0, r: 8 }, branches: [] };
    let made = 0;
    let previous: Branch | null = null;
    while (made < nodes) {
      const count = Math.min(50, nodes - made);
      const branch: Branch = { id: id++, label: 'dendrite', parent: previous ? { kind: 'node', nodeId: previous.nodes[Math.floor(previous.nodes.length / 2)].id } : { kind: 'soma' }, nodes: [] };
      for (let k = 0; k < count; k++) {
        const i = made + k;
        branch.nodes.push({ id: id++, x: 1000 + (i % 997) * 1.25 + shift, y: 1000 + Math.floor(i / 997) * 0.75 + shift, z: 0, r: 1 + (i % 7) * 0.125 });
      }
      made += count;
      neuron.branches.push(branch);
      previous = branch;
    }
    const file = newAnnotationFile({ neurons: [neuron], nextId: id, calibration: { pixelWidth: 0.3125, pixelHeight: 0.3125, unit: 'µm', source: 'imagej' } }, { appVersion: 'crash-test', now: new Date('2025-01-01T00:00:00Z') });
    file.review.modifiedAt = modifiedAt;
    return file;
  };
  return [make(0, '2025-01-01T00:00:00Z'), make(0.5, '2025-01-02T00:00:00Z')];
}
