/** Small dense symmetric positive-definite algebra for the mixed model's normal equations (p × p, p ≈ groups). */

export type Matrix = number[][];

/** Cholesky factor L (lower) of a symmetric positive-definite matrix; throws when it is not positive definite. */
export function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) throw new Error('matrix is not positive definite (a group or cluster without data?)');
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b. */
export function cholSolve(l: Matrix, b: number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/** log det of L Lᵀ. */
export const cholLogDet = (l: Matrix): number => 2 * l.reduce((s, row, i) => s + Math.log(row[i]), 0);

/** (L Lᵀ)⁻¹ column by column. */
export function cholInverse(l: Matrix): Matrix {
  const n = l.length;
  const cols = Array.from({ length: n }, (_, j) => cholSolve(l, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0))));
  return cols.map((_, i) => cols.map((c) => c[i]));
}
