import type { PixelRect } from '../../../shared/tracing/auto/window';
import type { SmoothedPlane } from '../../../shared/tracing/cost-image';
import { LIVE_WIRE_MAX_PIXELS, LIVE_WIRE_WINDOW_PIXELS, liveWireWindow, windowCovers } from '../../../shared/tracing/live-wire-window';
import { imageClient } from '../image/image-client';
import { screenToImage } from '../image/camera';
import { tracedZ, viewer } from '../stores/viewer-store';
import { traceClient } from './trace-client';
import { traceStore } from './trace-store';

// Keeps the tracing worker's cost image in step with the plane on screen (channel, slice or projection, scale) and,
// on an image too large to read whole, with the part of it being traced (live-wire-window.ts).

type Pt = [number, number];

/** A plane the live-wire traces on: its key and the z its nodes are stored with. */
type TracedPlane = { key: string; z: number };

/** The plane (or window of it) the worker holds or is computing: `base` names the plane, `key` the window too. */
let current: { base: string; key: string; window: PixelRect; whole: boolean } | null = null;
let pending: Promise<TracedPlane> | null = null;
/** The newest plane asked for, loaded or not: the next waits for it. */
let loading: Promise<unknown> = Promise.resolve();
/** The plane the worker's anchor was searched on: the stretches it returns lie on that plane. */
let anchorPlane: TracedPlane | null = null;
/** The exact anchor, image px: searched again when the window moves. */
let anchorPoint: Pt | null = null;

function baseKey(): string | null {
  const v = viewer.get();
  if (!v.info || !v.file) return null;
  const t = traceStore.get();
  // A restarted worker has no cost image: its generation is part of the key.
  return `${traceClient().generation}|${v.file.handle}|${t.channel}|${v.view.mip ? 'mip' : v.view.z}|${v.view.t}|${t.scale}`;
}

/** The key of the plane on screen, with the window the worker holds of it. */
function planeKey(): string | null {
  const base = baseKey();
  return base !== null && current?.base === base ? current.key : base;
}

