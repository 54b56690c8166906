import { applyAction } from '../../actions/reducer';
import type { DecodedImage } from '../../image/types';
import { planeIndex } from '../../image/types';
import { emptyDocument, type AnnotationDocument } from '../../model/document';
import { RamifyError } from '../../result';
import { AutoTracer, pruneTrace, type AutoDetail, type AutoNeuron, type AutoTraceCache, type AutoTraceOptions } from './autotrace';
import { moreSignalIn } from './channel-signal';
import { zProjection } from '../../image/projection';
import { atDepth, depthMap, depthSamplePoints, sampleDepths, withDepths } from './depth';
import { brightBackground, signalFromPlane } from './signal';
import { autoNeuronStats, type AutoNeuronStats } from './stats';
import { traceField } from './trace-field';
import { autoNeuronAction, autoParameters, type AutoParameters } from './to-document';
import { AUTO_TRACE_MAX_PIXELS, FIRST_WINDOW_PIXELS, fromWindow, growingWindows, innerEdges, outsideRegion, reachesRegion, tooLargeForOneTrace, type PixelRect } from './window';
import { cropPlane } from '../../display/pyramid';

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
  /**
   * Most pixels one trace reads (default AUTO_TRACE_MAX_PIXELS): a larger image is traced around its clicks in a
   * window (window.ts), FIRST_WINDOW_PIXELS first and four times that while the trace runs into the window's edge.
   * Detect (no clicks) on a larger image throws invalid-argument.
   */
  maxPixels?: number;
  /** Pixels of the first window around the clicks on a larger image; default FIRST_WINDOW_PIXELS. */
  firstWindowPixels?: number;
}

export interface AutoTraceOutcome {
  neurons: AutoNeuron[];
  stats: AutoNeuronStats[];
  cache: AutoTraceCache;
  /** Settings recorded with each traced neuron. */
  parameters: AutoParameters;
  /** Stage timings in ms, totalMs included. */
  timings: Record<string, number>;
  /** The part of the image traced: all of it, or on a large image the window around the clicks (image px). */
  window: PixelRect;
  /** True when the largest window still cut a traced cell: it may go on past it. */
  cut: boolean;
  /** When nothing was found on an image of several channels: another channel with clearly more signal (0-based), else null. */
  moreSignalIn: number | null;
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
  const seeds = request.seeds ?? [];
  const max = request.maxPixels ?? AUTO_TRACE_MAX_PIXELS;
  if (seeds.length === 0 && info.width * info.height > max) {
    throw new RamifyError('invalid-argument', `${tooLargeForOneTrace(info.width, info.height, max)}: trace its cells by their cell bodies, each in a window around it.`);
  }
  const plane = planeOf(channel);
  const n = request.nucleusChannel;
  const nucleusPlane = n !== undefined && n >= 0 && n < info.channels && n !== channel ? planeOf(n) : undefined;
  /** One trace of `window`; inside a larger image the rest of it competes at the window's inner edges (outsideRegion). */
  const traceIn = (window: PixelRect) => {
    const whole = window.width === info.width && window.height === info.height;
    const part = (p: typeof plane) => (whole ? p : cropPlane(p, info.width, window.x, window.y, window.width, window.height));
    const shape = { ...info, width: window.width, height: window.height };
    const tracer = new AutoTracer(signalFromPlane(part(plane), shape), { ...request.options, pixelSize: info.calibration?.pixelWidth ?? null });
    const nucleus = nucleusPlane ? signalFromPlane(part(nucleusPlane), shape) : undefined;
    const outside = whole ? null : outsideRegion(tracer.foreground.mask, window.width, window.height, innerEdges(window, info.width, info.height));
    if (seeds.length > 0) {
      const regions = seeds.map((q) => tracer.seedAt(q.x - window.x, q.y - window.y));
      const cache = tracer.trace(regions, [...tracer.competitorsOf(regions, nucleus), ...(outside ? [outside] : [])]);
      const t1 = performance.now();
      const neurons = fromWindow(pruneTrace(cache, request.detail ?? {}), window);
      // The outside is the last region searched from: a cell touching it runs on past the window.
      return { cache, neurons, pruneMs: performance.now() - t1, reachesOutside: outside !== null && reachesRegion(cache, cache.seeds.length - 1) };
    }
    return { ...traceField(tracer, request.detail ?? {}, nucleus), reachesOutside: false };
  };
  const windows = growingWindows(info.width, info.height, seeds, null, max, request.firstWindowPixels ?? FIRST_WINDOW_PIXELS);
  let window = windows.next(false).value as PixelRect;
  let r = traceIn(window);
  for (let next = windows.next(r.reachesOutside); !next.done; next = windows.next(r.reachesOutside)) r = traceIn((window = next.value));
  const { cache, pruneMs } = r;
  let { neurons } = r;
  const t2 = performance.now();
  if (projected && request.depth) {
    const map = depthMap(stack(channel), info.width, info.height, bright);
    neurons = withDepths(neurons, sampleDepths(map, info.width, info.height, depthSamplePoints(neurons)));
  } else if (slice) neurons = atDepth(neurons, slice);
  const depthMs = performance.now() - t2;
  return {
    neurons,
    stats: neurons.map(autoNeuronStats),
    cache,
    parameters: autoParameters(cache, request.detail ?? {}),
    timings: { ...cache.timings, pruneMs, ...(projected && request.depth ? { depthMs } : {}), totalMs: performance.now() - t0 },
    window,
    cut: r.reachesOutside,
    moreSignalIn: neurons.length === 0 && info.channels > 1 ? moreSignalIn(Array.from({ length: info.channels }, (_, c) => cropPlane(planeOf(c), info.width, window.x, window.y, window.width, window.height)), channel) : null,
  };
}

/** A document holding the traced neurons (appended to `base` when given), each added by one addTracedNeuron action. */
export function documentWithNeurons(neurons: readonly AutoNeuron[], base: AnnotationDocument | null, calibration: AnnotationDocument['calibration'], parameters?: AutoParameters): AnnotationDocument {
  let doc = base ?? emptyDocument(calibration);
  for (const n of neurons) doc = applyAction(doc, autoNeuronAction(n, { parameters }));
  return doc;
}
