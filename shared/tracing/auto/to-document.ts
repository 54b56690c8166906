import type { AddTracedNeuron, ReplaceTracedNeuron } from '../../actions/actions';
import type { AutoNeuron } from './autotrace';

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The named action that adds an automatic trace as one neuron (one undo step). A cell body becomes a point soma with
 * its radius and its branches soma branches; a fibre start has no soma and its first branch begins at the start.
 */
export function autoNeuronAction(neuron: AutoNeuron, o: { name?: string; color?: string } = {}): AddTracedNeuron {
  const fibre = neuron.fibre;
  return {
    type: 'addTracedNeuron',
    ...(o.name ? { name: o.name } : {}),
    ...(o.color ? { color: o.color } : {}),
    soma: fibre ? null : { kind: 'point', x: round3(neuron.soma.x), y: round3(neuron.soma.y), z: 0, r: round3(neuron.soma.r) },
    branches: neuron.branches.map((b) => ({
      parent: b.parent,
      parentNode: b.parentNode,
      nodes: b.nodes.map((n) => ({ x: round3(n.x), y: round3(n.y), r: round3(n.r) })),
    })),
  };
}

/** The action that swaps neuron `neuronId`'s tree for `neuron` (the same trace at another detail level). */
export function autoNeuronReplaceAction(neuronId: number, neuron: AutoNeuron): ReplaceTracedNeuron {
  const { soma, branches } = autoNeuronAction(neuron);
  return { type: 'replaceTracedNeuron', neuronId, soma, branches };
}
