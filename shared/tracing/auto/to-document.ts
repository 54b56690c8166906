import type { AddTracedNeuron, ReplaceTracedNeuron } from '../../actions/actions';
import type { AutoNeuron } from './auto-neuron';
import { type AutoDetail, type AutoTraceCache, pruneOptionsFor } from './prune-trace';

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Name and version of this tracer as recorded in annotation files. */
export const AUTO_TRACER = 'ramify-app2 38';

/** Settings of a trace as recorded with it. */
export type AutoParameters = Record<string, number | string | boolean | null>;

/**
 * What a neuron's provenance records about the trace that made it: the channel traced (0-based), detail level and
 * search settings, and the nuclear-stain channel cell bodies were found on, when there was one.
 */
export function autoParameters(cache: AutoTraceCache, detail: AutoDetail, channel: number, nucleusChannel?: number): AutoParameters {
  const prune = pruneOptionsFor(detail, cache.pixelSize);
  return {
    minBranchPx: round3(prune.minLength ?? 0),
    pruningStrength: prune.minUncoveredShare ?? null,
    minStrength: prune.minStrength ?? null,
    lambda: cache.parameters.lambda,
    gapPx: cache.parameters.gapPx,
    pixelSizeUm: cache.pixelSize,
    inverted: cache.parameters.inverted,
    channel,
    ...(nucleusChannel !== undefined ? { nucleusChannel } : {}),
  };
}

/** How a traced neuron is added: name, colour, the settings recorded with it, and `z` of the plane it was traced on. */
export interface AutoNeuronOptions {
  name?: string;
  color?: string;
  parameters?: AutoParameters;
  /** z (slice index) of every node and of the soma that has none of its own (AutoNode.z); default 0. */
  z?: number;
}

/**
 * The named action that adds an automatic trace as one neuron (one undo step). A cell body becomes a point soma with
 * its radius and its branches soma branches; a fibre start has no soma and its first branch begins at the start.
 */
export function autoNeuronAction(neuron: AutoNeuron, o: AutoNeuronOptions = {}): AddTracedNeuron {
  const fibre = neuron.fibre;
  const z = o.z ?? 0;
  return {
    type: 'addTracedNeuron',
    ...(o.name ? { name: o.name } : {}),
    ...(o.color ? { color: o.color } : {}),
    ...(o.parameters ? { provenance: { tracer: AUTO_TRACER, parameters: o.parameters } } : {}),
    soma: fibre ? null : { kind: 'point', x: round3(neuron.soma.x), y: round3(neuron.soma.y), z: neuron.soma.z ?? z, r: round3(neuron.soma.r) },
    branches: neuron.branches.map((b) => ({
      parent: b.parent,
      parentNode: b.parentNode,
      nodes: b.nodes.map((n) => ({ x: round3(n.x), y: round3(n.y), z: n.z ?? z, r: round3(n.r) })),
    })),
  };
}

/** The action that swaps neuron `neuronId`'s tree for `neuron` (the same trace at another detail level, same plane). */
export function autoNeuronReplaceAction(neuronId: number, neuron: AutoNeuron, o: Pick<AutoNeuronOptions, 'parameters' | 'z'> = {}): ReplaceTracedNeuron {
  const { soma, branches, provenance } = autoNeuronAction(neuron, o);
  return { type: 'replaceTracedNeuron', neuronId, soma, branches, ...(provenance ? { provenance } : {}) };
}
