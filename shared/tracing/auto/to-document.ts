import type { AddTracedNeuron, ReplaceTracedNeuron } from '../../actions/actions';
import { pruneOptionsFor, type AutoDetail, type AutoNeuron, type AutoTraceCache } from './autotrace';

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Name and version of this tracer as recorded in annotation files. */
export const AUTO_TRACER = 'ramify-app2 1';

/** Settings of a trace as recorded with it. */
export type AutoParameters = Record<string, number | string | boolean | null>;

/** What a neuron's provenance records about the trace that made it: detail level and search settings. */
export function autoParameters(cache: AutoTraceCache, detail: AutoDetail): AutoParameters {
  const prune = pruneOptionsFor(detail, cache.pixelSize);
  return {
    minBranchPx: round3(prune.minLength ?? 0),
    pruningStrength: prune.minUncoveredShare ?? null,
    minStrength: prune.minStrength ?? null,
    lambda: cache.parameters.lambda,
    gapPx: cache.parameters.gapPx,
    pixelSizeUm: cache.pixelSize,
    inverted: cache.parameters.inverted,
  };
}

/**
 * The named action that adds an automatic trace as one neuron (one undo step). A cell body becomes a point soma with
 * its radius and its branches soma branches; a fibre start has no soma and its first branch begins at the start.
 */
export function autoNeuronAction(neuron: AutoNeuron, o: { name?: string; color?: string; parameters?: AutoParameters } = {}): AddTracedNeuron {
  const fibre = neuron.fibre;
  return {
    type: 'addTracedNeuron',
    ...(o.name ? { name: o.name } : {}),
    ...(o.color ? { color: o.color } : {}),
    ...(o.parameters ? { provenance: { tracer: AUTO_TRACER, parameters: o.parameters } } : {}),
    soma: fibre ? null : { kind: 'point', x: round3(neuron.soma.x), y: round3(neuron.soma.y), z: 0, r: round3(neuron.soma.r) },
    branches: neuron.branches.map((b) => ({
      parent: b.parent,
      parentNode: b.parentNode,
      nodes: b.nodes.map((n) => ({ x: round3(n.x), y: round3(n.y), r: round3(n.r) })),
    })),
  };
}

/** The action that swaps neuron `neuronId`'s tree for `neuron` (the same trace at another detail level). */
export function autoNeuronReplaceAction(neuronId: number, neuron: AutoNeuron, parameters?: AutoParameters): ReplaceTracedNeuron {
  const { soma, branches, provenance } = autoNeuronAction(neuron, { parameters });
  return { type: 'replaceTracedNeuron', neuronId, soma, branches, ...(provenance ? { provenance } : {}) };
}
