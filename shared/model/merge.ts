import type { AnnotationDocument, Branch, Neuron } from './document';

/**
 * Adds the neurons of `imported` (an SWC, NeuronJ or other annotation file) to `target`, renumbering every id
 * above target's so nothing collides: id' = id + target.nextId. Calibration stays the target's (positions are px of
 * the image on screen). Pure; commit the result as one undo step.
 */
export function mergeDocuments(target: AnnotationDocument, imported: AnnotationDocument): AnnotationDocument {
  if (imported.neurons.length === 0) return target;
  const shift = target.nextId;
  const shiftBranch = (b: Branch): Branch => ({
    ...b,
    id: b.id + shift,
    parent: b.parent.kind === 'node' ? { kind: 'node', nodeId: b.parent.nodeId + shift } : b.parent,
    nodes: b.nodes.map((n) => ({ ...n, id: n.id + shift })),
  });
  const neurons: Neuron[] = imported.neurons.map((n) => ({ ...n, id: n.id + shift, branches: n.branches.map(shiftBranch) }));
  return { ...target, neurons: [...target.neurons, ...neurons], nextId: shift + imported.nextId };
}
