import { applyAction } from '../../actions/reducer';
import { isColourPicture, planeIndex, type Calibration, type DecodedImage, type ImageInfo, type PixelArray } from '../../image/types';
import { emptyDocument, type AnnotationDocument } from '../../model/document';
import { RamifyError } from '../../result';
import type { AutoNeuron } from './auto-neuron';
import { type AutoTraceOptions, AutoTracer } from './autotrace';
import { tracingPixelSize } from './pixel-size';
import { microscopeCalibration } from '../../image/calibration';
import { type AutoDetail, type AutoTraceCache, pruneTrace } from './prune-trace';
import { moreSignalIn } from './channel-signal';
import { nuclearStainIn } from './nuclear-stain';
import { zProjection } from '../../image/projection';
import { atDepth, depthMap, depthSamplePoints, sampleDepths, withDepths } from './depth';
import { brightBackground, signalFromPlane } from './signal';
import { autoNeuronStats, type AutoNeuronStats } from './stats';
import { traceField } from './trace-field';
import { autoNeuronAction, autoParameters, type AutoParameters } from './to-document';
import { AUTO_TRACE_MAX_PIXELS, FIRST_WINDOW_PIXELS, fromWindow, growingWindows, innerEdges, outsideRegion, reachesRegion, tooLargeForOneTrace, type PixelRect } from './window';
import { cropPlane } from '../../display/pyramid';
import { plural } from '../../text/plural';

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
  /** The pixel size to read lengths at instead of the image's (the user's, where the file has none or a wrong one). */
  calibration?: Calibration;
  /**
   * Most pixels one trace reads (default AUTO_TRACE_MAX_PIXELS): a larger image is traced around its clicks in a
   * window (window.ts), FIRST_WINDOW_PIXELS first and four times that while the trace runs into the window's edge.
   * Detect (no clicks) on a larger image throws invalid-argument.
   */
  maxPixels?: number;
  /** Pixels of the first window around the clicks on a larger image; default FIRST_WINDOW_PIXELS. */
  firstWindowPixels?: number;
  /** False: when Detect finds no cell body, do not look for a nuclear stain among the other channels (nuclearStainIn). */
  nuclearStainHint?: boolean;
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
  /**
   * When nothing was found on an image of several channels, or Detect found fibres only, or whatever was found on a
   * colour image: another channel with clearly more signal (channel-signal.ts, 0-based), else null.
   */
  moreSignalIn: number | null;
  /**
   * When Detect found no cell body (fibres only, or nothing) on an image of several channels traced without a nuclear
   * stain: another channel that looks like one (nuclear-stain.ts, 0-based), else null. Its nuclei find the cell bodies
   * a dendrite stain leaves hollow.
   */
  nuclearStainIn: number | null;
}

/** Planes (by planeIndex) over one rectangle of the image: what a trace asks its image for, window by window. */
export interface PlaneRead {
  planes: number[];
  rect: PixelRect;
}

/** The whole automatic trace of one decoded image: signal, tracer, seeds (given or detected), search, pruning. */
export function autoTraceImage(image: DecodedImage, request: AutoTraceRequest = {}): AutoTraceOutcome {
  const steps = traceSteps(image.info, request);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const { planes, rect } = step.value;
    const whole = rect.width === image.info.width && rect.height === image.info.height;
    step = steps.next(planes.map((p) => (whole ? image.planes[p] : cropPlane(image.planes[p], image.info.width, rect.x, rect.y, rect.width, rect.height))));
  }
}

/**
 * autoTraceImage on an image read a rectangle at a time (`read`, e.g. a TIFF's strips or tiles by byte ranges): a
 * click on a slide scan reads only the windows around it. The same trace as on the decoded image, except that a
 * stack's polarity and depths come from the window rather than the whole stack.
 */
export async function autoTraceRegions(info: ImageInfo, read: (r: PlaneRead) => Promise<PixelArray[]>, request: AutoTraceRequest = {}): Promise<AutoTraceOutcome> {
  const steps = traceSteps(info, request);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    step = steps.next(await read(step.value));
  }
}

