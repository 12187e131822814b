/**
 * Input warping (Snoek et al. 2014; BoTorch's `Warp`): each unit-cube input x is mapped
 * through a Kumaraswamy CDF, u = 1 - (1 - x'^a)^b with x' = eps + (1 - 2 eps) x, before the
 * stationary kernel sees it. With a, b fitted per input by marginal likelihood the GP can
 * have short length scales where the objective changes fast (a sharp peak) and long ones
 * elsewhere. a = b = 1 is (up to eps) the identity. The map is increasing and bijective from
 * [0, 1] onto [u(0), u(1)], a sub-interval of (0, 1).
 */

/** Keeps x' inside (0, 1), where the CDF's derivatives are finite. */
export const WARP_EPS = 1e-4;

/** Box for the log concentrations (a and b between 0.2 and 5). */
export const WARP_LOG_BOUNDS = [Math.log(0.2), Math.log(5)] as const;

/** Warped value, its derivative in x, and its derivatives in log a and log b. */
export interface WarpValue {
  u: number;
  dx: number;
  dLogA: number;
  dLogB: number;
}

/** Kumaraswamy warp of one input value x in [0, 1] with concentrations a, b > 0. */
export function kumaraswamyWarp(x: number, a: number, b: number): WarpValue {
  const xp = WARP_EPS + (1 - 2 * WARP_EPS) * x;
  const t = xp ** a;
  // log(1 - t) and 1 - (1 - t)^b through log1p/expm1: accurate where t or u is tiny.
  const logS = Math.log1p(-t);
  const sb = Math.exp(b * logS);
  const sb1 = sb / (1 - t);
  return {
    u: -Math.expm1(b * logS),
    dx: (1 - 2 * WARP_EPS) * a * b * (t / xp) * sb1,
    dLogA: a * b * sb1 * t * Math.log(xp),
    dLogB: -b * sb * logS,
  };
}

/** Warps flat points [q*d] with per-input concentrations a [d], b [d]; returns the warped points and du/dx [q*d]. */
export function warpPoints(X: Float64Array, d: number, a: readonly number[], b: readonly number[]): { U: Float64Array; dUdX: Float64Array } {
  const U = new Float64Array(X.length);
  const dUdX = new Float64Array(X.length);
  for (let k = 0; k < X.length; k++) {
    const c = k % d;
    const w = kumaraswamyWarp(X[k], a[c], b[c]);
    U[k] = w.u;
    dUdX[k] = w.dx;
  }
  return { U, dUdX };
}
