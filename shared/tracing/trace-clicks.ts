import type { PixelArray } from '../image/types';
import { RamifyError } from '../result';
import { centreOfRidge, refineCentreline } from './centreline';
import { computeCostImage, type CostImage, type CostOptions, type SmoothedPlane } from './cost-image';
import { LiveWire } from './live-wire';
import { snapToRidge } from './snap';

/**
 * Clicks → stored nodes: the one definition of what a traced branch stores, used by the app's tracing worker (one
 * commit per click) and by `ramify trace` (all clicks at once), so both give identical nodes for identical clicks.
 *
 * A branch is a first click (its start) and further clicks, each either live-wire (the minimum-cost pixel path from
 * the previous anchor) or straight (Shift+click). With snapping on, a click first moves to the lowest-cost pixel
 * within SNAP_RADIUS px to find the ridge, then moves across that ridge onto its centre line (sub-pixel, keeping its
 * position along the ridge: centreOfRidge); that point is the anchor and is stored exactly. Each stretch between two anchors is refined to the neurite's centre line (refineCentreline:
 * cross-section fit, smoothing along the path, Douglas–Peucker), anchors kept.
 */

type Pt = [number, number];

/** Cursor snapping radius in px (a disc around the click). */
export const SNAP_RADIUS = 3;

/** What tracing needs of one plane: the live-wire cost, the smoothed plane for refinement, and the search. */
export interface TracingPlane {
  cost: CostImage;
  smoothed: SmoothedPlane;
  wire: LiveWire;
  /** Ridge scales σ used, px. */
  scales: number[];
  /** Cost image time in ms. */
  costMs: number;
}

export function prepareTracing(plane: PixelArray, width: number, height: number, options: CostOptions = {}): TracingPlane {
  const r = computeCostImage(plane, width, height, options);
  return { cost: r.cost, smoothed: r.smoothed, wire: new LiveWire(r.cost), scales: r.scales, costMs: r.ms };
}

/**
 * Where a click lands: on the ridge centre near it when snapping, else exactly where it is; in the plane either way (a
 * click in the margin beside the image lands on its edge). Kept on the ridge, a click far outside would be carried
 * along the ridge's line out of the image, and one with no ridge near would stay where it was.
 */
export function snapClick(tp: Pick<TracingPlane, 'cost' | 'smoothed'>, x: number, y: number, snap: boolean): Pt {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RamifyError('invalid-argument', `Point (${x}, ${y}) is not a position in the image.`);
  const { width, height } = tp.cost;
  const inside = (p: Pt): Pt => [Math.min(width, Math.max(0, p[0])), Math.min(height, Math.max(0, p[1]))];
  const [cx, cy] = inside([x, y]);
  if (!snap) return [cx, cy];
  return inside(centreOfRidge(tp.smoothed, cx, cy, snapToRidge(tp.cost, cx, cy, SNAP_RADIUS)));
}

/**
 * The stored polyline of one stretch, from `anchor` (exact, first) to `target` (exact, last; already snapped). For a
 * live-wire stretch the wire must be anchored on the pixel under `anchor` (setAnchor(anchor)); its pixel path's ends
 * are replaced by the exact anchor and target before refinement.
 */
export function segmentNodes(tp: TracingPlane, anchor: Pt, target: Pt, straight: boolean): Pt[] {
  let path: Pt[];
  if (straight) path = [anchor, target];
  else {
    const a = tp.wire.anchor;
    if (!a || tp.wire.pixelIndex(a[0], a[1]) !== tp.wire.pixelIndex(anchor[0], anchor[1])) {
      throw new RamifyError('invalid-state', `Live-wire is not anchored at (${anchor[0]}, ${anchor[1]}).`);
    }
    path = tp.wire.pathTo(target[0], target[1]);
    path[0] = anchor;
    if (path.length === 1) path.push(target);
    else path[path.length - 1] = target;
  }
  return refineCentreline(tp.smoothed, path, [0, path.length - 1]);
}

/** One click of a branch; the first click is the start (its `straight` is ignored). */
export interface Click {
  x: number;
  y: number;
  /** Straight segment from the previous anchor (Shift+click in the app). */
  straight?: boolean;
}

export interface TraceClicksOptions {
  /** Snap clicks onto the ridge centre (the app's default; default true). */
  snap?: boolean;
  /** The first click is an existing point (a node or a point on a segment): used exactly, never snapped. */
  exactStart?: boolean;
}

/**
 * The nodes the app stores for a branch traced by these clicks: the start (snapped unless `exactStart`), then each
 * stretch's refined nodes. Leaves the wire anchored at the last anchor but one.
 */
export function traceClicks(tp: TracingPlane, clicks: readonly Click[], options: TraceClicksOptions = {}): Pt[] {
  if (clicks.length === 0) return [];
  const snap = options.snap ?? true;
  let anchor: Pt = options.exactStart ? [clicks[0].x, clicks[0].y] : snapClick(tp, clicks[0].x, clicks[0].y, snap);
  const out: Pt[] = [anchor];
  for (let k = 1; k < clicks.length; k++) {
    const target = snapClick(tp, clicks[k].x, clicks[k].y, snap);
    const straight = clicks[k].straight === true;
    // Budget 0: pathTo searches only as far as the target, the same optimum as the app's sliced search.
    if (!straight) tp.wire.setAnchor(anchor[0], anchor[1], 0);
    const nodes = segmentNodes(tp, anchor, target, straight);
    for (let i = 1; i < nodes.length; i++) out.push(nodes[i]);
    anchor = target;
  }
  return out;
}
