import type { Camera } from '../stores/viewer-store';
import type { BitmapRegion } from '../workers/image-protocol';

/** Extra image drawn around the visible part (a fraction of its size per side), so small pans need no new render. */
const MARGIN = 0.25;

export interface ImageRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of a w × h image inside the viewport, in image pixels (whole pixels, clipped); null when none is. */
export function visibleRect(c: Camera, viewport: { width: number; height: number }, w: number, h: number, margin = 0): ImageRect | null {
  const vw = viewport.width / c.scale;
  const vh = viewport.height / c.scale;
  const x0 = Math.max(0, Math.floor(-c.x / c.scale - margin * vw));
  const y0 = Math.max(0, Math.floor(-c.y / c.scale - margin * vh));
  const x1 = Math.min(w, Math.ceil((viewport.width - c.x) / c.scale + margin * vw));
  const y1 = Math.min(h, Math.ceil((viewport.height - c.y) / c.scale + margin * vh));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** The region to draw for a camera: the visible part and a margin around it. */
export const regionToRender = (c: Camera, viewport: { width: number; height: number }, w: number, h: number) => visibleRect(c, viewport, w, h, MARGIN);

/** Pyramid factor the worker picks for `screenScale` device pixels per image pixel (1 at 1:1 and closer). */
export function wantedFactor(screenScale: number): number {
  let f = 1;
  while (f * 2 <= 1 / screenScale) f *= 2;
  return f;
}

/**
 * Whether the region on screen still serves the camera: it covers everything visible, at the level the zoom calls
 * for (or the coarsest there is).
 */
export function regionServes(r: BitmapRegion | null, c: Camera, viewport: { width: number; height: number }, w: number, h: number, dpr: number): boolean {
  if (!r) return false;
  const v = visibleRect(c, viewport, w, h);
  if (!v) return true;
  const covers = r.x <= v.x && r.y <= v.y && r.x + r.width >= v.x + v.width && r.y + r.height >= v.y + v.height;
  if (!covers) return false;
  return r.factor === Math.min(wantedFactor(c.scale * dpr), r.coarsest);
}
