import type { PixelArray } from '../../../shared/image/types';
import { RamifyError } from '../../../shared/result';
import { prepareTracing, segmentNodes, snapClick, type TracingPlane } from '../../../shared/tracing/trace-clicks';
import type { TraceReply, TraceRequest } from './trace-protocol';

// The tracing worker's state and answers, apart from the worker binding so that tests run the very code the app's
// worker runs. Cost image, Dijkstra search and refinement live here; the UI thread only asks for stretches.

/** Pixels settled before the anchor reply, and per background slice (a few ms each). */
const FIRST_SLICE = 40_000;
const SLICE = 60_000;

export class TraceHandler {
  private plane: TracingPlane | null = null;
  /** The exact anchor (a stored node), not just the pixel the search starts from. */
  private anchor: [number, number] | null = null;
  private generation = 0;

  /** `defer` runs background search slices between messages (setTimeout in the worker; tests may ignore it). */
  constructor(private readonly defer: (f: () => void) => void = () => undefined) {}

  private need(): TracingPlane {
    if (!this.plane) throw new RamifyError('not-ready', 'Tracing is not ready yet.');
    return this.plane;
  }

  private continueInBackground(generation: number): void {
    this.defer(() => {
      if (generation !== this.generation || !this.plane) return;
      if (!this.plane.wire.continueSearch(SLICE).done) this.continueInBackground(generation);
    });
  }

  handle(req: TraceRequest): TraceReply {
    switch (req.type) {
      case 'setPlane': {
        this.generation++;
        this.anchor = null;
        this.plane = prepareTracing(req.data as PixelArray, req.width, req.height, { scale: req.scale });
        return { type: 'setPlane', value: { costMs: this.plane.costMs } };
      }
      case 'anchor': {
        const generation = ++this.generation;
        const stats = this.need().wire.setAnchor(req.x, req.y, FIRST_SLICE);
        this.anchor = [req.x, req.y];
        if (!stats.done) this.continueInBackground(generation);
        return { type: 'anchor', value: { searchMs: stats.ms, anchor: stats.anchor } };
      }
      case 'segment': {
        const tp = this.need();
        if (!this.anchor) throw new RamifyError('invalid-state', 'Live-wire has no anchor yet.');
        const t0 = performance.now();
        const target = snapClick(tp, req.x, req.y, req.snap);
        const points = segmentNodes(tp, this.anchor, target, req.straight);
        return { type: 'segment', value: { points, refineMs: performance.now() - t0 } };
      }
      case 'snap':
        return { type: 'snap', value: snapClick(this.need(), req.x, req.y, true) };
      case 'smoothed': {
        // A copy: the reply is transferred, and the live-wire keeps refining on its own plane.
        const s = this.plane?.smoothed;
        return { type: 'smoothed', value: s ? { ...s, data: s.data.slice() } : null };
      }
    }
  }
}
