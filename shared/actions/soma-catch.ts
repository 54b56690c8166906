import { somaCenter, type AnnotationDocument, type BranchId, type Soma } from '../model/document';
import { subtreeBranchIds } from '../model/queries';
import type { BranchEnd } from './actions';

/** Even–odd rule; the outline is closed implicitly (last vertex back to the first). */
export function pointInPolygon(x: number, y: number, pts: ReadonlyArray<{ x: number; y: number }>): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i];
    const b = pts[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * How far (px) a point lies outside the soma: 0 inside a polygon outline, else the distance to its nearest edge; for a
 * point soma the distance from its centre minus its radius (0 inside the radius).
 */
export function distanceOutsideSoma(soma: Soma, x: number, y: number): number {
  if (soma.kind === 'point') return Math.max(0, Math.hypot(soma.x - x, soma.y - y) - (soma.r ?? 0));
  const p = soma.points;
  if (pointInPolygon(x, y, p)) return 0;
  let best = Infinity;
  for (let i = 0; i < p.length; i++) {
    const a = p[i];
    const b = p[(i + 1) % p.length];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - a.x) * dx + (y - a.y) * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(a.x + t * dx - x, a.y + t * dy - y));
  }
  return best;
}

/** A detached tracing to attach to a soma by one end of one of its paths. */
export interface SomaCatch {
  branchId: BranchId;
  end: BranchEnd;
  /** Distance of that end outside the soma, px. */
  distance: number;
}

/**
 * The detached tracings of the document that start or end at `soma`: for every detached tree (in any neuron), the end
 * closest to the soma among its root path's first node and every path's last node, when it lies within
 * `attachWithin` px outside the soma. One catch per tree, in document order. The centre of the soma is its
 * somaCenter; a tree whose end is exactly at the centre is caught too (distance 0).
 */
export function somaCatches(doc: AnnotationDocument, soma: Soma, attachWithin: number): SomaCatch[] {
  const out: SomaCatch[] = [];
  if (!(attachWithin >= 0)) return out;
  const c = somaCenter(soma);
  const outside = (x: number, y: number) => Math.min(distanceOutsideSoma(soma, x, y), Math.hypot(c.x - x, c.y - y));
  for (const neuron of doc.neurons) {
    for (const root of neuron.branches) {
      if (root.parent.kind !== 'none' || root.nodes.length === 0) continue;
      let best: SomaCatch | undefined;
      const consider = (branchId: BranchId, end: BranchEnd, x: number, y: number) => {
        const d = outside(x, y);
        if (d <= attachWithin && (!best || d < best.distance)) best = { branchId, end, distance: d };
      };
      consider(root.id, 'first', root.nodes[0].x, root.nodes[0].y);
      for (const id of subtreeBranchIds(neuron, root.id)) {
        const b = neuron.branches.find((x) => x.id === id);
        const last = b?.nodes.at(-1);
        if (b && last) consider(b.id, 'last', last.x, last.y);
      }
      if (best) out.push(best);
    }
  }
  return out;
}
