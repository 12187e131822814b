/**
 * Solve A x = b for a small dense square system by Gaussian elimination with partial
 * pivoting. A is [p][p], each right-hand side in `rhs` is [p]; returns one x per rhs.
 * Throws a RangeError when A is numerically singular.
 */
export function solveLinear(A: readonly (readonly number[])[], rhs: readonly (readonly number[])[]): number[][] {
  const p = A.length;
  const M = A.map((row) => [...row]);
  const B = rhs.map((r) => [...r]);
  const scale = Math.max(1e-300, ...M.map((row) => Math.max(...row.map(Math.abs))));
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
    if (Math.abs(M[piv][col]) <= 1e-12 * scale) throw new RangeError("singular system");
    if (piv !== col) {
      [M[piv], M[col]] = [M[col], M[piv]];
      for (const b of B) [b[piv], b[col]] = [b[col], b[piv]];
    }
    for (let r = col + 1; r < p; r++) {
      const f = M[r][col] / M[col][col];
      if (f === 0) continue;
      for (let c = col; c < p; c++) M[r][c] -= f * M[col][c];
      for (const b of B) b[r] -= f * b[col];
    }
  }
  return B.map((b) => {
    const x = new Array<number>(p).fill(0);
    for (let r = p - 1; r >= 0; r--) {
      let s = b[r];
      for (let c = r + 1; c < p; c++) s -= M[r][c] * x[c];
      x[r] = s / M[r][r];
    }
    return x;
  });
}
