import { RamifyError } from '../result';
import { innerEdges, megapixels, windowSize, type PixelRect } from './auto/window';

/**
 * Most pixels the live-wire reads whole. Its cost image, search cells and smoothed plane hold about 25 bytes per
 * pixel (24 measured on a 2048² plane searched to the end), so this is about 0.8 GB: a slide scan's whole plane
 * would take the renderer down, and a 64 MP one already takes over 10 s to filter.
 */
export const LIVE_WIRE_MAX_PIXELS = 2 ** 25;

/**
 * Pixels of the window the live-wire reads on a larger image: 2896² px, more than a cultured neuron spans at the
 * usual magnifications, filtered in a couple of seconds. It moves when a click leaves it.
 */
export const LIVE_WIRE_WINDOW_PIXELS = 2 ** 23;

/**
 * Px kept between a traced point and a window edge the image goes on past: the ridge filter and the snapping read
 * around a point, and a path near the edge could not bend outside it.
 */
export const WINDOW_MARGIN = 64;

type Pt = readonly [number, number];

/** True when `window` of a width × height image holds `p` at least `margin` px from each edge the image goes on past. */
export function windowCovers(window: PixelRect, width: number, height: number, p: Pt, margin = WINDOW_MARGIN): boolean {
  const e = innerEdges(window, width, height);
  return (
    (!e.left || p[0] >= window.x + margin) &&
    (!e.right || p[0] <= window.x + window.width - margin) &&
    (!e.top || p[1] >= window.y + margin) &&
    (!e.bottom || p[1] <= window.y + window.height - margin)
  );
}

/**
 * Where the window's corner may lie on one axis so that it holds lo…hi with the margin: [from, to], or null. An edge
 * on the image's own edge needs no margin.
 */
function corners(lo: number, hi: number, size: number, extent: number, margin: number): [number, number] | null {
  const last = extent - size;
  // The far edge: inside the image it must lie `margin` past hi; at the image's edge (corner = last) it always holds.
  const from = Math.min(last, Math.max(0, Math.ceil(hi + margin - size)));
  const to = lo - margin >= 0 ? Math.min(last, Math.floor(lo - margin)) : 0;
  return from <= to ? [from, to] : null;
}

/**
 * The part of a width × height image the live-wire reads for a stretch through `points` (the anchor, then the click:
 * the last is where tracing goes on). All of it up to `maxPixels`; else a window of `windowPixels` (square where the
 * image allows) centred on the last point, slid as little as needed to hold every point WINDOW_MARGIN px from its
 * inner edges. Points are clamped into the image. Throws invalid-argument, saying what to do, when the points lie too
 * far apart for one window.
 */
export function liveWireWindow(width: number, height: number, points: readonly Pt[], maxPixels = LIVE_WIRE_MAX_PIXELS, windowPixels = LIVE_WIRE_WINDOW_PIXELS, margin = WINDOW_MARGIN): PixelRect {
  if (width * height <= maxPixels || points.length === 0) return { x: 0, y: 0, width, height };
  const [w, h] = windowSize(width, height, Math.min(windowPixels, maxPixels));
  const ps = points.map(([x, y]) => [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))] as const);
  const xs = ps.map((p) => p[0]);
  const ys = ps.map((p) => p[1]);
  const cx = corners(Math.min(...xs), Math.max(...xs), w, width, margin);
  const cy = corners(Math.min(...ys), Math.max(...ys), h, height, margin);
  if (!cx || !cy) {
    const span = `${Math.ceil(Math.max(...xs) - Math.min(...xs))} × ${Math.ceil(Math.max(...ys) - Math.min(...ys))} px`;
    throw new RamifyError(
      'invalid-argument',
      `The live-wire reads ${w} × ${h} px of this ${width} × ${height} image (${megapixels(width * height)}) at a time, and this stretch spans ${span}: click closer to the last point.`,
    );
  }
  const [lx, ly] = ps[ps.length - 1];
  const x = Math.min(cx[1], Math.max(cx[0], Math.round(lx - w / 2)));
  const y = Math.min(cy[1], Math.max(cy[0], Math.round(ly - h / 2)));
  return { x, y, width: w, height: h };
}