/** The trace, asking for the planes of each window it reads (yield) and given them back (next). */
function* traceSteps(info: ImageInfo, request: AutoTraceRequest): Generator<PlaneRead, AutoTraceOutcome, PixelArray[]> {
  const t0 = performance.now();
  const channel = request.channel ?? 0;
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.channels) throw new RamifyError('invalid-argument', `Channel ${channel + 1} is out of range: the image has ${plural(info.channels, 'channel')}.`);
  for (const s of request.seeds ?? []) {
    if (!(s.x >= 0 && s.y >= 0 && s.x < info.width && s.y < info.height)) {
      throw new RamifyError('invalid-argument', `Seed (${s.x}, ${s.y}) is outside the ${info.width}×${info.height} image.`);
    }
  }
  const slice = request.slice;
  if (slice !== undefined && !(Number.isInteger(slice) && slice >= 0 && slice < info.slices)) throw new RamifyError('invalid-argument', `Slice ${slice + 1} is out of range: the image has ${plural(info.slices, 'slice')}.`);
  const projected = info.slices > 1 && slice === undefined;
  const planesOf = (c: number) => (projected ? Array.from({ length: info.slices }, (_, z) => planeIndex(info, c, z, 0)) : [planeIndex(info, c, slice ?? 0, 0)]);
  const seeds = request.seeds ?? [];
  const max = request.maxPixels ?? AUTO_TRACE_MAX_PIXELS;
  if (seeds.length === 0 && info.width * info.height > max) {
    throw new RamifyError('invalid-argument', `${tooLargeForOneTrace(info.width, info.height, max)}: trace its cells by their cell bodies, each in a window around it.`);
  }
  /** Whether the traced stack's background is bright (its projection is then the darkest slice), from its first read. */
  let bright: boolean | null = null;
  /** The traced channel's slices over the window last read (for the depths of a projection's trace). */
  let stack: PixelArray[] = [];
  /** Channel c over `window`: its plane, or its stack's projection. */
  const planeIn = function* (c: number, window: PixelRect): Generator<PlaneRead, PixelArray, PixelArray[]> {
    const slices = yield { planes: planesOf(c), rect: window };
    if (!projected) return slices[0];
    bright ??= brightBackground(slices, info, window.width);
    if (c === channel) stack = slices;
    return zProjection(slices, bright);
  };
  const nucleusChannel = request.nucleusChannel;
  if (nucleusChannel !== undefined) {
    if (!Number.isInteger(nucleusChannel) || nucleusChannel < 0 || nucleusChannel >= info.channels) throw new RamifyError('invalid-argument', `Nuclear channel ${nucleusChannel + 1} is out of range: the image has ${plural(info.channels, 'channel')}.`);
    if (nucleusChannel === channel) throw new RamifyError('invalid-argument', `Channel ${channel + 1} is the one traced; the nuclear stain must be another channel.`);
  }
  /** One trace of `window`; inside a larger image the rest of it competes at the window's inner edges (outsideRegion). */
  const traceIn = function* (window: PixelRect) {
    const whole = window.width === info.width && window.height === info.height;
    const shape = { ...info, width: window.width, height: window.height };
    const plane = yield* planeIn(channel, window);
    const nucleus = nucleusChannel !== undefined ? signalFromPlane(yield* planeIn(nucleusChannel, window), shape) : undefined;
    const tracer = new AutoTracer(signalFromPlane(plane, shape), { ...request.options, pixelSize: tracingPixelSize(request.calibration ?? info.calibration), nucleus });
    const outside = whole ? null : outsideRegion(tracer.foreground.mask, window.width, window.height, innerEdges(window, info.width, info.height));
    if (seeds.length > 0) {
      const regions = seeds.map((q) => tracer.seedAt(q.x - window.x, q.y - window.y));
      const cache = tracer.trace(regions, [...tracer.competitorsOf(regions), ...(outside ? [outside] : [])]);
      const t1 = performance.now();
      const neurons = pruneTrace(cache, request.detail ?? {});
      // The outside is the last region searched from: a cell touching it runs on past the window.
      return { plane, cache, neurons, pruneMs: performance.now() - t1, reachesOutside: outside !== null && reachesRegion(cache, cache.seeds.length - 1) };
    }
    return { plane, ...traceField(tracer, request.detail ?? {}), reachesOutside: false };
  };
  const windows = growingWindows(info.width, info.height, seeds, null, max, request.firstWindowPixels ?? FIRST_WINDOW_PIXELS);
  let window = windows.next(false).value as PixelRect;
  let r = yield* traceIn(window);
  for (let next = windows.next(r.reachesOutside); !next.done; next = windows.next(r.reachesOutside)) r = yield* traceIn((window = next.value));
  const { cache, pruneMs } = r;
  // r.neurons are in window px until here.
  let neurons = r.neurons;
  const t2 = performance.now();
  if (projected && request.depth) {
    const map = depthMap(stack, window.width, window.height, bright === true);
    neurons = withDepths(neurons, sampleDepths(map, window.width, window.height, depthSamplePoints(neurons)));
  } else if (slice) neurons = atDepth(neurons, slice);
  neurons = fromWindow(neurons, window);
  const depthMs = performance.now() - t2;
  let moreSignal: number | null = null;
  let nuclei: number | null = null;
  // Detect that found no cell body (fibres or nothing) may be on cells whose nucleus the dendrite stain leaves dark.
  const noBody = seeds.length === 0 && nucleusChannel === undefined && request.nuclearStainHint !== false && neurons.every((n) => n.fibre);
  // The channels of a colour image share one scale: one far brighter than the one traced is worth naming whatever
  // was found (a green stain traced in red finds the faint ghost JPEG compression leaves there).
  const colour = isColourPicture(info);
  if (info.channels > 1 && (neurons.length === 0 || noBody || colour)) {
    const planes: PixelArray[] = [];
    for (let c = 0; c < info.channels; c++) planes.push(c === channel ? r.plane : yield* planeIn(c, window));
    if (noBody) {
      nuclei = nuclearStainIn(planes, { ...info, width: window.width, height: window.height }, channel, tracingPixelSize(request.calibration ?? info.calibration));
    }
    // Nuclei stand out more than dendrites do: that channel is named as the nuclear stain, not as the one to trace.
    moreSignal = moreSignalIn(planes, channel, window.width, colour);
    if (moreSignal === nuclei) moreSignal = null;
  }
  const calibration = microscopeCalibration(request.calibration ?? info.calibration);
  return {
    neurons,
    stats: neurons.map((n) => autoNeuronStats(n, calibration)),
    cache,
    parameters: autoParameters(cache, request.detail ?? {}, channel, nucleusChannel),
    timings: { ...cache.timings, pruneMs, ...(projected && request.depth ? { depthMs } : {}), totalMs: performance.now() - t0 },
    window,
    cut: r.reachesOutside,
    moreSignalIn: moreSignal,
    nuclearStainIn: nuclei,
  };
}

/** A document holding the traced neurons (appended to `base` when given), each added by one addTracedNeuron action. */
export function documentWithNeurons(neurons: readonly AutoNeuron[], base: AnnotationDocument | null, calibration: AnnotationDocument['calibration'], parameters?: AutoParameters): AnnotationDocument {
  let doc = base ?? emptyDocument(calibration);
  for (const n of neurons) doc = applyAction(doc, autoNeuronAction(n, { parameters }));
  return doc;
}
