import { douglasPeuckerKeep } from '../tracing/simplify';

/**
 * Douglas–Peucker simplification of a flat x, y polyline. Keeps the first and last points; every dropped point lies
 * within `tolerance` of the segment that replaces it, and every point of that segment lies within `tolerance` of the
 * original polyline (the original runs continuously between the kept ends, so it spans the whole chord). Drawn at a
 * zoom where `tolerance` image px is at most ½ screen px, the simplified line is indistinguishable from the original.
 * Returns the input itself when nothing can be dropped.
 */
export function simplifyPolyline(line: Float64Array, tolerance: number): Float64Array {
  const n = line.length / 2;
  if (n <= 2 || !(tolerance > 0)) return line;
  const keep = douglasPeuckerKeep(n, (k) => line[2 * k], (k) => line[2 * k + 1], tolerance);
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  if (count === n) return line;
  const out = new Float64Array(2 * count);
  for (let i = 0, j = 0; i < n; i++)
    if (keep[i]) {
      out[j++] = line[2 * i];
      out[j++] = line[2 * i + 1];
    }
  return out;
}
