/**
 * The ARD Matern 5/2 kernel on points in the unit cube:
 * k(x, x') = s2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r), r^2 = sum_c ((x_c - x'_c) / l_c)^2.
 * With m(r) = (5/3)(1 + sqrt5 r) exp(-sqrt5 r):
 *   dk/dx_c      = -s2 m(r) (x_c - x'_c) / l_c^2
 *   dk/d log l_c =  s2 m(r) ((x_c - x'_c) / l_c)^2
 * (both smooth at r = 0).
 */

const SQRT5 = Math.sqrt(5);

/** Matern 5/2 correlation at scaled distance r. */
export function matern52(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** m(r) = (5/3)(1 + sqrt5 r) exp(-sqrt5 r), the common factor of the kernel's derivatives. */
export function matern52DerivFactor(r: number): number {
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

const SQRT3 = Math.sqrt(3);

/**
 * Matern 3/2 correlation at scaled distance r: (1 + sqrt3 r) exp(-sqrt3 r); once
 * differentiable, so its posterior mean can bend sharply (a kinked peak) where Matern 5/2's
 * must stay smooth.
 */
export function matern32(r: number): number {
  return (1 + SQRT3 * r) * Math.exp(-SQRT3 * r);
}

/** m(r) = 3 exp(-sqrt3 r) = -(dk/dr) / r for Matern 3/2, the same role as {@link matern52DerivFactor}. */
export function matern32DerivFactor(r: number): number {
  return 3 * Math.exp(-SQRT3 * r);
}

/** Kernel families of the GP (ARD, unit-cube inputs). */
export type KernelName = "matern52" | "matern32";

/** The correlation k(r) and derivative factor m(r) of a kernel family. */
export function kernelFunctions(name: KernelName = "matern52"): { k: (r: number) => number; m: (r: number) => number } {
  return name === "matern32" ? { k: matern32, m: matern32DerivFactor } : { k: matern52, m: matern52DerivFactor };
}

/** Scaled distance between row a of A and row b of B (flat row-major, d columns), inverse lengthscales `invL`. */
export function scaledDistance(A: Float64Array, a: number, B: Float64Array, b: number, invL: Float64Array): number {
  const d = invL.length;
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = (A[a * d + c] - B[b * d + c]) * invL[c];
    s += t * t;
  }
  return Math.sqrt(s);
}