/** A budget in px: the default, or a smaller one set for tests (localStorage). */
function budget(name: string, fallback: number): number {
  const v = Number(globalThis.localStorage?.getItem(name));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The middle of the view, image px: where tracing will start when the tool is picked on a large image. */
function viewCentre(): Pt {
  const { camera, viewport } = viewer.get();
  const c = screenToImage(camera, viewport.width / 2, viewport.height / 2);
  return [c.x, c.y];
}

/**
 * Resolves when the live-wire is ready for the current plane, with that plane; computes the cost image when needed.
 * On an image larger than LIVE_WIRE_MAX_PIXELS it covers a window holding `points` (the anchor, then the click), read
 * again around them when they leave it; rejects with what to do when they lie too far apart for one window.
 */
export function ensureLiveWire(points: Pt[] = []): Promise<TracedPlane> {
  const base = baseKey();
  const v = viewer.get();
  if (!base || !v.info) return Promise.reject(new Error('No image is open.'));
  const { width, height } = v.info;
  const held = current;
  if (pending && held?.base === base && points.every((p) => held.whole || windowCovers(held.window, width, height, p))) return pending;
  let window: PixelRect;
  try {
    window = liveWireWindow(width, height, points.length > 0 ? points : [viewCentre()], budget('ramify.liveWireMaxPixels', LIVE_WIRE_MAX_PIXELS), budget('ramify.liveWireWindowPixels', LIVE_WIRE_WINDOW_PIXELS));
  } catch (e) {
    return Promise.reject(e as Error);
  }
  const whole = window.width === width && window.height === height;
  const key = `${base}|${window.x},${window.y},${window.width},${window.height}`;
  current = { base, key, window, whole };
  const { channel, scale } = traceStore.get();
  const traced: TracedPlane = { key, z: tracedZ(v.view) };
  const ch = Math.min(channel, v.info.channels - 1);
  traceStore.set({ status: 'computing', statusMessage: 'Computing ridge filter…', window: whole ? null : window });
  // One plane after another: reads may finish out of order (a tiled image's), and the worker must end up holding the
  // last one asked for.
  pending = loading
    .catch(() => undefined)
    .then(() => imageClient().request({ type: 'plane', view: v.view, channel: ch, ...(whole ? {} : { region: window }) }))
    .then((plane) =>
      traceClient().request({ type: 'setPlane', data: plane.data, width: plane.width, height: plane.height, scale, origin: [window.x, window.y] }, { transfer: [plane.data.buffer as ArrayBuffer] }),
    )
    .then((r) => {
      if (current?.key === key) traceStore.set({ status: 'ready', statusMessage: null, costMs: r.costMs });
      return traced;
    })
    .catch((e: Error) => {
      if (current?.key === key) {
        current = null;
        traceStore.set({ status: 'error', statusMessage: e.message });
      }
      throw e;
    });
  loading = pending;
  return pending;
}

/**
 * The live-wire's smoothed plane when its cost image is ready for the whole plane on screen (else null, without
 * computing one): the automatic tracer fits its centre lines on it, so both tools follow the same ridge.
 */
export async function liveWireSmoothed(): Promise<SmoothedPlane | null> {
  const key = planeKey();
  if (!key || key !== current?.key || !current.whole || traceStore.get().status !== 'ready') return null;
  const r = await traceClient().request({ type: 'smoothed' });
  // The plane may have changed while the copy was on its way.
  return planeKey() === key ? r : null;
}

/** Forgets the cost image (a new image was opened). */
export function resetLiveWire(): void {
  current = null;
  pending = null;
  anchorPlane = null;
  anchorPoint = null;
  traceStore.set({ status: 'idle', statusMessage: null, draft: null, polygon: null, pick: null, window: null });
}

/** Fixes a new anchor exactly at (x, y): one Dijkstra search from its pixel over the whole image, in the worker. */
export async function setAnchor(x: number, y: number): Promise<[number, number]> {
  const plane = await ensureLiveWire([[x, y]]);
  const r = await traceClient().request({ type: 'anchor', x, y });
  anchorPlane = plane;
  anchorPoint = [x, y];
  traceStore.set({ searchMs: r.searchMs });
  return r.anchor;
}

/**
 * False when the plane on screen (slice, projection, channel, scale) is no longer the one the anchor was searched
 * on: the anchor must then be set again, so the next stretch follows the plane the user sees.
 */
export function anchorOnShownPlane(): boolean {
  return anchorPlane !== null && anchorPlane.key === planeKey();
}

let pathInFlight = false;
let pathNext: { x: number; y: number; onPath: (p: Array<[number, number]>) => void } | null = null;

/**
 * Preview from the anchor to the cursor: exactly the nodes a click there would store. While one is computed, only
 * the latest cursor position is kept.
 */
export function requestPath(x: number, y: number, onPath: (points: Array<[number, number]>) => void): void {
  // Past a window's edge the preview runs to the edge: the click reads the image around it and traces on.
  if (current && !current.whole) {
    const w = current.window;
    x = Math.min(w.x + w.width - 1, Math.max(w.x, x));
    y = Math.min(w.y + w.height - 1, Math.max(w.y, y));
  }
  if (pathInFlight) {
    pathNext = { x, y, onPath };
    return;
  }
  pathInFlight = true;
  traceClient()
    .request({ type: 'segment', x, y, snap: traceStore.get().snap, straight: false })
    .then((r) => onPath(r.points))
    .catch(() => undefined)
    .finally(() => {
      pathInFlight = false;
      const next = pathNext;
      pathNext = null;
      if (next) requestPath(next.x, next.y, next.onPath);
    });
}

/**
 * The nodes to store for a click at (x, y): the stretch from the anchor, snapped, refined to the centre line and
 * simplified in the worker by the same function `ramify trace` uses (anchor first), and the z of the plane it was
 * traced on.
 */
export async function segmentNow(x: number, y: number, straight: boolean): Promise<{ points: Array<[number, number]>; z: number }> {
  if (!anchorPlane || !anchorPoint) throw new Error('The path has no anchor yet.');
  // A click past the window's edge: the window moves to hold the anchor and the click, and the anchor is searched there.
  const shown = await ensureLiveWire([anchorPoint, [x, y]]);
  if (shown.key !== anchorPlane.key) await setAnchor(anchorPoint[0], anchorPoint[1]);
  const plane = anchorPlane;
  const r = await traceClient().request({ type: 'segment', x, y, snap: traceStore.get().snap, straight });
  traceStore.set({ refineMs: r.refineMs });
  return { points: r.points, z: plane.z };
}

export async function snapPoint(x: number, y: number): Promise<[number, number]> {
  if (!traceStore.get().snap) return [x, y];
  await ensureLiveWire([[x, y]]);
  return traceClient().request({ type: 'snap', x, y });
}
