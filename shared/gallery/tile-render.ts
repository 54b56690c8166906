import { renderComposite, type ChannelDisplay } from '../display/composite';
import type { PixelArray } from '../image/types';
import type { Neuron } from '../model/document';
import { branchPolyline } from '../model/queries';
import { somaCenter } from '../model/document';
import { resampleCrop } from '../display/resample';
import { tileSize, type CropRect } from './crop';

/**
 * A gallery tile as RGBA: the crop of the image at the viewer's display settings, scaled so its longer side is
 * `size` px, with the tracings drawn over it (the tile's own neuron in its colour, neighbours faint), the way the
 * viewer draws them: image px (x, y) lands at ((x − crop.x)·s, (y − crop.y)·s).
 */
export function renderTile(planes: readonly PixelArray[], imageWidth: number, displays: ChannelDisplay[], crop: CropRect, size: number, neurons: readonly Neuron[], focusId: number): { width: number; height: number; rgba: Uint8ClampedArray } {
  const { width, height, scale } = tileSize(crop, size);
  const small = planes.map((p) => resampleCrop(p, imageWidth, crop, width, height));
  const rgba = new Uint8ClampedArray(width * height * 4);
  renderComposite(small, displays, rgba);
  const canvas = { rgba, width, height };
  const at = (x: number, y: number): [number, number] => [(x - crop.x) * scale, (y - crop.y) * scale];
  // Neighbours first and thin, so the tile's neuron is drawn over them.
  for (const n of neurons) if (n.id !== focusId) drawNeuron(canvas, n, at, 0.6, 0.45);
  const focus = neurons.find((n) => n.id === focusId);
  if (focus) drawNeuron(canvas, focus, at, 1.1, 1);
  return { width, height, rgba };
}

interface Canvas {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

function hexRgb(color: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(color);
  const v = m ? parseInt(m[1], 16) : 0xffd400;
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function drawNeuron(c: Canvas, n: Neuron, at: (x: number, y: number) => [number, number], halfWidth: number, alpha: number): void {
  const rgb = hexRgb(n.color);
  for (const b of n.branches) {
    const pts = branchPolyline(n, b).map((p) => at(p.x, p.y));
    if (pts.length === 1) drawDisc(c, pts[0], halfWidth, rgb, alpha);
    for (let i = 1; i < pts.length; i++) drawSegment(c, pts[i - 1], pts[i], halfWidth, rgb, alpha);
  }
  if (!n.soma) return;
  if (n.soma.kind === 'polygon') {
    const pts = n.soma.points.map((p) => at(p.x, p.y));
    pts.forEach((p, i) => drawSegment(c, p, pts[(i + 1) % pts.length], halfWidth, rgb, alpha));
  } else {
    // The viewer's soma marker is a ring of at least 6 screen px; a tile shows a dot of 2.5 px.
    drawDisc(c, at(somaCenter(n.soma).x, somaCenter(n.soma).y), 2.5, rgb, alpha);
  }
}

/** Blends a colour into one pixel with the given coverage (0–1). */
function blend(c: Canvas, x: number, y: number, rgb: readonly number[], a: number): void {
  if (a <= 0 || x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const k = (y * c.width + x) * 4;
  for (let i = 0; i < 3; i++) c.rgba[k + i] = c.rgba[k + i] + (rgb[i] - c.rgba[k + i]) * a;
}

/** An anti-aliased line of half-width w with round caps: each pixel centre's coverage from its distance. */
function drawSegment(c: Canvas, p: readonly [number, number], q: readonly [number, number], w: number, rgb: readonly number[], alpha: number): void {
  const [ax, ay] = p;
  const [bx, by] = q;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - w - 1));
  const x1 = Math.min(c.width - 1, Math.ceil(Math.max(ax, bx) + w + 1));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - w - 1));
  const y1 = Math.min(c.height - 1, Math.ceil(Math.max(ay, by) + w + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
      const d = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
      blend(c, x, y, rgb, alpha * Math.max(0, Math.min(1, w + 0.5 - d)));
    }
  }
}

function drawDisc(c: Canvas, p: readonly [number, number], r: number, rgb: readonly number[], alpha: number): void {
  drawSegment(c, p, p, r, rgb, alpha);
}
