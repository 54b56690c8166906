import { pointSegmentDistance2 } from './simplify';

/** Length of a polyline in px (sum of its segment lengths). */
export function polylineLength(points: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (let i = 1; i < points.length; i++) s += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  return s;
}

/** Distance in px from a point to the nearest point of a polyline (a single point counts as a polyline). */
export function distanceToPolyline(x: number, y: number, line: ReadonlyArray<readonly [number, number]>): number {
  if (line.length === 0) return Infinity;
  if (line.length === 1) return Math.hypot(x - line[0][0], y - line[0][1]);
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const d2 = pointSegmentDistance2(x, y, line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
    if (d2 < best) best = d2;
  }
  return Math.sqrt(best);
}

/** Mean over the points of `path` of their distance to `reference`: how far a traced path strays from a centre line. */
export function meanDistanceToPolyline(path: ReadonlyArray<readonly [number, number]>, reference: ReadonlyArray<readonly [number, number]>): number {
  if (path.length === 0) return 0;
  let s = 0;
  for (const p of path) s += distanceToPolyline(p[0], p[1], reference);
  return s / path.length;
}
