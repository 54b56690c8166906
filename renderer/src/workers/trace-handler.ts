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
  /** Image px of the plane's first pixel: a window of a large image (live-wire-window.ts), else 0, 0. */
  private origin: [number, number] = [0, 0];
  /** The exact anchor (a stored node), not just the pixel the search starts from; in the plane's px. */
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

  /** Image px → the plane's px. */
  private local(x: number, y: number): [number, number] {
    return [x - this.origin[0], y - this.origin[1]];
  }

  /** The plane's px → image px. */
  private image(p: readonly [number, number]): [number, number] {
    return [p[0] + this.origin[0], p[1] + this.origin[1]];
  }

  /** Requests and replies are in image px; the plane may be a window of the image (`origin` in setPlane). */
  handle(req: TraceRequest): TraceReply {
    switch (req.type) {
      case 'setPlane': {
        this.generation++;
        this.anchor = null;
        this.plane = null;
        this.origin = req.origin ?? [0, 0];
        this.plane = prepareTracing(req.data as PixelArray, req.width, req.height, { scale: req.scale });
        return { type: 'setPlane', value: { costMs: this.plane.costMs } };
      }
      case 'anchor': {
        const generation = ++this.generation;
        const at = this.local(req.x, req.y);
        const stats = this.need().wire.setAnchor(at[0], at[1], FIRST_SLICE);
        this.anchor = at;
        if (!stats.done) this.continueInBackground(generation);
        return { type: 'anchor', value: { searchMs: stats.ms, anchor: this.image(stats.anchor) } };
      }
      case 'segment': {
        const tp = this.need();
        if (!this.anchor) throw new RamifyError('invalid-state', 'Live-wire has no anchor yet.');
        const t0 = performance.now();
        const [x, y] = this.local(req.x, req.y);
        const target = snapClick(tp, x, y, req.snap);
        const points = segmentNodes(tp, this.anchor, target, req.straight).map((p) => this.image(p));
        return { type: 'segment', value: { points, refineMs: performance.now() - t0 } };
      }
      case 'snap': {
        const [x, y] = this.local(req.x, req.y);
        return { type: 'snap', value: this.image(snapClick(this.need(), x, y, true)) };
      }
      case 'smoothed': {
        // A copy: the reply is transferred, and the live-wire keeps refining on its own plane.
        const s = this.plane?.smoothed;
        return { type: 'smoothed', value: s ? { ...s, data: s.data.slice() } : null };
      }
    }
  }
}
