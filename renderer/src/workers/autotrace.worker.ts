/// <reference lib="webworker" />
import type { PixelArray } from '../../../shared/image/types';
import { RamifyError, toAppError } from '../../../shared/result';
import { dropSpares } from '../../../shared/scratch-arrays';
import { AutoTracer } from '../../../shared/tracing/auto/autotrace';
import { type AutoDetail, type AutoTraceCache, DEFAULT_MIN_BRANCH_UM, pruneTrace } from '../../../shared/tracing/auto/prune-trace';
import { levelsAround } from '../../../shared/tracing/auto/detail-levels';
import { overlaps, traceAgain, traceField } from '../../../shared/tracing/auto/trace-field';
import { signalFromPlane } from '../../../shared/tracing/auto/signal';
import { moreSignalIn } from '../../../shared/tracing/auto/channel-signal';
import { nuclearStainIn } from '../../../shared/tracing/auto/nuclear-stain';
import { autoParameters } from '../../../shared/tracing/auto/to-document';
import { outsideRegion, reachesRegion } from '../../../shared/tracing/auto/window';
import type { AutoTraceReply, AutoTraceRequest, AutoTraceWorkerMessage, PlaneToTrace } from './autotrace-protocol';

// The search and its cache live here: a detail change only re-prunes the cached tree. Cancel = the client
// terminates this worker (the search is one synchronous run) and starts a fresh one.
declare const self: DedicatedWorkerGlobalScope;

let cache: AutoTraceCache | null = null;
/**
 * The tracer of the cache (its foreground, distances and signal): a trace again without some starts reuses it, and so
 * does a new trace of the same plane (`tracerKey`: its request's plane key and how to read it, see keyOf).
 */
let tracer: AutoTracer | null = null;
let tracerKey: string | null = null;
/** A tracer built for a plane before any click on it ('prepare'); the cache's tracer stays for the trace under review. */
let prepared: { key: string; tracer: AutoTracer } | null = null;
let scratch: Uint8Array | null = null;
let warming: ReturnType<typeof setTimeout> | null = null;
/** Id of the request being answered. */
let answering = 0;
/** The channel the cache was traced on, and the nuclear stain's (recorded with every neuron). */
let channel = 0;
let nucleusChannel: number | undefined;
/** The spare arrays the stages reuse go after a while with no request: the worker stays, idle, for the whole session. */
const SPARES_KEPT_IDLE_MS = 5 * 60_000;
let idle: ReturnType<typeof setTimeout> | null = null;

/**
 * While idle, re-prunes the cache at the slider's other levels, nearest the one shown first, one level per task: a
 * request waits for at most the level being worked out, and each level dragged to later is a lookup.
 */
function warmUp(detail: AutoDetail): void {
  if (warming !== null) clearTimeout(warming);
  warming = null;
  if (!cache || detail.minBranchPx !== undefined) return;
  const levels = levelsAround(detail.minBranchUm ?? DEFAULT_MIN_BRANCH_UM);
  const warmed = cache;
  const next = () => {
    const um = levels.shift();
    if (um === undefined || cache !== warmed) return (warming = null);
    pruneTrace(warmed, { ...detail, minBranchUm: um }, scratch ?? undefined);
    warming = setTimeout(next, 0);
  };
  warming = setTimeout(next, 0);
}

/** What identifies a tracer's plane: its bytes' digest and how they are read; null when the client sent no digest. */
function keyOf(plane: PlaneToTrace): string | null {
  return plane.key === undefined ? null : JSON.stringify([plane.key, plane.width, plane.height, plane.info, plane.pixelSize]);
}

/** The tracer for a plane: the one prepared or traced on before when its key is the plane's, else a new one. */
function tracerFor(req: Extract<AutoTraceRequest, { type: 'trace' | 'prepare' }>): { tracer: AutoTracer; key: string | null; reused: boolean } {
  const key = keyOf(req.plane);
  if (key !== null && prepared?.key === key) return { tracer: prepared.tracer, key, reused: true };
  if (key !== null && tracer && tracerKey === key) return { tracer, key, reused: true };
  return { tracer: newTracer(req), key, reused: false };
}

/** A tracer of the request's plane: its foreground, distances and signal, the part of a trace the clicks do not change. */
function newTracer(req: Extract<AutoTraceRequest, { type: 'trace' | 'prepare' }>): AutoTracer {
  const { plane } = req;
  const shape = { width: plane.width, height: plane.height, ...plane.info };
  const signal = signalFromPlane(plane.data as PixelArray, shape);
  const nucleus = plane.nucleus ? signalFromPlane(plane.nucleus as PixelArray, shape) : undefined;
  // Progress goes to the request being answered: a trace again, or of the same plane, reports through this tracer too.
  const progress = (stage: string, fraction: number) => {
    self.postMessage({ id: answering, progress: { phase: stage, fraction } } satisfies AutoTraceWorkerMessage);
  };
  return new AutoTracer(signal, { pixelSize: plane.pixelSize, smoothed: req.smoothed, nucleus, onProgress: progress });
}

