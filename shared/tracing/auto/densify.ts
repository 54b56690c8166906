/**
 * The polyline with points added on its edges so that no two consecutive points are more than `spacing` apart
 * (each long edge split evenly). Every input vertex stays and the added points lie on its edges, so lengths and
 * Sholl crossings are exactly those of the input; what the added points carry is the radius along the branch.
 * `index[i]` is where input vertex i landed.
 */
export function densify(line: ReadonlyArray<readonly [number, number]>, spacing: number): { points: Array<[number, number]>; index: Int32Array } {
  const points: Array<[number, number]> = [];
  const index = new Int32Array(line.length);
  for (let i = 0; i < line.length; i++) {
    if (i > 0 && spacing > 0) {
      const [ax, ay] = line[i - 1];
      const [bx, by] = line[i];
      const parts = Math.ceil(Math.hypot(bx - ax, by - ay) / spacing - 1e-9);
      for (let k = 1; k < parts; k++) points.push([ax + ((bx - ax) * k) / parts, ay + ((by - ay) * k) / parts]);
    }
    index[i] = points.length;
    points.push([line[i][0], line[i][1]]);
  }
  return { points, index };
}
