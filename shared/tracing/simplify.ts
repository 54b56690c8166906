/**
 * Douglas–Peucker simplification of a traced pixel path: keeps the first and last point and every point needed so
 * that no dropped point lies farther than `tolerance` px from the simplified polyline. A live-wire path has one point
 * per pixel; stored branches need far fewer. The input is not modified.
 */
export function simplifyPath(points: ReadonlyArray<readonly [number, number]>, tolerance = 0.5): Array<[number, number]> {
  const n = points.length;
  if (n <= 2) return points.map((p) => [p[0], p[1]]);
  const keep = douglasPeuckerKeep(n, (k) => points[k][0], (k) => points[k][1], tolerance);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push([points[k][0], points[k][1]]);
  return out;
}

/**
 * Which of n points Douglas–Peucker keeps (1 = kept): the first, the last, and every point needed so that no dropped
 * point lies farther than `tolerance` from the segment between the kept points around it.
 */
export function douglasPeuckerKeep(n: number, x: (k: number) => number, y: (k: number) => number, tolerance: number): Uint8Array {
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tol2 = tolerance * tolerance;
  // Explicit stack instead of recursion: paths can be thousands of pixels long.
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const j = stack.pop() as number;
    const i = stack.pop() as number;
    let worst = -1;
    let worstD2 = tol2;
    for (let k = i + 1; k < j; k++) {
      const d2 = pointSegmentDistance2(x(k), y(k), x(i), y(i), x(j), y(j));
      if (d2 > worstD2) {
        worstD2 = d2;
        worst = k;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(i, worst, worst, j);
    }
  }
  return keep;
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function pointSegmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = ax + t * vx - px;
  const dy = ay + t * vy - py;
  return dx * dx + dy * dy;
}
