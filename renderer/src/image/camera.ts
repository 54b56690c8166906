import type { Camera } from '../stores/viewer-store';

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** Zooms by `factor` keeping the image point under (sx, sy) fixed on screen. */
export function zoomAt(c: Camera, factor: number, sx: number, sy: number): Camera {
  const scale = clampScale(c.scale * factor);
  const k = scale / c.scale;
  return { scale, x: sx - (sx - c.x) * k, y: sy - (sy - c.y) * k };
}

/** The whole image centred with a small margin. */
export function fitCamera(imgW: number, imgH: number, vw: number, vh: number): Camera {
  const scale = clampScale(Math.min((vw - 24) / imgW, (vh - 24) / imgH));
  return { scale, x: (vw - imgW * scale) / 2, y: (vh - imgH * scale) / 2 };
}

/** A box of the image (image px) centred in the viewport and filling it but for a margin, zoomed in at most 4×. */
export function fitBox(box: { x: number; y: number; width: number; height: number }, vw: number, vh: number): Camera {
  const scale = clampScale(Math.min(4, (vw - 48) / Math.max(1, box.width), (vh - 48) / Math.max(1, box.height)));
  return { scale, x: vw / 2 - (box.x + box.width / 2) * scale, y: vh / 2 - (box.y + box.height / 2) * scale };
}

/** 100 %: one image pixel per CSS pixel, keeping the image point at the viewport centre fixed. */
export function actualSize(c: Camera, vw: number, vh: number): Camera {
  return zoomAt(c, 1 / c.scale, vw / 2, vh / 2);
}

export const screenToImage = (c: Camera, sx: number, sy: number) => ({ x: (sx - c.x) / c.scale, y: (sy - c.y) / c.scale });

/**
 * An image-px point moved to the nearest point of a width × height image: what a click or drag beside the image
 * places (a cell body, an outline's corner, a node) lies on its edge, never outside it.
 */
export const intoImage = (p: { x: number; y: number }, size: { width: number; height: number }) => ({
  x: Math.min(size.width, Math.max(0, p.x)),
  y: Math.min(size.height, Math.max(0, p.y)),
});

export function panBy(c: Camera, dx: number, dy: number): Camera {
  return { ...c, x: c.x + dx, y: c.y + dy };
}
