import type { NodeTree } from './tree';

/**
 * Where the tree meets each circle, in the plane (x, y in measurement units), for drawing the crossings that
 * `shollCrossings` counts: the same edges (stems included) and the same rule (a node exactly on a circle is one
 * point). Capped at `maxPoints`, since the canvas only marks them; counting never uses this.
 */
export function shollIntersectionPoints(tree: NodeTree, radii: readonly number[], maxPoints = 20_000): Array<{ x: number; y: number; radius: number }> {
  const out: Array<{ x: number; y: number; radius: number }> = [];
  const n = tree.count;
  if (n < 2) return out;
  const { x, y, parent } = tree;
  const cx = x[0];
  const cy = y[0];
  const seen = new Set<string>();
  const push = (px: number, py: number, radius: number) => {
    const key = `${radius}:${px.toFixed(9)},${py.toFixed(9)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ x: px, y: py, radius });
  };
  for (let i = 1; i < n && out.length < maxPoints; i++) {
    const p = parent[i];
    const ax = x[p] - cx;
    const ay = y[p] - cy;
    const ux = x[i] - x[p];
    const uy = y[i] - y[p];
    const a = ux * ux + uy * uy;
    if (a === 0) continue;
    const b = ax * ux + ay * uy;
    const c0 = ax * ax + ay * ay;
    for (const r of radii) {
      // |a0 + t·u|² = r² → a t² + 2 b t + (c0 − r²) = 0, roots within [0, 1].
      const disc = b * b - a * (c0 - r * r);
      if (disc < 0) continue;
      const s = Math.sqrt(disc);
      for (const t of s === 0 ? [-b / a] : [(-b - s) / a, (-b + s) / a]) {
        if (t >= 0 && t <= 1) push(x[p] + t * ux, y[p] + t * uy, r);
      }
    }
  }
  return out;
}
