import type { SmoothedPlane } from '../../../shared/tracing/cost-image';
import { imageClient } from '../image/image-client';
import { tracedZ, viewer } from '../stores/viewer-store';
import { traceClient } from './trace-client';
import { traceStore } from './trace-store';

// Keeps the tracing worker's cost image in step with the plane on screen (channel, slice or projection, scale).

/** A plane the live-wire traces on: its key and the z its nodes are stored with. */
type TracedPlane = { key: string; z: number };

let currentKey: string | null = null;
let pending: Promise<TracedPlane> | null = null;
/** The plane the worker's anchor was searched on: the stretches it returns lie on that plane. */
let anchorPlane: TracedPlane | null = null;

function planeKey(): string | null {
  const v = viewer.get();
  if (!v.info || !v.file) return null;
  const t = traceStore.get();
  // A restarted worker has no cost image: its generation is part of the key.
  return `${traceClient().generation}|${v.file.handle}|${t.channel}|${v.view.mip ? 'mip' : v.view.z}|${v.view.t}|${t.scale}`;
}

/** Resolves when the live-wire is ready for the current plane, with that plane; computes the cost image when needed. */
export function ensureLiveWire(): Promise<TracedPlane> {
  const key = planeKey();
  if (!key) return Promise.reject(new Error('No image is open.'));
  if (key === currentKey && pending) return pending;
  currentKey = key;
  const { channel, scale } = traceStore.get();
  const v = viewer.get();
  const traced: TracedPlane = { key, z: tracedZ(v.view) };
  const ch = Math.min(channel, (v.info?.channels ?? 1) - 1);
  traceStore.set({ status: 'computing', statusMessage: 'Computing ridge filter…' });
  pending = imageClient()
    .request({ type: 'plane', view: v.view, channel: ch })
    .then((plane) => traceClient().request({ type: 'setPlane', data: plane.data, width: plane.width, height: plane.height, scale }, { transfer: [plane.data.buffer as ArrayBuffer] }))
    .then((r) => {
      if (currentKey === key) traceStore.set({ status: 'ready', statusMessage: null, costMs: r.costMs });
      return traced;
    })
    .catch((e: Error) => {
      if (currentKey === key) {
        currentKey = null;
        traceStore.set({ status: 'error', statusMessage: e.message });
      }
      throw e;
    });
  return pending;
}

/**
 * The live-wire's smoothed plane when its cost image is ready for the plane on screen (else null, without computing
 * one): the automatic tracer fits its centre lines on it, so both tools follow the same ridge.
 */
export async function liveWireSmoothed(): Promise<SmoothedPlane | null> {
  const key = planeKey();
  if (!key || key !== currentKey || traceStore.get().status !== 'ready') return null;
  const r = await traceClient().request({ type: 'smoothed' });
  // The plane may have changed while the copy was on its way.
  return planeKey() === key ? r : null;
}

/** Forgets the cost image (a new image was opened). */
export function resetLiveWire(): void {
  currentKey = null;
  pending = null;
  anchorPlane = null;
  traceStore.set({ status: 'idle', statusMessage: null, draft: null, polygon: null, pick: null });
}

/** Fixes a new anchor exactly at (x, y): one Dijkstra search from its pixel over the whole image, in the worker. */
export async function setAnchor(x: number, y: number): Promise<[number, number]> {
  const plane = await ensureLiveWire();
  const r = await traceClient().request({ type: 'anchor', x, y });
  anchorPlane = plane;
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
  const plane = anchorPlane;
  if (!plane) throw new Error('The path has no anchor yet.');
  const r = await traceClient().request({ type: 'segment', x, y, snap: traceStore.get().snap, straight });
  traceStore.set({ refineMs: r.refineMs });
  return { points: r.points, z: plane.z };
}

export async function snapPoint(x: number, y: number): Promise<[number, number]> {
  if (!traceStore.get().snap) return [x, y];
  await ensureLiveWire();
  return traceClient().request({ type: 'snap', x, y });
}
