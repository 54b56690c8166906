import { NEURON_COLORS, type AnnotationDocument, type Branch, type Neuron } from './document';

/**
 * Adds the neurons of `imported` (an SWC, NeuronJ or other annotation file) to `target`, renumbering every id
 * above target's so nothing collides: id' = id + target.nextId. Calibration stays the target's (positions are px of
 * the image on screen). Imported neurons take the next colours of the palette after target's, so a second import does
 * not repeat the first one's colour. Pure; commit the result as one undo step.
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
  const neurons: Neuron[] = imported.neurons.map((n, k) => ({
    ...n,
    id: n.id + shift,
    color: NEURON_COLORS[(target.neurons.length + k) % NEURON_COLORS.length],
    branches: n.branches.map(shiftBranch),
  }));
  return { ...target, neurons: [...target.neurons, ...neurons], nextId: shift + imported.nextId };
}
