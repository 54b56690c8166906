import type { AnnotationDocument } from './document';
import { nodeTree, rootBranchId } from './queries';

/**
 * Invariants every document the reducer produces satisfies; loaders should check foreign files with this before
 * accepting them. Returns one human sentence per violation (empty = valid).
 */
export function validateDocument(doc: AnnotationDocument): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(doc.nextId) || doc.nextId < 1) problems.push(`nextId ${doc.nextId} is not a positive integer.`);
  const seen = new Set<number>();
  const claim = (id: number, what: string): void => {
    if (!Number.isInteger(id)) problems.push(`${what} has a non-integer id ${id}.`);
    else if (seen.has(id)) problems.push(`Id ${id} is used more than once (${what}).`);
    else if (id >= doc.nextId) problems.push(`${what} has id ${id}, not below nextId ${doc.nextId}.`);
    seen.add(id);
  };
  for (const neuron of doc.neurons) {
    claim(neuron.id, `Neuron #${neuron.id}`);
    if (neuron.soma?.kind === 'polygon' && neuron.soma.points.length < 3) problems.push(`Neuron #${neuron.id} has a soma outline with fewer than 3 points.`);
    const tree = nodeTree(neuron);
    for (const branch of neuron.branches) {
      claim(branch.id, `Branch #${branch.id}`);
      if (branch.nodes.length === 0) problems.push(`Branch #${branch.id} has no nodes.`);
      for (const node of branch.nodes) {
        claim(node.id, `Node #${node.id}`);
        if (!Number.isFinite(node.x) || !Number.isFinite(node.y) || !Number.isFinite(node.z)) problems.push(`Node #${node.id} has a non-finite coordinate.`);
      }
      if (branch.parent.kind === 'node' && !tree.locate.has(branch.parent.nodeId)) {
        problems.push(`Branch #${branch.id} starts at node #${branch.parent.nodeId}, which is not in neuron #${neuron.id}.`);
      } else if (branch.parent.kind === 'node' && rootBranchId(neuron, branch.id) === undefined) {
        problems.push(`Branch #${branch.id} is part of a cycle of branches.`);
      }
    }
  }
  return problems;
}
