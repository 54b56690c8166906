/// <reference lib="webworker" />
import type { PixelArray } from '../../../shared/image/types';
import { computeCostImage, type CostImage } from '../../../shared/tracing/cost-image';
import { LiveWire } from '../../../shared/tracing/live-wire';
import { snapToRidge } from '../../../shared/tracing/snap';
import { RamifyError, toAppError } from '../../../shared/result';
import type { TraceReply, TraceRequest, TraceWorkerMessage } from './trace-protocol';

// Cost image, Dijkstra search and back-tracking live here; the UI thread only asks for paths to the cursor.
// After an anchor is set, the search runs on in slices between messages, so the preview near the anchor is
// immediate and far targets are usually settled before the cursor gets there (pathTo extends the search if not).
declare const self: DedicatedWorkerGlobalScope;

const SNAP_RADIUS = 3;
/** Pixels settled before the anchor reply, and per background slice (a few ms each). */
const FIRST_SLICE = 40_000;
const SLICE = 60_000;

let cost: CostImage | null = null;
let wire: LiveWire | null = null;
let searchGeneration = 0;

function need<T>(v: T | null): T {
  if (!v) throw new RamifyError('not-ready', 'Tracing is not ready yet.');
  return v;
}

function continueInBackground(generation: number): void {
  setTimeout(() => {
    if (generation !== searchGeneration || !wire) return;
    const stats = wire.continueSearch(SLICE);
    if (!stats.done) continueInBackground(generation);
  }, 0);
}

function handle(req: TraceRequest): TraceReply {
  switch (req.type) {
    case 'setPlane': {
      searchGeneration++;
      const r = computeCostImage(req.data as PixelArray, req.width, req.height, { scale: req.scale });
      cost = r.cost;
      wire = new LiveWire(r.cost);
      return { type: 'setPlane', value: { costMs: r.ms } };
    }
    case 'anchor': {
      const generation = ++searchGeneration;
      const stats = need(wire).setAnchor(req.x, req.y, FIRST_SLICE);
      if (!stats.done) continueInBackground(generation);
      return { type: 'anchor', value: { searchMs: stats.ms, anchor: stats.anchor } };
    }
    case 'path': {
      const [x, y] = req.snap ? snapToRidge(need(cost), req.x, req.y, SNAP_RADIUS) : [req.x, req.y];
      const points = need(wire).pathTo(x, y);
      return { type: 'path', value: { points, end: points.at(-1) ?? [x, y] } };
    }
    case 'snap':
      return { type: 'snap', value: snapToRidge(need(cost), req.x, req.y, SNAP_RADIUS) };
  }
}

self.onmessage = (e: MessageEvent<{ id: number; req: TraceRequest }>) => {
  const { id, req } = e.data;
  let m: TraceWorkerMessage;
  try {
    m = { id, ok: true, reply: handle(req) };
  } catch (err) {
    m = { id, ok: false, error: toAppError(err, 'trace') };
  }
  self.postMessage(m);
};
