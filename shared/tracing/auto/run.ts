import { applyAction } from '../../actions/reducer';
import type { DecodedImage } from '../../image/types';
import { planeIndex } from '../../image/types';
import { emptyDocument, type AnnotationDocument } from '../../model/document';
import { RamifyError } from '../../result';
import { AutoTracer, pruneTrace, type AutoDetail, type AutoNeuron, type AutoTraceCache, type AutoTraceOptions } from './autotrace';
import { zProjection } from '../../image/projection';
import { atDepth, depthMap, depthSamplePoints, sampleDepths, withDepths } from './depth';
import { brightBackground, signalFromPlane } from './signal';
import { autoNeuronStats, type AutoNeuronStats } from './stats';
import { traceField } from './trace-field';
import { autoNeuronAction, autoParameters, type AutoParameters } from './to-document';

/** What to trace in a decoded image. */
export interface AutoTraceRequest {
  /** 0-based channel to trace (first time point). */
  channel?: number;
  /** 0-based z-slice to trace (nodes at that z). Without it a z-stack is traced on its projection. */
  slice?: number;
  /**
   * On a projection: give every node the depth where the stack is brightest under it (depth.ts), a 3D tracing.
   * Default false: a projection's trace is planar at z = 0, as a hand tracing on it is (the lab's 2D protocol).
   */
  depth?: boolean;
  /** 0-based nuclear-stain channel for soma detection, if the image has one. */
  nucleusChannel?: number;
  /** Clicks on cell bodies or fibre starts (document px); none = detect every neuron of the field. */
  seeds?: Array<{ x: number; y: number }>;
  detail?: AutoDetail;
  options?: Omit<AutoTraceOptions, 'pixelSize'>;
}

export interface AutoTraceOutcome {
  neurons: AutoNeuron[];
  stats: AutoNeuronStats[];
  cache: AutoTraceCache;
  /** Settings recorded with each traced neuron. */
  parameters: AutoParameters;
  /** Stage timings in ms, totalMs included. */
  timings: Record<string, number>;
}

/** The whole automatic trace of one image: signal, tracer, seeds (given or detected), search, pruning. */
export function autoTraceImage(image: DecodedImage, request: AutoTraceRequest = {}): AutoTraceOutcome {
  const t0 = performance.now();
  const { info } = image;
  const channel = request.channel ?? 0;
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.channels) throw new RamifyError('invalid-argument', `Channel ${channel + 1} is out of range: the image has ${info.channels} channel(s).`);
  for (const s of request.seeds ?? []) {
    if (!(s.x >= 0 && s.y >= 0 && s.x < info.width && s.y < info.height)) {
      throw new RamifyError('invalid-argument', `Seed (${s.x}, ${s.y}) is outside the ${info.width}×${info.height} image.`);
    }
  }
  const slice = request.slice;
  if (slice !== undefined && !(Number.isInteger(slice) && slice >= 0 && slice < info.slices)) throw new RamifyError('invalid-argument', `Slice ${slice + 1} is out of range: the image has ${info.slices} slice(s).`);
  const stack = (c: number) => Array.from({ length: info.slices }, (_, z) => image.planes[planeIndex(info, c, z, 0)]);
  const projected = info.slices > 1 && slice === undefined;
  const bright = projected && brightBackground(stack(channel), info);
  const planeOf = (c: number) => (projected ? zProjection(stack(c), bright) : image.planes[planeIndex(info, c, slice ?? 0, 0)]);
  const signal = signalFromPlane(planeOf(channel), info);
  const tracer = new AutoTracer(signal, { ...request.options, pixelSize: info.calibration?.pixelWidth ?? null });
  const n = request.nucleusChannel;
  const nucleus = n !== undefined && n >= 0 && n < info.channels && n !== channel ? signalFromPlane(planeOf(n), info) : undefined;
  let cache;
  let neurons;
  let pruneMs;
  if (request.seeds && request.seeds.length > 0) {
    const seeds = request.seeds.map((s) => tracer.seedAt(s.x, s.y));
    cache = tracer.trace(seeds, tracer.competitorsOf(seeds, nucleus));
    const t1 = performance.now();
    neurons = pruneTrace(cache, request.detail ?? {});
    pruneMs = performance.now() - t1;
  } else {
    ({ cache, neurons, pruneMs } = traceField(tracer, request.detail ?? {}, nucleus));
  }
  const t2 = performance.now();
  if (projected && request.depth) {
    const map = depthMap(stack(channel), info.width, info.height, bright);
    neurons = withDepths(neurons, sampleDepths(map, info.width, info.height, depthSamplePoints(neurons)));
  } else if (slice) neurons = atDepth(neurons, slice);
  const depthMs = performance.now() - t2;
  return { neurons, stats: neurons.map(autoNeuronStats), cache, parameters: autoParameters(cache, request.detail ?? {}), timings: { ...cache.timings, pruneMs, ...(projected && request.depth ? { depthMs } : {}), totalMs: performance.now() - t0 } };
}

/** A document holding the traced neurons (appended to `base` when given), each added by one addTracedNeuron action. */
export function documentWithNeurons(neurons: readonly AutoNeuron[], base: AnnotationDocument | null, calibration: AnnotationDocument['calibration'], parameters?: AutoParameters): AnnotationDocument {
  let doc = base ?? emptyDocument(calibration);
  for (const n of neurons) doc = applyAction(doc, autoNeuronAction(n, { parameters }));
  return doc;
}
