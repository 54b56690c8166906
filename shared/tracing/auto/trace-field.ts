import { polylineLength } from '../path-metrics';
import type { AutoNeuron } from './auto-neuron';
import type { AutoTracer } from './autotrace';
import { type AutoDetail, type AutoTraceCache, pruneTrace } from './prune-trace';
import type { SeedRegion } from './soma';
import { RamifyError } from '../../result';

/**
 * "Detect neurons" on a whole field: every start (cell bodies, else fibre starts) traced together and pruned at
 * `detail`. A fibre start whose trace stays shorter than the shortest fibre (AutoTracer.fibreMinLengthPx) is not reported: its piece of foreground
 * was large enough, but what it traces is a blob or a stub at the image's edge, and a fibre of 0 px is nothing a
 * technician can check. Such a start stays in the search as a competitor (its ground is still its own). Cell bodies
 * are reported whatever they trace. `competitors` are searched from too and never reported (e.g. the rest of the
 * image around a window, window.ts).
 */
export function traceField(tracer: AutoTracer, detail: AutoDetail = {}, scratch?: Uint8Array, competitors: SeedRegion[] = [], traced: readonly SeedRegion[] = []): { cache: AutoTraceCache; neurons: AutoNeuron[]; pruneMs: number; skipped: number } {
  // Cells already in the document (`traced`) are not traced again; they compete, so their dendrites stay theirs.
  const found = tracer.starts();
  const starts = found.filter((s) => traced.every((t) => !overlaps(s, t)));
  const skipped = found.length - starts.length;
  const cache = tracer.trace(starts, [...traced, ...competitors]);
  const t0 = performance.now();
  const neurons = pruneTrace(cache, detail, scratch);
  const pruneMs = performance.now() - t0;
  const minPx = tracer.fibreMinLengthPx;
  const short = neurons.map((n) => n.fibre && tracedLength(n) < minPx);
  if (!short.includes(true)) return { cache, neurons, pruneMs, skipped };
  // Reported seeds that traced a fibre, then the short ones, then the competitors: the first `reported` are reported.
  const all = [...cache.seeds.keys()];
  const order = [...all.filter((k) => k < cache.reported && !short[k]), ...all.filter((k) => short[k]), ...all.filter((k) => k >= cache.reported)];
  const newIndex = new Int32Array(order.length);
  order.forEach((old, k) => (newIndex[old] = k));
  const region = cache.segments.region.map((r) => newIndex[r]);
  const kept: AutoTraceCache = {
    ...cache,
    seeds: order.map((k) => cache.seeds[k]),
    reported: short.filter((s) => !s).length,
    segments: { ...cache.segments, region },
  };
  return { cache: kept, neurons: neurons.filter((_, k) => !short[k]), pruneMs, skipped };
}

/** True when two starts' disks touch: the same cell body (or fibre start) found twice. */
export function overlaps(a: SeedRegion, b: SeedRegion): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) <= Math.max(1, a.r) + Math.max(1, b.r);
}

/** Length of a traced neuron's branches, px. */
function tracedLength(n: AutoNeuron): number {
  return n.branches.reduce((s, b) => s + polylineLength(b.nodes.map((p): [number, number] => [p.x, p.y])), 0);
}

/** Which starts of a trace to trace again with (see traceAgain). */
export interface StartsAgain {
  /** Reported starts kept (indices of cache.seeds below cache.reported), reported in this order. */
  keep: readonly number[];
  /** New starts (clicks), reported after them. */
  add?: readonly SeedRegion[];
  /** Reported starts no longer reported that still compete: a neuron discarded keeps its ground. */
  compete?: readonly number[];
}

/**
 * The field traced again with its starts corrected: a start the technician says is no cell (a swelling or a junction
 * of another cell's dendrites taken for a cell body) is left out, so the cell it lies on takes its branches; a cell
 * body Detect missed is added, so its neighbours give its dendrites up. The competitors (starts never reported, the
 * rest of the image around a window) compete as before, but for one an added start lies on.
 */
export function traceAgain(tracer: AutoTracer, cache: AutoTraceCache, starts: StartsAgain, detail: AutoDetail = {}, scratch?: Uint8Array): { cache: AutoTraceCache; neurons: AutoNeuron[] } {
  const { keep, add = [], compete = [] } = starts;
  const listed = [...keep, ...compete];
  if (listed.some((k) => !Number.isInteger(k) || k < 0 || k >= cache.reported) || new Set(listed).size !== listed.length) throw new RangeError(`keep and compete must list distinct starts below ${cache.reported}`);
  const kept = keep.map((k) => cache.seeds[k]);
  if (add.some((s) => kept.some((k) => !k.fibre && overlaps(k, s)))) throw new RamifyError('invalid-argument', 'That cell body is traced already.');
  const competitors = [...compete.map((k) => cache.seeds[k]), ...cache.seeds.slice(cache.reported)];
  const again = tracer.trace(
    [...kept, ...add],
    competitors.filter((c) => c.fibre || add.every((s) => !overlaps(c, s))),
  );
  return { cache: again, neurons: pruneTrace(again, detail, scratch) };
}