function handle(req: AutoTraceRequest): AutoTraceReply {
  if (req.type === 'trace') {
    const t0 = performance.now();
    const { plane } = req;
    cache = null;
    channel = req.channel;
    nucleusChannel = plane.nucleus ? req.nucleusChannel : undefined;
    const { tracer: fresh, key, reused: reusedTracer } = tracerFor(req);
    tracer = fresh;
    tracerKey = key;
    if (prepared?.tracer === fresh) prepared = null;
    if (scratch?.length !== plane.width * plane.height) scratch = new Uint8Array(plane.width * plane.height);
    const outside = req.innerEdges ? outsideRegion(fresh.foreground.mask, plane.width, plane.height, req.innerEdges) : null;
    const traced = (req.traced ?? []).map((p) => fresh.seedAt(p.x, p.y));
    let neurons;
    let skipped = 0;
    if (req.seeds.length > 0) {
      const seeds = req.seeds.map((s) => fresh.seedAt(s.x, s.y));
      if (seeds.some((s) => !s.fibre && traced.some((t) => overlaps(s, t)))) throw new RamifyError('invalid-argument', 'That cell body is traced already.');
      cache = fresh.trace(seeds, [...traced, ...fresh.competitorsOf(seeds), ...(outside ? [outside] : [])]);
      neurons = pruneTrace(cache, req.detail, scratch);
    } else ({ cache, neurons, skipped } = traceField(fresh, req.detail, scratch, outside ? [outside] : [], traced));
    // The outside is the last region searched from (after the clicks' competitors). Only a click's window grows.
    const reachesOutside = outside !== null && req.seeds.length > 0 && reachesRegion(cache, cache.seeds.length - 1);
    // A reused tracer's own stages took no time here.
    const timings = reusedTracer ? { searchMs: cache.timings.searchMs, decomposeMs: cache.timings.decomposeMs } : cache.timings;
    return { type: 'trace', value: { neurons, parameters: autoParameters(cache, req.detail, channel, nucleusChannel), reachesOutside, skipped, reusedTracer, timings: { ...timings, totalMs: performance.now() - t0 } } };
  }
  if (req.type === 'prepare') {
    const t0 = performance.now();
    const got = tracerFor(req);
    got.tracer.prepare();
    if (!got.reused && got.key !== null) prepared = { key: got.key, tracer: got.tracer };
    return { type: 'prepare', value: { built: !got.reused, ms: performance.now() - t0 } };
  }
  if (req.type === 'channels') {
    const t0 = performance.now();
    const planes = req.planes as PixelArray[];
    const nuclei = req.nuclei ? nuclearStainIn(planes, { ...req.info, width: req.width, height: req.height }, req.traced, req.pixelSize) : null;
    const more = req.more ? moreSignalIn(planes, req.traced, req.width, req.colour) : null;
    return { type: 'channels', value: { nuclei, more, ms: performance.now() - t0 } };
  }
  if (!cache || !tracer) throw new RamifyError('not-ready', 'Nothing has been traced yet.');
  const t0 = performance.now();
  if (req.type === 'retrace') {
    const t = tracer;
    const again = traceAgain(t, cache, { keep: req.keep, compete: req.compete, add: (req.add ?? []).map((p) => t.seedAt(p.x, p.y)) }, req.detail, scratch ?? undefined);
    cache = again.cache;
    return { type: 'retrace', value: { neurons: again.neurons, parameters: autoParameters(cache, req.detail, channel, nucleusChannel), ms: performance.now() - t0 } };
  }
  const neurons = pruneTrace(cache, req.detail, scratch ?? undefined);
  return { type: 'prune', value: { neurons, parameters: autoParameters(cache, req.detail, channel, nucleusChannel), ms: performance.now() - t0 } };
}

self.onmessage = (e: MessageEvent<{ id: number; req: AutoTraceRequest }>) => {
  const { id, req } = e.data;
  answering = id;
  let m: AutoTraceWorkerMessage;
  try {
    m = { id, ok: true, reply: handle(req) };
  } catch (err) {
    m = { id, ok: false, error: toAppError(err, 'autotrace') };
  }
  self.postMessage(m);
  if (req.type !== 'prepare' && req.type !== 'channels') warmUp(req.detail);
  if (idle !== null) clearTimeout(idle);
  idle = setTimeout(dropSpares, SPARES_KEPT_IDLE_MS);
};
