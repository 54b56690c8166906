/**
 * Douglas–Peucker simplification of a flat x, y polyline. Keeps the first and last points; every dropped point lies
 * within `tolerance` of the segment that replaces it, and every point of that segment lies within `tolerance` of the
 * original polyline (the original runs continuously between the kept ends, so it spans the whole chord). Drawn at a
 * zoom where `tolerance` image px is at most ½ screen px, the simplified line is indistinguishable from the original.
 */
export function simplifyPolyline(line: Float64Array, tolerance: number): Float64Array {
  const n = line.length / 2;
  if (n <= 2 || !(tolerance > 0)) return line;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tol2 = tolerance * tolerance;
  // Explicit stack: a 5,000-node branch would recurse as deep as it is long when it spirals.
  const stack: number[] = [0, n - 1];
  while (stack.length) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = line[2 * first];
    const ay = line[2 * first + 1];
    const dx = line[2 * last] - ax;
    const dy = line[2 * last + 1] - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let i = first + 1; i < last; i++) {
      const px = line[2 * i] - ax;
      const py = line[2 * i + 1] - ay;
      // Distance to the segment (not the infinite line): a point beyond an end is measured to that end.
      const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d = ex * ex + ey * ey;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
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
